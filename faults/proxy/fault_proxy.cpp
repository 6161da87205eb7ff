#include "faults/proxy/fault_proxy.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "core/random.hpp"
#include "faults/proxy/chunk_queue.hpp"
#include "faults/proxy/toxic_pipeline.hpp"
#include "faults/proxy/toxicity.hpp"

namespace redproof::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using asio::awaitable;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

constexpr std::size_t kReadChunk = 16 * 1024;

// One direction of a connection: its toxics and the bytes they hold back.
struct Side {
  Side(const asio::any_io_executor& ex, Random rng)
      : pipeline(std::move(rng)), wake(ex), space(ex) {}
  ToxicPipeline pipeline;
  ChunkPlan plan;             // reused for every chunk read, so planning allocates nothing
  ChunkQueue queue;           // read, waiting to be written at its release time
  std::vector<char> writing;  // the chunk being written, swapped out of the queue
  asio::steady_timer wake;    // the writer waits here for data or for the release time
  asio::steady_timer space;   // the reader waits here while the queue is full
  bool source_eof = false;    // the source sent FIN: forward it once the queue is written
  bool done = false;          // FIN forwarded
  std::optional<Clock::time_point> reset_at;  // reset_peer struck
};

// Cancelling a timer wakes whoever waits on it; a timer that nobody waits on stays quiet, which is
// fine because every loop re-checks its state before waiting.
void notify(asio::steady_timer& t) {
  t.cancel();
}

}  // namespace

struct Connection {
  Connection(const asio::any_io_executor& ex, std::uint64_t id_, tcp::socket client_,
             std::uint64_t seed)
      : id(id_),
        client(std::move(client_)),
        server(ex),
        up(ex, Random(seed).fork("proxy-upstream", id_)),
        down(ex, Random(seed).fork("proxy-downstream", id_)),
        doom(ex) {}
  Side& side(Direction d) { return d == Direction::kUpstream ? up : down; }
  tcp::socket& source(Direction d) { return d == Direction::kUpstream ? client : server; }
  tcp::socket& dest(Direction d) { return d == Direction::kUpstream ? server : client; }

  std::uint64_t id;
  std::string client_address;  // the client's IP, for toxics limited to one source
  tcp::socket client;
  tcp::socket server;
  Side up;
  Side down;
  asio::steady_timer doom;  // closes (timeout) or resets (reset_peer) at the earliest deadline
  bool closed = false;
};

struct FaultProxy::Impl {
  explicit Impl(FaultProxyOptions o) : options(std::move(o)), decider(options.seed) {}

  // ---- control, from any thread ----

  // Runs f on the proxy's thread and waits for it; runs it here when the proxy is not running
  // (there are no connections then), or when its thread has ended, which only a handler that
  // kept throwing can cause: waiting for a thread that will never run f would hang heal().
  // Callers hold control_mu.
  template <class F>
  void on_io(F f) {
    if (!io || finished.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      f();
      return;
    }
    std::promise<void> done;
    auto future = done.get_future();
    asio::post(*io, [&] {
      try {
        f();
        done.set_value();
      } catch (...) {
        done.set_exception(std::current_exception());
      }
    });
    future.get();
  }

  // ---- the proxy's thread ----

  Nanos now() const { return std::chrono::duration_cast<Nanos>(Clock::now() - epoch); }
  Clock::time_point at(Nanos t) const { return epoch + t; }

  std::vector<Toxic> toxics_snapshot() const {
    std::lock_guard lock(state_mu);
    return toxics;
  }

  awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor->async_accept(use_tuple);
      if (!acceptor->is_open()) co_return;
      if (ec) {
        // Out of descriptors and the like: back off instead of spinning.
        asio::steady_timer pause(acceptor->get_executor(), std::chrono::milliseconds(20));
        co_await pause.async_wait(use_tuple);
        if (!acceptor->is_open()) co_return;
        continue;
      }
      if (!enabled.load()) {
        boost::system::error_code ignored;
        socket.set_option(asio::socket_base::linger(true, 0), ignored);
        socket.close(ignored);
        ++refused;
        ++resets;
        continue;
      }
      boost::system::error_code peer_ec;
      const auto peer = socket.remote_endpoint(peer_ec);
      auto conn = std::make_shared<Connection>(acceptor->get_executor(), next_id++,
                                               std::move(socket), options.seed);
      if (!peer_ec) conn->client_address = peer.address().to_string();
      connections[conn->id] = conn;
      ++open_count;
      asio::co_spawn(*io, open_connection(conn), asio::detached);
    }
  }

  awaitable<void> open_connection(std::shared_ptr<Connection> c) {
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer limit(c->server.get_executor(), options.connect_timeout);
    auto result =
        co_await (c->server.async_connect(upstream_ep, use_tuple) || limit.async_wait(use_tuple));
    if (c->closed) co_return;
    if (result.index() == 1 || std::get<0>(std::get<0>(result))) {
      ++failed;
      close(*c, /*reset=*/false);
      co_return;
    }
    ++accepted;
    boost::system::error_code ignored;
    c->client.set_option(tcp::no_delay(true), ignored);
    c->server.set_option(tcp::no_delay(true), ignored);
    apply_toxics(*c);
    if (c->closed) co_return;
    auto ex = c->client.get_executor();
    asio::co_spawn(ex, read_loop(c, Direction::kUpstream), asio::detached);
    asio::co_spawn(ex, write_loop(c, Direction::kUpstream), asio::detached);
    asio::co_spawn(ex, read_loop(c, Direction::kDownstream), asio::detached);
    asio::co_spawn(ex, write_loop(c, Direction::kDownstream), asio::detached);
    asio::co_spawn(ex, doom_loop(c), asio::detached);
  }

  awaitable<void> read_loop(std::shared_ptr<Connection> c, Direction d) {
    Side& s = c->side(d);
    tcp::socket& src = c->source(d);
    std::vector<char> buf(kReadChunk);
    for (;;) {
      while (!c->closed && s.queue.bytes() >= options.max_buffered_bytes) {
        s.space.expires_at(Clock::time_point::max());
        co_await s.space.async_wait(use_tuple);
      }
      if (c->closed) co_return;
      auto [ec, n] = co_await src.async_read_some(asio::buffer(buf), use_tuple);
      if (c->closed) co_return;
      if (ec) {
        if (ec == asio::error::eof) {
          s.source_eof = true;
          notify(s.wake);
        } else {
          close(*c, /*reset=*/false);
        }
        co_return;
      }
      ChunkPlan& plan = s.plan;
      s.pipeline.on_data(now(), n, plan);
      (d == Direction::kUpstream ? dropped_up : dropped_down) += plan.dropped;
      if (plan.reset_at) {
        s.reset_at = at(*plan.reset_at);
        notify(c->doom);
      }
      bool was_empty = s.queue.empty();
      for (const Piece& p : plan.pieces) {
        s.queue.push(buf.data() + p.offset, p.size, at(p.release_at));
      }
      if (plan.close_after) {
        if (plan.pieces.empty()) {
          close(*c, /*reset=*/false);
          co_return;
        }
        s.queue.back().close_after = true;
      }
      if (was_empty && !s.queue.empty()) notify(s.wake);
    }
  }

  awaitable<void> write_loop(std::shared_ptr<Connection> c, Direction d) {
    Side& s = c->side(d);
    tcp::socket& dst = c->dest(d);
    for (;;) {
      if (c->closed) co_return;
      if (s.queue.empty()) {
        if (s.source_eof) {
          boost::system::error_code ignored;
          dst.shutdown(tcp::socket::shutdown_send, ignored);
          s.done = true;
          Side& other = d == Direction::kUpstream ? c->down : c->up;
          if (other.done) close(*c, /*reset=*/false);
          co_return;
        }
        s.wake.expires_at(Clock::time_point::max());
        co_await s.wake.async_wait(use_tuple);
        continue;
      }
      if (auto release = s.queue.front().release; Clock::now() < release) {
        s.wake.expires_at(release);
        co_await s.wake.async_wait(use_tuple);
        continue;
      }
      // Out of the queue before writing: the reader may push (and grow the ring) meanwhile.
      bool close_after = s.queue.pop_into(s.writing);
      notify(s.space);
      auto [ec, n] = co_await asio::async_write(dst, asio::buffer(s.writing), use_tuple);
      if (c->closed) co_return;
      if (ec) {
        close(*c, /*reset=*/false);
        co_return;
      }
      (d == Direction::kUpstream ? bytes_up : bytes_down) += n;
      if (close_after) {
        close(*c, /*reset=*/false);
        co_return;
      }
    }
  }

  // Closes the connection at the earliest timeout deadline, resets it at a reset_peer's time.
  awaitable<void> doom_loop(std::shared_ptr<Connection> c) {
    for (;;) {
      if (c->closed) co_return;
      std::optional<Clock::time_point> when;
      bool reset = false;
      for (Side* s : {&c->up, &c->down}) {
        if (auto deadline = s->pipeline.close_deadline();
            deadline && (!when || at(*deadline) < *when)) {
          when = at(*deadline);
          reset = false;
        }
        if (s->reset_at && (!when || *s->reset_at <= *when)) {
          when = s->reset_at;
          reset = true;
        }
      }
      if (when && Clock::now() >= *when) {
        close(*c, reset);
        co_return;
      }
      c->doom.expires_at(when.value_or(Clock::time_point::max()));
      co_await c->doom.async_wait(use_tuple);
    }
  }

  // Gives the connection the toxics that apply to it now, and carries out what that changes.
  void apply_toxics(Connection& c) {
    if (c.closed) return;
    auto all = toxics_snapshot();
    bool close_now = false;
    for (Direction d : {Direction::kUpstream, Direction::kDownstream}) {
      std::vector<Toxic> mine;
      for (const Toxic& t : all) {
        if (t.stream == d && (t.from.empty() || t.from == c.client_address) &&
            decider.applies(t, c.id)) {
          mine.push_back(t);
        }
      }
      Side& s = c.side(d);
      ToxicChange change = s.pipeline.set_toxics(now(), mine);
      close_now = close_now || change.close_now;
      if (change.flush && !s.queue.empty()) {
        s.queue.release_by(Clock::now());
        notify(s.wake);
      }
    }
    if (close_now) {
      close(c, /*reset=*/false);
    } else {
      notify(c.doom);  // deadlines may have changed
    }
  }

  void apply_toxics_to_all() {
    auto open = connections;  // close() erases from the map
    for (auto& [id, c] : open) apply_toxics(*c);
  }

  void close(Connection& c, bool reset) {
    if (c.closed) return;
    c.closed = true;
    if (reset) ++resets;  // counted before the RST goes out, so whoever sees it sees the count
    boost::system::error_code ignored;
    for (tcp::socket* s : {&c.client, &c.server}) {
      if (!s->is_open()) continue;
      if (reset) {
        s->set_option(asio::socket_base::linger(true, 0), ignored);
      } else {
        s->shutdown(tcp::socket::shutdown_both, ignored);
      }
      s->close(ignored);
    }
    for (asio::steady_timer* t : {&c.up.wake, &c.up.space, &c.down.wake, &c.down.space, &c.doom}) {
      t->cancel();
    }
    if (connections.erase(c.id) > 0) --open_count;
  }

  void close_all(bool reset) {
    auto open = connections;
    for (auto& [id, c] : open) close(*c, reset);
  }

  FaultProxyOptions options;
  ToxicityDecider decider;

  std::mutex control_mu;  // serialises start, stop and the control methods

  mutable std::mutex state_mu;  // guards toxics (read on the proxy's thread)
  std::vector<Toxic> toxics;
  std::atomic<bool> enabled{true};

  // Set while running. The io_context is made anew for each start so that a stop discards
  // every handler and socket of the previous run.
  std::unique_ptr<asio::io_context> io;
  std::optional<tcp::acceptor> acceptor;
  std::thread thread;
  std::future<void> finished;  // ready when the thread's run() has returned
  tcp::endpoint upstream_ep;
  redis::Endpoint listen;
  Clock::time_point epoch = Clock::now();

  // The proxy's thread only.
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections;
  std::uint64_t next_id = 0;

  std::atomic<std::uint64_t> accepted{0}, refused{0}, failed{0}, open_count{0}, bytes_up{0},
      bytes_down{0}, dropped_up{0}, dropped_down{0}, resets{0};
};

FaultProxy::FaultProxy(FaultProxyOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

FaultProxy::~FaultProxy() {
  stop();
}

void FaultProxy::start() {
  std::lock_guard lock(impl_->control_mu);
  Impl& m = *impl_;
  if (m.io) return;
  auto io = std::make_unique<asio::io_context>(1);
  const auto& up = m.options.upstream;
  try {
    tcp::resolver resolver(*io);
    auto results = resolver.resolve(up.host, std::to_string(up.port));
    if (results.empty()) throw std::runtime_error("no address");
    m.upstream_ep = *results.begin();
  } catch (const std::exception& e) {
    throw std::runtime_error("proxy " + m.options.name + ": cannot resolve upstream " +
                             up.to_string() + ": " + e.what());
  }
  tcp::acceptor acceptor(*io);
  try {
    tcp::endpoint ep(asio::ip::make_address(m.options.listen_host), m.options.listen_port);
    acceptor.open(ep.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen();
  } catch (const std::exception& e) {
    throw std::runtime_error("proxy " + m.options.name + ": cannot listen on " +
                             m.options.listen_host + ":" + std::to_string(m.options.listen_port) +
                             ": " + e.what());
  }
  m.listen = redis::Endpoint{m.options.listen_host, acceptor.local_endpoint().port()};
  m.acceptor.emplace(std::move(acceptor));
  m.io = std::move(io);
  asio::co_spawn(*m.io, m.accept_loop(), asio::detached);
  std::promise<void> finished;
  m.finished = finished.get_future();
  m.thread = std::thread([&m, finished = std::move(finished)]() mutable {
    for (int attempt = 0; attempt < 1000; ++attempt) {
      try {
        m.io->run();
        break;
      } catch (...) {
        // A handler threw (none should): keep serving the other connections.
      }
    }
    finished.set_value();
  });
}

void FaultProxy::stop() {
  std::lock_guard lock(impl_->control_mu);
  Impl& m = *impl_;
  if (!m.io) return;
  asio::post(*m.io, [&m] {
    boost::system::error_code ignored;
    m.acceptor->close(ignored);
    m.close_all(/*reset=*/false);
  });
  // With the listener and every socket closed and every timer cancelled, each coroutine ends
  // and run() returns by itself. Should anything still be pending after a while, stopping the
  // context bounds the wait; what remains is destroyed with the context below.
  if (m.finished.wait_for(std::chrono::seconds(5)) != std::future_status::ready) m.io->stop();
  m.thread.join();
  m.connections.clear();
  m.acceptor.reset();
  m.io.reset();
  m.open_count = 0;
}

bool FaultProxy::running() const {
  std::lock_guard lock(impl_->control_mu);
  return impl_->io != nullptr;
}

redis::Endpoint FaultProxy::endpoint() const {
  std::lock_guard lock(impl_->control_mu);
  if (!impl_->io) throw std::logic_error("proxy " + impl_->options.name + " is not running");
  return impl_->listen;
}

const redis::Endpoint& FaultProxy::upstream() const {
  return impl_->options.upstream;
}
const std::string& FaultProxy::name() const {
  return impl_->options.name;
}

void FaultProxy::add_toxic(const Toxic& toxic) {
  validate(toxic);
  std::lock_guard lock(impl_->control_mu);
  Impl& m = *impl_;
  {
    std::lock_guard state(m.state_mu);
    for (const Toxic& t : m.toxics) {
      if (t.name == toxic.name) {
        throw ToxicError("proxy " + m.options.name + ": a toxic named '" + toxic.name +
                         "' exists already");
      }
    }
    m.toxics.push_back(toxic);
  }
  m.on_io([&m] { m.apply_toxics_to_all(); });
}

Toxic FaultProxy::add_toxic(std::string_view spec) {
  Toxic t = parse_toxic_spec(spec);
  add_toxic(t);
  return t;
}

bool FaultProxy::remove_toxic(const std::string& name) {
  std::lock_guard lock(impl_->control_mu);
  Impl& m = *impl_;
  {
    std::lock_guard state(m.state_mu);
    auto it = std::find_if(m.toxics.begin(), m.toxics.end(),
                           [&](const Toxic& t) { return t.name == name; });
    if (it == m.toxics.end()) return false;
    m.toxics.erase(it);
  }
  m.on_io([&m] { m.apply_toxics_to_all(); });
  return true;
}

void FaultProxy::clear_toxics() {
  std::lock_guard lock(impl_->control_mu);
  Impl& m = *impl_;
  {
    std::lock_guard state(m.state_mu);
    m.toxics.clear();
  }
  m.on_io([&m] { m.apply_toxics_to_all(); });
}

std::vector<Toxic> FaultProxy::toxics() const {
  return impl_->toxics_snapshot();
}

void FaultProxy::disable() {
  std::lock_guard lock(impl_->control_mu);
  Impl& m = *impl_;
  m.enabled = false;
  m.on_io([&m] { m.close_all(/*reset=*/true); });
}

void FaultProxy::enable() {
  std::lock_guard lock(impl_->control_mu);
  impl_->enabled = true;
}

bool FaultProxy::enabled() const {
  return impl_->enabled.load();
}

void FaultProxy::heal() noexcept {
  try {
    clear_toxics();
  } catch (...) {
    // clear_toxics only fails if the proxy's thread is gone; enabling still matters.
  }
  enable();
}

ProxyStats FaultProxy::stats() const {
  const Impl& m = *impl_;
  ProxyStats s;
  s.connections_accepted = m.accepted.load();
  s.connections_refused = m.refused.load();
  s.connections_failed = m.failed.load();
  s.connections_open = m.open_count.load();
  s.bytes_upstream = m.bytes_up.load();
  s.bytes_downstream = m.bytes_down.load();
  s.dropped_upstream = m.dropped_up.load();
  s.dropped_downstream = m.dropped_down.load();
  s.resets = m.resets.load();
  return s;
}

}  // namespace redproof::proxy
