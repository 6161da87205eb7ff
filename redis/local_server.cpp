#include "redis/local_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/process_runner.hpp"
#include "redis/sync_command.hpp"

namespace redproof::redis {

namespace fs = std::filesystem;

namespace {

// Binds host:port to learn whether it is free (port 0: let the kernel pick one). Returns the port
// bound, or 0 when it is in use. Throws on other errors (bad address).
std::uint16_t probe_port(const std::string& host, std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw ServerStartError(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    ::close(fd);
    throw ServerStartError("not an IPv4 address: " + host);
  }
  // Redis itself binds with SO_REUSEADDR, so a port in TIME_WAIT counts as free.
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int e = errno;
    ::close(fd);
    if (e == EADDRINUSE) return 0;
    throw ServerStartError("cannot bind " + host + ":" + std::to_string(port) + ": " +
                           std::strerror(e));
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string last_meaningful_line(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  }
  // Redis log lines look like "123:M 01 Jan 2026 00:00:00.000 # message": keep the message.
  auto hash = last.find(" # ");
  if (hash != std::string::npos) return last.substr(hash + 3);
  auto star = last.find(" * ");
  if (star != std::string::npos) return last.substr(star + 3);
  return last;
}

bool log_mentions(const std::string& path, const std::string& needle) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str().find(needle) != std::string::npos;
}

}  // namespace

Persistence parse_persistence(const std::string& name) {
  if (name == "none") return Persistence::kNone;
  if (name == "aof") return Persistence::kAof;
  if (name == "rdb") return Persistence::kRdb;
  throw std::invalid_argument("unknown persistence '" + name + "' (choices: none, aof, rdb)");
}

std::string persistence_name(Persistence p) {
  switch (p) {
    case Persistence::kNone:
      return "none";
    case Persistence::kAof:
      return "aof";
    case Persistence::kRdb:
      return "rdb";
  }
  return "?";
}

struct LocalServer::Impl {
  ProcessRunner* runner;
  int pid = -1;
  std::uint16_t port = 0;
  std::string version;
};

LocalServer::LocalServer(LocalServerOptions options, ProcessRunner* runner)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  impl_->runner = runner ? runner : &system_process_runner();
  impl_->port = options_.port;
  log_path_ = options_.directory + "/redis.log";
  config_path_ = options_.directory + "/redis.conf";
}

LocalServer::~LocalServer() {
  try {
    stop();
  } catch (...) {
    // A destructor must not throw; stop() already tried SIGKILL.
  }
}

Endpoint LocalServer::endpoint() const {
  return Endpoint{options_.host, impl_->port};
}
int LocalServer::pid() const {
  return impl_->pid;
}
std::string LocalServer::version() const {
  return impl_->version;
}

bool LocalServer::running() const {
  if (impl_->pid <= 0) return false;
  if (impl_->runner->wait(impl_->pid, std::chrono::milliseconds(0))) {
    impl_->pid = -1;
    return false;
  }
  return true;
}

void LocalServer::start() {
  if (running()) return;
  auto binary = impl_->runner->find_binary(options_.binary);
  if (!binary) {
    throw ServerStartError(
        options_.binary.find('/') != std::string::npos
            ? options_.binary + " not found or not executable"
            : options_.binary + " not found on PATH (install it: sudo bash ci/install-deps.sh)");
  }
  std::error_code ec;
  fs::create_directories(options_.directory, ec);
  if (ec) {
    throw ServerStartError("cannot create " + options_.directory + ": " + ec.message());
  }
  const bool chosen_port = options_.port == 0 && options_.netns.empty();
  for (int attempt = 0;; ++attempt) {
    if (!options_.netns.empty()) {
      // A namespace of the run's own: its address and ports belong to this server alone, and
      // cannot be probed from the root namespace.
      if (impl_->port == 0) impl_->port = 6379;
    } else if (impl_->port == 0) {
      impl_->port = probe_port(options_.host, 0);
    } else if (probe_port(options_.host, impl_->port) == 0) {
      throw ServerStartError("port " + std::to_string(impl_->port) + " on " + options_.host +
                             " is already in use");
    }
    {
      std::ofstream conf(config_path_, std::ios::trunc);
      conf << "# written by redproof for node " << options_.name << "\n"
           << "bind " << options_.host << "\n"
           << "port " << impl_->port
           << "\n"
           // Inside a namespace of its own, clients come over the run's bridge, not loopback.
           << "protected-mode " << (options_.netns.empty() ? "yes" : "no") << "\n"
           << "daemonize no\n"
           << "dir " << fs::absolute(options_.directory).string() << "\n"
           << "logfile \"\"\n"
           << "repl-diskless-sync-delay 0\n";
      switch (options_.persistence) {
        case Persistence::kNone:
          conf << "save \"\"\nappendonly no\n";
          break;
        case Persistence::kAof:
          conf << "appendonly yes\nappendfsync always\nsave \"\"\n";
          break;
        case Persistence::kRdb:
          conf << "appendonly no\nsave 1 1\n";
          break;
      }
      for (const auto& line : options_.extra_config) conf << line << "\n";
      if (!conf) throw ServerStartError("cannot write " + config_path_);
    }
    std::ofstream(log_path_, std::ios::app) << "";  // truncate nothing: restarts append
    try {
      std::vector<std::string> args{config_path_};
      args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
      if (options_.netns.empty()) {
        impl_->pid = impl_->runner->spawn({*binary, args, log_path_, {}});
      } else {
        // `ip netns exec` enters the namespace and execs the server: the pid is the server's.
        args.insert(args.begin(), {"netns", "exec", options_.netns, *binary});
        impl_->pid = impl_->runner->spawn({"ip", args, log_path_, {}});
      }
    } catch (const ProcessError& e) {
      throw ServerStartError(e.what());
    }
    const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
    for (;;) {
      if (auto status = impl_->runner->wait(impl_->pid, std::chrono::milliseconds(0))) {
        impl_->pid = -1;
        if (log_mentions(log_path_, "Address already in use")) {
          if (chosen_port && attempt < 3) {  // someone took the port we picked: pick again
            impl_->port = 0;
            break;
          }
          throw ServerStartError("port " + std::to_string(impl_->port) + " on " + options_.host +
                                 " is already in use");
        }
        throw ServerStartError(options_.name + ": redis-server exited (status " +
                               std::to_string(*status) + "): " + last_meaningful_line(log_path_) +
                               " (log: " + log_path_ + ")");
      }
      try {
        Reply pong = sync_command(endpoint(), {"PING"}, std::chrono::milliseconds(250));
        if (pong.is_status("PONG")) {
          Reply info = sync_command(endpoint(), {"INFO", "server"}, std::chrono::seconds(2));
          auto at = info.str.find("redis_version:");
          if (at != std::string::npos) {
            auto end = info.str.find_first_of("\r\n", at);
            impl_->version = info.str.substr(at + 14, end - at - 14);
          }
          return;
        }
      } catch (const CommandError&) {
        // not listening yet
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        kill();
        throw ServerStartError(options_.name + ": redis-server did not answer PING within " +
                               std::to_string(options_.start_timeout.count()) +
                               " ms (log: " + log_path_ + ")");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

void LocalServer::stop() {
  if (!running()) {
    paused_ = false;
    return;
  }
  resume();  // a stopped process cannot shut down
  try {
    sync_command(endpoint(), {"SHUTDOWN", "NOSAVE"}, std::chrono::milliseconds(1000));
  } catch (const CommandError&) {
    // SHUTDOWN closes the connection without a reply: that is success.
  }
  ProcessRunner& r = *impl_->runner;
  if (!r.wait(impl_->pid, std::chrono::milliseconds(2000))) {
    r.signal(impl_->pid, SIGTERM);
    if (!r.wait(impl_->pid, std::chrono::milliseconds(2000))) {
      r.signal(impl_->pid, SIGKILL);
      r.wait(impl_->pid, std::chrono::milliseconds(5000));
    }
  }
  impl_->pid = -1;
}

void LocalServer::pause() {
  if (!running()) throw std::runtime_error(options_.name + " is not running");
  if (!impl_->runner->signal(impl_->pid, SIGSTOP)) {
    throw std::runtime_error(options_.name + ": SIGSTOP failed");
  }
  paused_ = true;
}

void LocalServer::resume() {
  if (impl_->pid > 0) impl_->runner->signal(impl_->pid, SIGCONT);
  paused_ = false;
}

void LocalServer::kill() {
  if (impl_->pid > 0) {
    impl_->runner->signal(impl_->pid, SIGKILL);
    impl_->runner->wait(impl_->pid, std::chrono::milliseconds(5000));
  }
  impl_->pid = -1;
  paused_ = false;
}

void LocalServer::restart() {
  stop();
  start();
}

}  // namespace redproof::redis
