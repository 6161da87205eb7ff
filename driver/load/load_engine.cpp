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
#include <memory>
#include <optional>
#include <stdexcept>

#include "checkers/operation_latency.hpp"
#include "core/cpu_time.hpp"
#include "core/history_writer.hpp"
#include "driver/load/event_loops.hpp"
#include "driver/load/load_history.hpp"
#include "driver/load/load_recording.hpp"
#include "driver/load/open_loop_schedule.hpp"
#include "driver/load/second_series.hpp"

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
};

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
  LoadConnection(Shared& shared, LoadThread& thread, int index)
      : shared_(shared),
        thread_(thread),
        index_(index),
        socket_(thread.io),
        wake_(thread.io),
        rng_(Random(shared.options.seed).fork("bench-connection", index)),
        keys_(shared.options.key_distribution, shared.options.key_count,
              static_cast<std::uint64_t>(index) * 7919),
        pending_(static_cast<std::size_t>(shared.options.pipeline)) {
    const auto& o = shared.options;
    for (int i = 0; i < o.pipeline; ++i) free_processes_.push_back(index * o.pipeline + i);
  }

  ~LoadConnection() {
    if (reader_) redisReaderFree(reader_);
  }

  asio::io_context& loop() { return thread_.io; }

  asio::awaitable<void> run() {
    const auto& o = shared_.options;
    schedule_ = OpenLoopSchedule(o.rate, o.connections, index_, 0, shared_.end_ns);
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
      reader_ = redisReaderCreateWithFunctions(nullptr);
      timed_out_ = false;
      out_.clear();
      co_await (writer() || reader());
      boost::system::error_code ignored;
      socket_.close(ignored);
      if (count_ > 0) {
        if (!timed_out_) count_connection_error();
        abandon_in_flight(timed_out_);
      }
    }
    thread_.recording.add_unsent(schedule_.unsent());
  }

 private:
  struct Pending {
    std::int64_t intended_ns;
    std::int64_t sent_ns;
    std::uint32_t command;
    KeyDigits key;
    std::int64_t process;
  };

  bool stopping(std::int64_t now) const {
    const auto max = shared_.options.max_requests;
    return now >= shared_.end_ns || budget_spent_ || shared_.stop_requested() ||
           (max && shared_.budget_used.load(std::memory_order_relaxed) >= max);
  }

  void count_connection_error() { thread_.recording.connection_error(shared_.now_ns()); }

  asio::awaitable<bool> connect() {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(shared_.options.endpoint.host, ec);
    if (ec) co_return false;
    socket_ = tcp::socket(thread_.io);
    wake_.expires_after(shared_.options.connect_timeout);
    auto r = co_await (
        socket_.async_connect(tcp::endpoint(address, shared_.options.endpoint.port), use_tuple) ||
        wake_.async_wait(use_tuple));
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
    const std::size_t window = pending_.size();
    while (count_ < window) {
      std::int64_t intended = now;
      if (schedule_.open_loop()) {
        if (!schedule_.due(now)) break;
        intended = schedule_.take();
      }
      if (o.max_requests && shared_.budget_used.fetch_add(1) >= o.max_requests) {
        budget_spent_ = true;
        break;
      }
      Pending& p = pending_[(head_ + count_) % window];
      p.intended_ns = intended;
      p.sent_ns = now;
      p.command = static_cast<std::uint32_t>(shared_.mix.pick(rng_));
      p.key = key_digits(keys_.next(rng_));
      p.process = take_process();
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
    if (schedule_.has_slot() && count_ < pending_.size()) {
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
          if (count_ == 0) co_return;  // a reply nobody asked for: drop the connection
          complete(now, static_cast<int>(reinterpret_cast<std::intptr_t>(reply)));
          ++done;
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
    const bool error = reply_type == REDIS_REPLY_ERROR;
    thread_.recording.answered(now, p.intended_ns, p.sent_ns,
                               error ? Answer::kErrorReply : Answer::kOk);
    // An error reply to a plain command proves it did nothing.
    if (shared_.history) {
      record_completion(p, now, error ? EventType::kFail : EventType::kOk,
                        error ? "error reply" : nullptr);
    }
    free_processes_.push_back(p.process);
  }

  // Requests in flight when their connection went: their outcome is unknown. Their processes
  // are retired (a process with an unknown operation is never used again).
  void abandon_in_flight(bool timed_out) {
    const std::int64_t now = shared_.now_ns();
    while (count_ > 0) {
      Pending& p = pending_[head_];
      head_ = (head_ + 1) % pending_.size();
      --count_;
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
  tcp::socket socket_;
  asio::steady_timer wake_;
  Random rng_;
  KeyDistribution keys_;
  redisReader* reader_ = nullptr;
  std::vector<Pending> pending_;  // a ring of `pipeline` slots
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::vector<std::int64_t> free_processes_;
  OpenLoopSchedule schedule_;
  bool writer_waiting_ = false;
  std::int64_t writer_wake_ns_ = 0;  // when a waiting writer wakes by itself
  bool timed_out_ = false;
  bool budget_spent_ = false;
  std::string out_;
  std::array<char, 64 * 1024> in_{};
};

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
  shared.next_fresh_process = static_cast<std::int64_t>(options.connections) * options.pipeline;
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
  for (int c = 0; c < options.connections; ++c) {
    connections.push_back(std::make_unique<LoadConnection>(shared, *loops[c % threads], c));
  }

  const CpuTime before = process_cpu_time();
  shared.start = Clock::now();
  shared.end_ns = options.duration.count();
  for (auto& c : connections) asio::co_spawn(c->loop(), c->run(), asio::detached);
  event_loops.run();
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
