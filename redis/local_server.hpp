// A real redis-server process that redproof starts by itself on a loopback port, with its own
// configuration file and log in a directory of the results (nodes/<name>/), and stops at the end.
// Faults use its pause / resume / kill / restart; nothing here knows about histories.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "redis/endpoint.hpp"

namespace redproof {
class ProcessRunner;
}

namespace redproof::redis {

// Thrown when a server cannot be started: the message is one line that says what and where
// ("redis-server not found on PATH (install redis-server: ci/install-deps.sh)",
//  "port 6390 on 127.0.0.1 is already in use", "redis-server exited: <last log line>").
class ServerStartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a server keeps across a kill: nothing (a cache), an append-only file fsynced before every
// reply (nothing acknowledged is lost), or RDB snapshots every second (what was acknowledged
// since the last snapshot is lost).
enum class Persistence { kNone, kAof, kRdb };
// "none", "aof", "rdb"; throws std::invalid_argument naming the choices.
Persistence parse_persistence(const std::string& name);
std::string persistence_name(Persistence p);

struct LocalServerOptions {
  std::string name = "n1";  // node name, used in histories and directory names
  std::string directory;    // where redis.conf, the log and any data go (created)
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: pick a free loopback port (6379 inside a namespace)
  // Non-empty: the server runs inside this network namespace (`ip netns exec`), bound to `host`,
  // an address of that namespace (--netns).
  std::string netns;
  std::string binary = "redis-server";
  Persistence persistence = Persistence::kNone;
  std::vector<std::string> extra_config;  // extra redis.conf lines ("maxmemory 10mb")
  std::vector<std::string> extra_args;    // after the config file's path ("--sentinel")
  std::chrono::milliseconds start_timeout{5000};
};

class LocalServer {
 public:
  // Uses the real process runner unless a fake is given (tests).
  explicit LocalServer(LocalServerOptions options, ProcessRunner* runner = nullptr);
  ~LocalServer();  // stops the server (resuming it first if paused)
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  // Writes the config, starts the process and waits until it answers PING. Throws
  // ServerStartError.
  void start();
  // SHUTDOWN NOSAVE, then SIGTERM, then SIGKILL if it will not go. Idempotent.
  void stop();
  void pause();    // SIGSTOP
  void resume();   // SIGCONT; idempotent
  void kill();     // SIGKILL, no clean-up by the server
  void restart();  // start again on the same port with the same config (after kill or stop)

  bool running() const;
  bool paused() const { return paused_; }
  int pid() const;
  Endpoint endpoint() const;
  const std::string& name() const { return options_.name; }
  const std::string& log_path() const { return log_path_; }
  const std::string& config_path() const { return config_path_; }
  std::string version() const;  // "7.0.15", read at start

 private:
  struct Impl;
  LocalServerOptions options_;
  std::string log_path_;
  std::string config_path_;
  bool paused_ = false;
  std::unique_ptr<Impl> impl_;
};

}  // namespace redproof::redis
