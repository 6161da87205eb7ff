// Load held: as many connections as the machine allows (default 1,000) against one redis-server
// this program starts, each sending INCR on its own key at a steady pace for a duration (default
// 10 minutes). Every second it prints its own resident memory (/proc/self/statm) and open
// descriptors (/proc/self/fd), then start, end and maximum of each (both must stay flat), and the
// descriptors before connecting and after closing (equal: nothing leaked).
// Connections that fail are reconnected (the next request reconnects), so a leak on that path
// shows too.
//
//   build/bench/soak [--connections N] [--time D] [--pace D]
//     --connections  connections held (default 1000; fewer if the descriptor limit is lower)
//     --time         how long (default 10m; "30s", "2m")
//     --pace         pause between one connection's requests (default 100ms)
//
// Raises its soft RLIMIT_NOFILE to the hard limit first; the server inherits it.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/duration.hpp"
#include "redis/command_encoder.hpp"
#include "redis/connection.hpp"
#include "redis/local_server.hpp"

using namespace redproof;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

struct SoakOptions {
  long connections = 1000;
  Nanos time = 10min;
  Nanos pace = 100ms;
};

[[noreturn]] void usage_error(const std::string& what) {
  std::fprintf(stderr, "soak: %s (usage: soak [--connections N] [--time D] [--pace D])\n",
               what.c_str());
  std::exit(2);
}

Nanos duration_flag(const std::string& flag, const char* text) {
  auto d = parse_duration(text);
  if (!d || d->count() <= 0) usage_error(flag + " " + text + ": not a duration");
  return *d;
}

SoakOptions parse_options(int argc, char** argv) {
  SoakOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) usage_error(flag + ": needs a value");
    const char* value = argv[++i];
    if (flag == "--connections") {
      o.connections = std::atol(value);
      if (o.connections <= 0) usage_error(flag + " " + value + ": not a positive number");
    } else if (flag == "--time") {
      o.time = duration_flag(flag, value);
    } else if (flag == "--pace") {
      o.pace = duration_flag(flag, value);
    } else {
      usage_error("unknown flag " + flag);
    }
  }
  return o;
}

// The soft descriptor limit raised to the hard one; returns the new soft limit.
long raise_descriptor_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  getrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<long>(std::min<rlim_t>(limit.rlim_cur, 1'000'000));
}

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

long open_descriptors() {
  long n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

struct Figure {
  long start = -1, end = 0, max = 0;
  void add(long v) {
    if (start < 0) start = v;
    end = v;
    max = std::max(max, v);
  }
};

struct Counters {
  long ok = 0;
  long failed = 0;
  std::map<std::string, long> failures;  // by reason: what the failed requests met
};

asio::awaitable<void> client(redis::Endpoint endpoint, int id, Nanos pace,
                             std::chrono::steady_clock::time_point until, Counters& counters) {
  auto executor = co_await asio::this_coro::executor;
  redis::Connection connection(executor, endpoint);
  asio::steady_timer timer(executor);
  const std::string key = "soak:" + std::to_string(id);
  while (std::chrono::steady_clock::now() < until) {
    auto r = co_await connection.exec(redis::command("INCR", key));
    if (r.ok()) {
      ++counters.ok;
    } else {
      ++counters.failed;
      ++counters.failures[r.error.empty() ? r.reply.describe() : r.error];
    }
    timer.expires_after(pace);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

asio::awaitable<void> sampler(std::chrono::steady_clock::time_point start,
                              std::chrono::steady_clock::time_point until, const Counters& counters,
                              Figure& rss, Figure& fds) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (auto next = start + 1s; next < until && std::chrono::steady_clock::now() < until;
       next += 1s) {
    timer.expires_at(next);
    co_await timer.async_wait(asio::use_awaitable);
    rss.add(resident_kib());
    fds.add(open_descriptors());
    // the time it ran, not the time it was due: on a starved machine samples come late
    const auto t =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
            .count();
    std::printf("t=%llds rss_kib=%ld fds=%ld ok=%ld failed=%ld\n", static_cast<long long>(t),
                rss.end, fds.end, counters.ok, counters.failed);
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  SoakOptions o = parse_options(argc, argv);
  const long limit = raise_descriptor_limit();
  // Room for the program's own descriptors besides the connections.
  const long allowed = std::max(1L, limit - 64);
  if (o.connections > allowed) {
    std::printf("soak: descriptor limit %ld allows %ld connections, not %ld\n", limit, allowed,
                o.connections);
    o.connections = allowed;
  }
  char dir_template[] = "/tmp/redproof-soak-XXXXXX";
  if (!mkdtemp(dir_template)) usage_error("cannot create a directory under /tmp");
  redis::LocalServerOptions server_options;
  server_options.directory = std::string(dir_template) + "/n1";
  server_options.extra_config = {"maxclients " + std::to_string(o.connections + 32)};
  int status = 0;
  try {
    redis::LocalServer server(server_options);
    server.start();
    std::printf("soak: %ld connections to redis-server %s at %s for %s, one INCR each per %s\n",
                o.connections, server.version().c_str(), server.endpoint().to_string().c_str(),
                format_duration(o.time).c_str(), format_duration(o.pace).c_str());
    asio::io_context io;
    Counters counters;
    Figure rss, fds;
    asio::steady_timer reactor_opener(io);  // Asio's reactor descriptors are no leak: open them
    const long fds_before = open_descriptors();
    const auto start = std::chrono::steady_clock::now();
    const auto until = start + o.time;
    for (long i = 0; i < o.connections; ++i) {
      asio::co_spawn(io, client(server.endpoint(), static_cast<int>(i), o.pace, until, counters),
                     asio::detached);
    }
    asio::co_spawn(io, sampler(start, until, counters, rss, fds), asio::detached);
    io.run();
    std::printf("soak: connections=%ld minutes=%.1f requests_ok=%ld failed=%ld\n", o.connections,
                std::chrono::duration<double>(o.time).count() / 60, counters.ok, counters.failed);
    std::printf("soak: rss_kib start=%ld end=%ld max=%ld\n", rss.start, rss.end, rss.max);
    std::printf("soak: fds start=%ld end=%ld max=%ld (before connecting %ld, after closing %ld)\n",
                fds.start, fds.end, fds.max, fds_before, open_descriptors());
    for (const auto& [reason, count] : counters.failures) {
      std::printf("soak: failed %ld: %s\n", count, reason.c_str());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "soak: %s\n", e.what());
    status = 3;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_template, ec);
  return status;
}
