#include "redis/connection.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <map>

#include "redis/cluster_routing.hpp"
#include "redis/command_encoder.hpp"
#include "redis/error_kind.hpp"
#include "redis/resp_reader.hpp"
#include "redis/tls_stream.hpp"

namespace redproof::redis {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
}

struct Connection::Impl {
  Impl(asio::any_io_executor ex, ConnectionOptions o)
      : executor(ex), socket(ex), timer(ex), options(o) {}

  asio::any_io_executor executor;
  tcp::socket socket;              // plain TCP, unless `tls`
  std::unique_ptr<TlsStream> tls;  // with options.security->tls, made afresh on each connect
  asio::steady_timer timer;
  ConnectionOptions options;
  RespReader reader;
  std::string out;
  std::array<char, 16 * 1024> in{};
  bool connected = false;
  // The watchdog's view of the command in flight (see exec()).
  std::uint64_t calls = 0;
  bool in_flight = false;
  bool timed_out = false;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);  // a queued watchdog checks it

  // The TCP socket under whichever stream the connection uses.
  tcp::socket& lowest() { return tls ? tls->socket() : socket; }

  void drop() {
    boost::system::error_code ignored;
    lowest().close(ignored);
    connected = false;
    reader.reset();
  }

  // Empty on success, else why not.
  asio::awaitable<std::string> connect(const Endpoint& endpoint) {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(endpoint.host, ec);
    tcp::endpoint target;
    if (!ec) {
      target = tcp::endpoint(address, endpoint.port);
    } else {
      tcp::resolver resolver(executor);
      auto [rec, results] =
          co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), use_tuple);
      if (rec || results.empty()) co_return "cannot resolve " + endpoint.host;
      target = *results.begin();
    }
    const ConnectionSecurity* security = options.security.get();
    if (security && security->tls) {
      tls = std::make_unique<TlsStream>(executor, *security->tls);
    } else {
      tls.reset();
      socket = tcp::socket(executor);
    }
    timer.expires_after(options.connect_timeout);
    auto outcome =
        co_await (lowest().async_connect(target, use_tuple) || timer.async_wait(use_tuple));
    if (outcome.index() == 1) {
      drop();
      co_return "connect to " + endpoint.to_string() + " timed out";
    }
    auto [cec] = std::get<0>(outcome);
    if (cec) {
      drop();
      co_return "connect to " + endpoint.to_string() + ": " + cec.message();
    }
    lowest().set_option(tcp::no_delay(true), ec);
    if (security) {
      std::string why = co_await secure(endpoint, *security);
      if (!why.empty()) {
        drop();
        co_return why;
      }
    }
    connected = true;
    co_return std::string();
  }

  // The TLS handshake and AUTH on a connected socket, within the connect time-out. Empty on
  // success, else why not; an AUTH error reply is said as "authentication failed: WRONGPASS...".
  asio::awaitable<std::string> secure(const Endpoint& endpoint,
                                      const ConnectionSecurity& security) {
    arm_watchdog(options.connect_timeout);
    std::string why;
    if (tls) why = co_await tls->handshake(endpoint.host);
    Result r;
    if (why.empty() && security.authenticates()) {
      out.clear();
      append_command(out, security.auth_command());
      r = co_await round_trip();
    }
    disarm_watchdog();
    if (timed_out) co_return (tls ? "TLS handshake or AUTH" : "AUTH") + std::string(" timed out");
    if (!why.empty() || !security.authenticates()) co_return why;
    if (r.certainty != Certainty::kReplied) co_return "AUTH: " + r.error;
    if (r.reply.is_error()) co_return "authentication failed: " + r.reply.str;
    co_return std::string();
  }

  // Writes `out` and reads one reply. The time-out is exec()'s watchdog, which cancels.
  asio::awaitable<Result> round_trip() {
    // Plain TCP without a coroutine of its own: a frame per call is measurable under load.
    TlsStream::Outcome outcome;
    if (tls) {
      outcome = co_await tls->write_all(asio::buffer(out));
    } else {
      outcome = co_await asio::async_write(socket, asio::buffer(out), use_tuple);
    }
    auto [wec, written] = outcome;
    if (wec) {
      // Nothing written: the server cannot have seen the command.
      co_return Result{written == 0 ? Certainty::kNotApplied : Certainty::kUnknown,
                       {},
                       "write: " + wec.message()};
    }
    co_return co_await read_reply();
  }

  // The next reply: one already buffered, or read from the socket until one is complete.
  asio::awaitable<Result> read_reply() {
    for (;;) {
      std::optional<Reply> reply;
      try {
        reply = reader.next();
      } catch (const ProtocolError& e) {
        co_return Result{Certainty::kUnknown, {}, e.what()};
      }
      if (reply) {
        std::string error = reply->is_error() ? reply->str : std::string();
        co_return Result{Certainty::kReplied, std::move(*reply), std::move(error)};
      }
      // The watchdog may have fired while the last operation's completion was queued, when
      // there was nothing to cancel: do not start another.
      if (timed_out) co_return Result{Certainty::kUnknown, {}, "timed out"};
      TlsStream::Outcome outcome;
      if (tls) {
        outcome = co_await tls->read_some(asio::buffer(in));
      } else {
        outcome = co_await socket.async_read_some(asio::buffer(in), use_tuple);
      }
      auto [rec, n] = outcome;
      if (rec) {
        co_return Result{Certainty::kUnknown,
                         {},
                         rec == asio::error::eof ? std::string("connection closed by the server")
                                                 : "read: " + rec.message()};
      }
      try {
        reader.feed(std::string_view(in.data(), n));
      } catch (const ProtocolError& e) {
        co_return Result{Certainty::kUnknown, {}, e.what()};
      }
    }
  }

  // A watchdog on the timer, rather than racing the round trip against it with `||`, which
  // spawns two coroutines per command (measured: a fifth of a pattern workload's client CPU).
  // When the deadline passes first, it cancels the socket's operations, which ends the round
  // trip; a firing that comes after its command ended (or after the connection is gone) is
  // recognised by the call number and ignored.
  void arm_watchdog(std::chrono::nanoseconds timeout) {
    const std::uint64_t call = ++calls;
    timed_out = false;
    in_flight = true;
    timer.expires_after(timeout);
    timer.async_wait(
        [this, call, alive = std::weak_ptr<bool>(alive)](const boost::system::error_code& ec) {
          if (ec || alive.expired() || calls != call || !in_flight) return;
          timed_out = true;
          boost::system::error_code ignored;
          lowest().cancel(ignored);
        });
  }
  void disarm_watchdog() {
    in_flight = false;
    timer.cancel();
  }
};

// A cluster connection's plain connections, one per node it has talked to, and the slot owners
// it has learnt. Slots not learnt yet go to the seed, which redirects.
struct Connection::ClusterNodes {
  std::map<std::string, std::unique_ptr<Connection>> nodes;  // by "host:port"
  std::map<std::uint16_t, Endpoint> owners;

  Connection& at(const asio::any_io_executor& ex, const Endpoint& e, ConnectionOptions o) {
    auto& c = nodes[e.to_string()];
    if (!c) {
      o.cluster = false;
      c = std::make_unique<Connection>(ex, e, o);
    }
    return *c;
  }
};

Connection::Connection(asio::any_io_executor executor, Endpoint endpoint, ConnectionOptions options)
    : endpoint_(std::move(endpoint)), impl_(std::make_unique<Impl>(executor, options)) {
  if (options.cluster) cluster_ = std::make_unique<ClusterNodes>();
}

Connection::~Connection() = default;

bool Connection::connected() const {
  if (cluster_) {
    for (const auto& [name, c] : cluster_->nodes) {
      if (c->connected()) return true;
    }
    return false;
  }
  return impl_->connected;
}

void Connection::close() {
  impl_->drop();
  if (cluster_) {
    for (auto& [name, c] : cluster_->nodes) c->close();
  }
}

asio::awaitable<Result> Connection::exec_routed(std::vector<std::string> args,
                                                std::chrono::nanoseconds timeout) {
  const auto key = command_key(args);
  const std::optional<std::uint16_t> slot =
      key ? std::optional<std::uint16_t>(key_slot(*key)) : std::nullopt;
  Endpoint target = endpoint_;
  if (slot) {
    auto it = cluster_->owners.find(*slot);
    if (it != cluster_->owners.end()) target = it->second;
  }
  bool asking = false;
  // A few hops at most: a slot moves once per resharding step.
  for (int hop = 0; hop < 5; ++hop) {
    Connection& node = cluster_->at(impl_->executor, target, impl_->options);
    if (asking) {
      Result a = co_await node.exec(command("ASKING"), timeout);
      if (!a.ok()) co_return a;
    }
    Result r = co_await node.exec(args, timeout);
    if (r.certainty != Certainty::kReplied || !r.reply.is_error()) co_return r;
    auto redirect = parse_redirect(r.reply.str);
    if (!redirect) co_return r;
    if (impl_->options.redirect_to) {
      auto mapped = impl_->options.redirect_to->find(redirect->endpoint.to_string());
      if (mapped != impl_->options.redirect_to->end()) redirect->endpoint = mapped->second;
    }
    if (!redirect->ask) cluster_->owners[redirect->slot] = redirect->endpoint;
    target = redirect->endpoint;
    asking = redirect->ask;
  }
  co_return Result{Certainty::kNotApplied, {}, "too many cluster redirections"};
}

asio::awaitable<Result> Connection::exec(std::vector<std::string> args) {
  co_return co_await exec(std::move(args), impl_->options.request_timeout);
}

asio::awaitable<Result> Connection::exec(std::vector<std::string> args,
                                         std::chrono::nanoseconds timeout) {
  if (cluster_) co_return co_await exec_routed(std::move(args), timeout);
  Impl& c = *impl_;
  if (!c.connected) {
    std::string why = co_await c.connect(endpoint_);
    if (!why.empty()) co_return Result{Certainty::kNotApplied, {}, std::move(why)};
  }
  c.out.clear();
  append_command(c.out, args);
  c.arm_watchdog(timeout);
  Result r = co_await c.round_trip();
  c.disarm_watchdog();
  if (c.timed_out) {
    c.drop();
    co_return Result{Certainty::kUnknown,
                     {},
                     "timed out after " + std::to_string(timeout.count() / 1000000) + " ms"};
  }
  if (r.certainty != Certainty::kReplied) c.drop();
  co_return r;
}

asio::awaitable<Result> Connection::receive(std::chrono::nanoseconds wait) {
  if (cluster_)
    co_return Result{Certainty::kNotApplied, {}, "receive: not on a cluster connection"};
  Impl& c = *impl_;
  if (!c.connected) co_return Result{Certainty::kNotApplied, {}, "not connected"};
  c.arm_watchdog(wait);
  Result r = co_await c.read_reply();
  c.disarm_watchdog();
  if (r.certainty == Certainty::kReplied) co_return r;
  // A cancelled read consumed nothing, and bytes of a partial reply stay in the reader: the
  // connection is still whole after a wait that simply ended.
  if (c.timed_out) co_return Result{Certainty::kNotApplied, {}, "nothing received"};
  c.drop();
  co_return r;
}

asio::awaitable<Result> Connection::eval(const Script& script, std::vector<std::string> keys,
                                         std::vector<std::string> args) {
  auto build = [&](const char* verb, const std::string& body) {
    std::vector<std::string> v;
    v.reserve(3 + keys.size() + args.size());
    v.emplace_back(verb);
    v.push_back(body);
    v.push_back(std::to_string(keys.size()));
    v.insert(v.end(), keys.begin(), keys.end());
    v.insert(v.end(), args.begin(), args.end());
    return v;
  };
  Result r = co_await exec(build("EVALSHA", script.sha1()));
  if (r.certainty == Certainty::kReplied && r.reply.is_error() &&
      r.reply.error_code() == "NOSCRIPT") {
    r = co_await exec(build("EVAL", script.source()));
  }
  if (r.certainty == Certainty::kReplied && r.reply.is_error() &&
      !script_error_proves_not_applied(r.reply.error_code())) {
    r.certainty = Certainty::kUnknown;  // it may have written before failing
  }
  co_return r;
}

}  // namespace redproof::redis
