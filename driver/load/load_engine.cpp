#include "driver/load/load_engine.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cmath>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "checkers/operation_latency.hpp"
#include "core/cpu_time.hpp"
#include "core/history_writer.hpp"
#include "driver/load/event_loops.hpp"
#include "driver/load/load_cluster_reader.hpp"
#include "driver/load/load_history.hpp"
#include "driver/load/load_recording.hpp"
#include "driver/load/load_slot_map.hpp"
#include "driver/load/load_slot_map_refresh.hpp"
#include "driver/load/open_loop_schedule.hpp"
#include "driver/load/second_series.hpp"
#include "redis/cluster_routing.hpp"
#include "redis/sync_command.hpp"

namespace redproof::load {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace asio::experimental::awaitable_operators;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// What every thread shares: read-only options, the clock, the request budget, the series.
struct Shared {
  Shared(const LoadOptions& o, LoadProgress* p)
      : options(o), mix(o.commands), series(o.threads), progress(p) {}

  std::int64_t now_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
  }
  bool stop_requested() const { return progress && progress->stop.load(std::memory_order_relaxed); }

  const LoadOptions& options;
  CommandMix mix;
  Clock::time_point start;
  std::int64_t end_ns = 0;
  std::int64_t timeout_ns = 0;
  std::atomic<std::uint64_t> budget_used{0};
  std::atomic<std::int64_t> next_fresh_process{0};
  SecondSeries series;
  LoadProgress* progress;
  std::unique_ptr<LoadHistory> history;
  // Open loop: the senders the rate is shared by: the connections, or in a cluster the sockets
  // to the masters (a replica's socket takes its master's place once promoted).
  int senders = 0;
  std::unique_ptr<SlotMap> slots;  // cluster mode
};

// Cluster mode: a sender draws keys until one lives on its master; a master that owns none of
// the keys after this many draws gets no requests of its own from that sender for a while (its
// slots may come back, or others move to it).
constexpr int kDrawsPerMaster = 64;
constexpr std::int64_t kBarrenRetryNs = 100'000'000;
// A request redirected more often than this is answered as an error (a redirection loop).
constexpr std::uint8_t kMaxRedirects = 5;
constexpr std::string_view kAsking = "*1\r\n$6\r\nASKING\r\n";

// One event loop's figures and pending history, with no sharing on the hot path.
struct LoadThread {
  LoadThread(Shared& s, asio::io_context& loop) : io(loop), recording(s.series, s.progress) {
    if (s.history) history.emplace(*s.history);
  }
  asio::io_context& io;
  LoadRecording recording;
  std::optional<LoadHistoryBatch> history;  // when recording
};

class LoadConnection {
 public:
  // `index`: this socket's number over the whole load; `client`: the logical connection it
  // belongs to (the same unless in a cluster); `node`: in a cluster, the node it talks to (an
  // index in the slot map's nodes).
  LoadConnection(Shared& shared, LoadThread& thread, int index, int client, int node)
      : shared_(shared),
        thread_(thread),
        index_(index),
        client_(client),
        master_(node),
        cluster_(shared.slots != nullptr),
        socket_(thread.io),
        wake_(thread.io),
        rng_(Random(shared.options.seed).fork("bench-connection", index)),
        keys_(shared.options.key_distribution, shared.options.key_count,
              static_cast<std::uint64_t>(index) * 7919),
        // In a cluster, room beyond the pipeline for what siblings redirect here: a full window
        // of ASK redirections, each after its ASKING, so that this socket keeps up with a
        // sibling whose every request is redirected.
        pending_(static_cast<std::size_t>(shared.options.pipeline * (cluster_ ? 3 : 1))),
        window_(static_cast<std::size_t>(shared.options.pipeline)) {
    const auto& o = shared.options;
    for (int i = 0; i < o.pipeline; ++i) free_processes_.push_back(index * o.pipeline + i);
    if (cluster_) key_text_ = key_name(o.template_options, 0);
  }

  ~LoadConnection() {
    if (reader_) redisReaderFree(reader_);
  }

  asio::io_context& loop() { return thread_.io; }

  // Cluster mode: the same client's sockets to every node, by node index (this one too), all
  // on this socket's event loop.
  void set_siblings(std::vector<LoadConnection*> siblings) { siblings_ = std::move(siblings); }

  asio::awaitable<void> run() {
    const auto& o = shared_.options;
    schedule_ = OpenLoopSchedule(o.rate, shared_.senders, schedule_index(), 0, shared_.end_ns);
    auto backoff = std::chrono::milliseconds(10);
    bool connected_before = false;
    while (!stopping(shared_.now_ns())) {
      if (!co_await connect()) {
        count_connection_error();
        const std::int64_t until =
            std::min(shared_.now_ns() + std::chrono::nanoseconds(backoff).count(), shared_.end_ns);
        co_await sleep_until(until);
        backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
        continue;
      }
      if (connected_before) thread_.recording.reconnected();
      connected_before = true;
      backoff = std::chrono::milliseconds(10);
      if (reader_) redisReaderFree(reader_);
      // No reply objects: hiredis then returns each reply's type in place of an object, which
      // is all a benchmark needs (error or not), and parsing allocates nothing.
      // In a cluster, error replies keep their text (MOVED, ASK); other replies stay types.
      reader_ = cluster_ ? create_cluster_reader() : redisReaderCreateWithFunctions(nullptr);
      timed_out_ = false;
      out_.clear();
      connected_ = true;
      co_await (writer() || reader());
      connected_ = false;
      boost::system::error_code ignored;
      socket_.close(ignored);
      if (count_ > 0) {
        if (!timed_out_) count_connection_error();
        abandon_in_flight(timed_out_);
      }
    }
    finished_ = true;
    drop_redirected();
    thread_.recording.add_unsent(schedule_.unsent());
  }

 private:
  struct Pending {
    std::int64_t intended_ns;
    std::int64_t sent_ns;
    std::uint32_t command;
    KeyDigits key;
    std::int64_t process;
    std::uint8_t redirects;  // cluster: how often MOVED or ASK sent it elsewhere
    bool asking;             // cluster: the ASKING before a redirected request, not a request
    std::int16_t origin;     // cluster: the master index of the socket that first sent it,
                             // while it is away from there (else -1)
  };

  // A request a MOVED or ASK reply handed to this socket, waiting for room in its window.
  struct Redirected {
    Pending request;
    bool ask;
  };

  // A replica's socket shares the slots of its index among the masters' (staggering only).
  int schedule_index() const {
    if (!cluster_) return index_;
    const int masters = static_cast<int>(shared_.slots->masters());
    return client_ * masters + master_ % masters;
  }

  bool stopping(std::int64_t now) const {
    const auto max = shared_.options.max_requests;
    return now >= shared_.end_ns || budget_spent_ || shared_.stop_requested() ||
           (max && shared_.budget_used.load(std::memory_order_relaxed) >= max);
  }

  void count_connection_error() { thread_.recording.connection_error(shared_.now_ns()); }

  // Where this socket connects now: its master in a cluster, else what resolve_endpoint says
  // (the primary after a failover), else the endpoint. Nullopt when the resolver failed.
  std::optional<redis::Endpoint> target() const {
    const auto& o = shared_.options;
    if (cluster_) return shared_.slots->nodes()[static_cast<std::size_t>(master_)];
    if (!o.resolve_endpoint) return o.endpoint;
    try {
      return o.resolve_endpoint(client_);
    } catch (const std::exception&) {
      return std::nullopt;  // counted as a connection error; asked again after the back-off
    }
  }

  asio::awaitable<bool> connect() {
    const std::optional<redis::Endpoint> endpoint = target();
    if (!endpoint) co_return false;
    boost::system::error_code ec;
    auto address = asio::ip::make_address(endpoint->host, ec);
    if (ec) co_return false;
    socket_ = tcp::socket(thread_.io);
    wake_.expires_after(shared_.options.connect_timeout);
    const tcp::endpoint to(address, endpoint->port);
    auto r = co_await (socket_.async_connect(to, use_tuple) || wake_.async_wait(use_tuple));
    if (r.index() == 1 || std::get<0>(r) != std::tuple<boost::system::error_code>{}) {
      socket_.close(ec);
      co_return false;
    }
    socket_.set_option(tcp::no_delay(true), ec);
    socket_.non_blocking(true, ec);  // send_due() and reader() never wait inside a syscall
    co_return true;
  }

  asio::awaitable<void> sleep_until(std::int64_t at_ns) {
    wake_.expires_at(shared_.start + std::chrono::nanoseconds(at_ns));
    writer_wake_ns_ = at_ns;
    writer_waiting_ = true;
    co_await wake_.async_wait(use_tuple);
    writer_waiting_ = false;
  }

  std::int64_t take_process() {
    if (!free_processes_.empty()) {
      std::int64_t p = free_processes_.back();
      free_processes_.pop_back();
      return p;
    }
    return shared_.next_fresh_process.fetch_add(1);
  }

  void record_invoke(const Pending& p) {
    thread_.history->add(p.sent_ns, p.process, EventType::kInvoke, p.command, p.key);
  }

  void record_completion(const Pending& p, std::int64_t now, EventType type, const char* error) {
    thread_.history->add(now, p.process, type, p.command, p.key, error);
  }

  // Queues every request that is due (within the window), records it, and writes the batch
  // at once without waiting: one syscall for all of them. What the socket would not take stays
  // in out_ for the writer. False when the write failed.
  bool send_due(std::int64_t now) {
    if (!out_.empty()) return true;  // the writer is still sending an earlier batch
    const auto& o = shared_.options;
    if (cluster_) {
      send_redirected();
      if (barren_ && now >= barren_until_ns_) barren_ = false;
    }
    while (count_ + away_ < window_ && !barren_) {
      if (schedule_.open_loop() && !schedule_.due(now)) break;
      const auto command = static_cast<std::uint32_t>(shared_.mix.pick(rng_));
      KeyDigits key;
      if (!cluster_) {
        key = key_digits(keys_.next(rng_));
      } else if (!draw_key_here(command, key)) {
        barren_ = true;  // this node owns none of the keys: the others carry the load
        barren_until_ns_ = now + kBarrenRetryNs;
        // Its open-loop slots until then, the one due now too, are not a backlog: the keys are
        // other sockets' to send. (From 0: every slot before the retry is dropped.)
        schedule_.skip_wait(0, barren_until_ns_);
        break;
      }
      const std::int64_t intended = schedule_.open_loop() ? schedule_.take() : now;
      if (o.max_requests && shared_.budget_used.fetch_add(1) >= o.max_requests) {
        budget_spent_ = true;
        break;
      }
      Pending& p = pending_[(head_ + count_) % pending_.size()];
      p.intended_ns = intended;
      p.sent_ns = now;
      p.command = command;
      p.key = key;
      p.process = take_process();
      p.redirects = 0;
      p.asking = false;
      p.origin = -1;
      ++count_;
      append_request(out_, shared_.mix.at(p.command), p.key);
      thread_.recording.sent(now, intended);
      if (shared_.history) record_invoke(p);
    }
    if (thread_.history) thread_.history->flush();
    if (out_.empty()) return true;
    boost::system::error_code ec;
    const std::size_t n = socket_.write_some(asio::buffer(out_), ec);
    if (ec && ec != asio::error::would_block) return false;
    if (n == out_.size()) {
      out_.clear();
    } else {
      out_.erase(0, n);
    }
    return true;
  }

  // When the writer must next look at the clock: the next open-loop slot if the window has
  // room, the oldest request's time-out, the end of the run.
  std::int64_t next_wake_ns() const {
    std::int64_t wake_at = shared_.end_ns;
    if (barren_) {
      wake_at = std::min(wake_at, barren_until_ns_);
    } else if (schedule_.has_slot() && count_ + away_ < window_) {
      wake_at = std::min(wake_at, schedule_.next_ns());
    }
    if (count_ > 0) wake_at = std::min(wake_at, oldest_deadline_ns());
    return wake_at;
  }

  std::int64_t oldest_deadline_ns() const { return pending_[head_].sent_ns + shared_.timeout_ns; }

  // Sends on the clock: open-loop slots as they come due, what the socket would not take at
  // once, time-outs and the end of the run. Replies send the next requests themselves (see
  // reader()), so in a closed loop this coroutine sleeps until a time-out could fall due.
  // Returns when the run ends (after in-flight requests are answered), when the oldest request
  // times out, or when a write fails.
  asio::awaitable<void> writer() {
    for (;;) {
      const std::int64_t now = shared_.now_ns();
      thread_.recording.advance(now);
      if (count_ > 0 && now >= oldest_deadline_ns()) {
        timed_out_ = true;
        co_return;
      }
      if (!out_.empty()) {
        auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(out_), use_tuple);
        if (ec) co_return;
        out_.clear();
        continue;
      }
      if (stopping(now)) {
        if (count_ == 0) co_return;
        co_await sleep_until(oldest_deadline_ns());
        continue;
      }
      if (!send_due(now)) co_return;
      if (!out_.empty() || budget_spent_) continue;  // finish the write; or drain and end
      co_await sleep_until(next_wake_ns());          // the reader cuts this short when it must
    }
  }

  // Reads what arrived (a full buffer means there may be more), completes the answered
  // requests, and sends the next ones. Asio's async_read_some tries a read before it waits,
  // which costs one EAGAIN read per batch; async_wait + read instead costs an epoll_ctl per
  // wait, which measured no cheaper, so this stays with async_read_some.
  asio::awaitable<void> reader() {
    for (;;) {
      auto [read_error, first] = co_await socket_.async_read_some(asio::buffer(in_), use_tuple);
      if (read_error) co_return;
      const std::int64_t now = shared_.now_ns();
      thread_.recording.advance(now);
      std::uint64_t done = 0;
      std::size_t n = first;
      for (;;) {
        if (redisReaderFeed(reader_, in_.data(), n) != REDIS_OK) co_return;
        void* reply = nullptr;
        for (;;) {
          if (redisReaderGetReply(reader_, &reply) != REDIS_OK) co_return;  // not RESP
          if (!reply) break;
          if (count_ == 0) {  // a reply nobody asked for: drop the connection
            if (cluster_) release_cluster_reply(reply);
            co_return;
          }
          if (cluster_) {
            done += complete_in_cluster(now, reply);
          } else {
            complete(now, static_cast<int>(reinterpret_cast<std::intptr_t>(reply)));
            ++done;
          }
        }
        if (n < in_.size()) break;
        boost::system::error_code ec;
        n = socket_.read_some(asio::buffer(in_), ec);
        if (ec == asio::error::would_block) break;
        if (ec) co_return;
      }
      if (shared_.progress && done) {
        shared_.progress->completed.fetch_add(done, std::memory_order_relaxed);
      }
      // Answers free window slots: fill them here rather than waking the writer, which saves
      // a timer and a coroutine switch per batch.
      const bool ending = stopping(now);
      if (ending) {
        if (thread_.history) thread_.history->flush();
      } else if (!send_due(now)) {  // flushes the history too
        co_return;
      }
      if (writer_waiting_ &&
          (!out_.empty() || (ending && count_ == 0) || next_wake_ns() < writer_wake_ns_)) {
        wake_.cancel();
      }
    }
  }

  void complete(std::int64_t now, int reply_type) {
    Pending& p = pending_[head_];
    head_ = (head_ + 1) % pending_.size();
    --count_;
    answer(now, p, reply_type == REDIS_REPLY_ERROR ? "error reply" : nullptr);
  }

  // `error`: null for a success, else why the request did nothing (an error reply to a plain
  // command proves that).
  void answer(std::int64_t now, const Pending& p, const char* error) {
    thread_.recording.answered(now, p.intended_ns, p.sent_ns,
                               error ? Answer::kErrorReply : Answer::kOk);
    if (shared_.history) {
      record_completion(p, now, error ? EventType::kFail : EventType::kOk, error);
    }
    free_processes_.push_back(p.process);
    if (cluster_) came_back(p);
  }

  // A request sent elsewhere has its outcome: its first socket may send another in its place.
  void came_back(const Pending& p) {
    if (p.origin < 0) return;
    LoadConnection& origin = *siblings_[static_cast<std::size_t>(p.origin)];
    --origin.away_;
    if (origin.connected_ && origin.writer_waiting_) origin.wake_.cancel();
  }

  // Cluster mode: draws keys until one lives on this socket's master (a command without a key
  // goes anywhere). False when none did.
  bool draw_key_here(std::uint32_t command, KeyDigits& key) {
    const bool keyless = shared_.mix.at(command).key_offsets.empty();
    for (int i = 0; i < kDrawsPerMaster; ++i) {
      key = key_digits(keys_.next(rng_));
      if (keyless || shared_.slots->owner(slot_of(key)) == master_) return true;
    }
    return false;
  }

  std::uint16_t slot_of(const KeyDigits& key) {
    std::memcpy(key_text_.data() + key_text_.size() - kKeyDigits, key.data(), kKeyDigits);
    return redis::key_slot(key_text_);
  }

  // Cluster mode: one reply. An ASKING's is dropped; a MOVED or ASK hands the request to the
  // socket of the master named (a MOVED also moves the slot in the map for every sender);
  // anything else answers it. Returns the requests answered (0 or 1).
  std::uint64_t complete_in_cluster(std::int64_t now, void* reply) {
    std::optional<redis::Redirect> redirect;
    if (const std::string* text = kept_error_text(reply)) redirect = redis::parse_redirect(*text);
    const int type = cluster_reply_type(reply);
    release_cluster_reply(reply);
    Pending& p = pending_[head_];
    if (!p.asking && !redirect) {
      complete(now, type);
      return 1;
    }
    head_ = (head_ + 1) % pending_.size();
    --count_;
    if (p.asking) return 0;
    return follow(now, p, *redirect) ? 0 : 1;
  }

  // Sends `p` where the redirection says. False when it cannot (a node the cluster did not have
  // when the load started, a redirection loop, a full backlog): then it is answered as an error
  // reply.
  bool follow(std::int64_t now, Pending p, const redis::Redirect& redirect) {
    SlotMap& slots = *shared_.slots;
    const int to =
        slots.node_index(reached_endpoint(redirect.endpoint, shared_.options.redirect_to));
    if (!redirect.ask && to != SlotMap::kNoOwner) slots.move(redirect.slot, to);
    ++p.redirects;
    const bool leaves = p.origin < 0;
    if (leaves) p.origin = static_cast<std::int16_t>(master_);
    if (to == SlotMap::kNoOwner || p.redirects > kMaxRedirects ||
        !siblings_[static_cast<std::size_t>(to)]->accept_redirected(p, redirect.ask)) {
      if (leaves) p.origin = -1;
      answer(now, p, redirect.ask ? "ASK not followed" : "MOVED not followed");
      return false;
    }
    if (leaves) ++away_;  // it still takes a place in this socket's window, as memtier's does
    return true;
  }

  // Takes a redirected request from a sibling (same event loop). Its intended start and send
  // time stay, so its latency includes the redirection. False when this socket has ended or
  // its backlog is full (its master unreachable for long).
  bool accept_redirected(const Pending& p, bool ask) {
    // Each sibling has at most a window of requests away, so this only guards against a bug.
    const std::size_t limit = siblings_.size() * window_ + 16;
    if (finished_ || backlog_.size() >= limit) return false;
    backlog_.push_back({p, ask});
    if (connected_ && writer_waiting_) wake_.cancel();  // sleeping writer: send it now
    return true;
  }

  // Queues the redirected requests that fit (an ASK one after ASKING). They were counted as
  // sent and recorded as invoked where they were first sent.
  void send_redirected() {
    while (!backlog_.empty()) {
      const Redirected& r = backlog_.front();
      if (count_ + (r.ask ? 2 : 1) > pending_.size()) break;
      if (r.ask) {
        Pending asking = r.request;
        asking.asking = true;
        push_pending(asking);
        out_.append(kAsking);
      }
      push_pending(r.request);
      append_request(out_, shared_.mix.at(r.request.command), r.request.key);
      backlog_.pop_front();
    }
  }

  void push_pending(const Pending& p) {
    pending_[(head_ + count_) % pending_.size()] = p;
    ++count_;
  }

  // The run ended with redirected requests never sent: they did nothing.
  void drop_redirected() {
    const std::int64_t now = shared_.now_ns();
    for (const Redirected& r : backlog_) answer(now, r.request, "redirection not sent");
    backlog_.clear();
  }

  // Requests in flight when their connection went: their outcome is unknown. Their processes
  // are retired (a process with an unknown operation is never used again).
  void abandon_in_flight(bool timed_out) {
    const std::int64_t now = shared_.now_ns();
    while (count_ > 0) {
      Pending& p = pending_[head_];
      head_ = (head_ + 1) % pending_.size();
      --count_;
      if (p.asking) continue;
      if (cluster_) came_back(p);
      if (timed_out) {
        thread_.recording.timed_out(now);
      } else {
        thread_.recording.lost_in_flight();
      }
      if (shared_.history) {
        record_completion(p, now, EventType::kInfo, timed_out ? "timed out" : "connection lost");
      }
    }
  }

  Shared& shared_;
  LoadThread& thread_;
  int index_;
  int client_;
  int master_;  // cluster: its node's index in shared_.slots->nodes() (a master, mostly)
  bool cluster_;
  tcp::socket socket_;
  asio::steady_timer wake_;
  Random rng_;
  KeyDistribution keys_;
  redisReader* reader_ = nullptr;
  std::vector<Pending> pending_;  // a ring of `pipeline` slots (3 × in a cluster)
  std::size_t window_;            // requests of its own in flight at most: `pipeline`
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::vector<std::int64_t> free_processes_;
  OpenLoopSchedule schedule_;
  bool writer_waiting_ = false;
  std::int64_t writer_wake_ns_ = 0;  // when a waiting writer wakes by itself
  bool timed_out_ = false;
  bool budget_spent_ = false;
  bool connected_ = false;
  bool finished_ = false;
  bool barren_ = false;  // cluster: its node owned none of the keys drawn, until:
  std::int64_t barren_until_ns_ = 0;
  std::vector<LoadConnection*> siblings_;  // cluster
  std::deque<Redirected> backlog_;         // cluster
  std::size_t away_ = 0;  // cluster: requests of this socket redirected to a sibling
  std::string key_text_;  // cluster: the key's text, digits patched per draw
  std::string out_;
  std::array<char, 64 * 1024> in_{};
};

// Cluster mode: the slot map and the nodes, asked of the node given.
SlotMap read_slot_map(const LoadOptions& o) {
  const auto timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(o.connect_timeout + o.request_timeout);
  const redis::Reply slots = redis::sync_command(o.endpoint, {"CLUSTER", "SLOTS"}, timeout);
  // Every node, also the replicas CLUSTER SLOTS leaves out, so that one promoted is known.
  const redis::Reply nodes = redis::sync_command(o.endpoint, {"CLUSTER", "NODES"}, timeout);
  return parse_cluster_slots(slots, o.endpoint, o.redirect_to,
                             cluster_nodes_endpoints(nodes.str, o.endpoint));
}

}  // namespace

LoadResult run_load(const LoadOptions& options, LoadProgress* progress) {
  if (options.connections < 1) throw std::invalid_argument("--clients must be at least 1");
  if (options.threads < 1) throw std::invalid_argument("--threads must be at least 1");
  if (options.pipeline < 1) throw std::invalid_argument("--pipeline must be at least 1");
  if (options.rate < 0) throw std::invalid_argument("--rate must not be negative");
  if (options.commands.empty()) throw std::invalid_argument("no commands to send");
  const int threads = std::min(options.threads, options.connections);

  LoadOptions effective = options;
  effective.threads = threads;
  Shared shared(effective, progress);
  shared.timeout_ns = options.request_timeout.count();
  std::optional<SlotMapRefresh> refresh;
  if (options.cluster) shared.slots = std::make_unique<SlotMap>(read_slot_map(options));
  const int nodes = shared.slots ? static_cast<int>(shared.slots->nodes().size()) : 1;
  shared.senders =
      options.connections * (shared.slots ? static_cast<int>(shared.slots->masters()) : 1);
  shared.next_fresh_process =
      static_cast<std::int64_t>(options.connections) * nodes * options.pipeline;
  if (!options.history_path.empty()) {
    shared.history =
        std::make_unique<LoadHistory>(options.history_path, shared.mix, options.template_options);
  }

  EventLoops event_loops(threads);
  std::vector<std::unique_ptr<LoadThread>> loops;
  std::vector<std::unique_ptr<LoadConnection>> connections;
  for (int t = 0; t < threads; ++t) {
    loops.push_back(std::make_unique<LoadThread>(shared, event_loops.at(t)));
  }
  // Socket c × nodes + n is client c's to node n; a client's sockets share its event loop, so
  // that a redirection hands a request over without a lock.
  for (int c = 0; c < options.connections; ++c) {
    std::vector<LoadConnection*> siblings;
    for (int m = 0; m < nodes; ++m) {
      const int index = c * nodes + m;
      connections.push_back(std::make_unique<LoadConnection>(shared, *loops[c % threads], index, c,
                                                             shared.slots ? m : -1));
      siblings.push_back(connections.back().get());
    }
    if (shared.slots) {
      for (auto* s : siblings) s->set_siblings(siblings);
    }
  }

  const CpuTime before = process_cpu_time();
  shared.start = Clock::now();
  shared.end_ns = options.duration.count();
  for (auto& c : connections) asio::co_spawn(c->loop(), c->run(), asio::detached);
  if (shared.slots) {
    refresh.emplace(*shared.slots, options.redirect_to,
                    std::chrono::duration_cast<std::chrono::milliseconds>(options.connect_timeout));
  }
  event_loops.run();
  refresh.reset();
  const double wall = shared.now_ns() / 1e9;
  const CpuTime used = process_cpu_time() - before;

  std::vector<const LoadRecording*> recordings;
  for (auto& loop : loops) {
    loop->recording.finish();
    recordings.push_back(&loop->recording);
  }
  if (shared.history) shared.history->writer().flush();
  return merge_recordings(recordings, shared.series, wall, used.user_seconds, used.system_seconds,
                          options.rate > 0);
}

}  // namespace redproof::load
