// Helpers for the fault proxy's integration tests: a blocking loopback client that speaks just
// enough RESP (inline PING) with every wait bounded, and a count of this process's threads and
// descriptors to show that stop() leaves nothing behind.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "redis/endpoint.hpp"

namespace redproof::proxy::testing {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How a read ended.
enum class ReadEnd { kOk, kTimeout, kEof, kReset, kError };

inline const char* to_string(ReadEnd e) {
  switch (e) {
    case ReadEnd::kOk:
      return "ok";
    case ReadEnd::kTimeout:
      return "timeout";
    case ReadEnd::kEof:
      return "eof";
    case ReadEnd::kReset:
      return "reset";
    case ReadEnd::kError:
      return "error";
  }
  return "?";
}

// A blocking TCP client on 127.0.0.1 whose every operation has a deadline.
class LoopbackClient {
 public:
  LoopbackClient() = default;
  ~LoopbackClient() { close(); }
  LoopbackClient(const LoopbackClient&) = delete;
  LoopbackClient& operator=(const LoopbackClient&) = delete;

  // False when the connection is refused or not made within `timeout` (errno_ says why).
  // `from`: the local address to connect from (any 127.x.y.z is this machine's), or empty.
  bool connect(const redis::Endpoint& ep, milliseconds timeout = milliseconds(2000),
               const std::string& from = "") {
    close();
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0) return false;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (!from.empty()) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      ::inet_pton(AF_INET, from.c_str(), &local.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
        errno_ = errno;
        close();
        return false;
      }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(ep.port);
    ::inet_pton(AF_INET, ep.host.c_str(), &addr.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return true;
    if (errno != EINPROGRESS) {
      errno_ = errno;
      close();
      return false;
    }
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) {
      errno_ = ETIMEDOUT;
      close();
      return false;
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      errno_ = err;
      close();
      return false;
    }
    return true;
  }

  bool send(const std::string& data) {
    std::size_t sent = 0;
    auto deadline = Clock::now() + milliseconds(2000);
    while (sent < data.size() && Clock::now() < deadline) {
      ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        pollfd p{fd_, POLLOUT, 0};
        ::poll(&p, 1, 50);
      } else {
        errno_ = errno;
        return false;
      }
    }
    return sent == data.size();
  }

  // Reads until `want` bytes have arrived in total (into `got`), the peer closes, or `timeout`.
  ReadEnd read_exactly(std::size_t want, std::string& got, milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    char buf[4096];
    while (got.size() < want) {
      auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return ReadEnd::kTimeout;
      pollfd p{fd_, POLLIN, 0};
      int r = ::poll(&p, 1, static_cast<int>(left));
      if (r == 0) return ReadEnd::kTimeout;
      if (r < 0 && errno == EINTR) continue;
      ssize_t n = ::recv(fd_, buf, std::min(sizeof buf, want - got.size()), 0);
      if (n > 0) {
        got.append(buf, static_cast<std::size_t>(n));
      } else if (n == 0) {
        return ReadEnd::kEof;
      } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        continue;
      } else {
        errno_ = errno;
        return errno == ECONNRESET ? ReadEnd::kReset : ReadEnd::kError;
      }
    }
    return ReadEnd::kOk;
  }

  // Reads everything until the peer closes or `timeout`.
  ReadEnd read_to_end(std::string& got, milliseconds timeout) {
    return read_exactly(static_cast<std::size_t>(-1) / 2, got, timeout);
  }

  // One PING round trip; false unless "+PONG\r\n" came back in time.
  bool ping(milliseconds timeout = milliseconds(2000)) {
    if (!send("PING\r\n")) return false;
    std::string got;
    return read_exactly(7, got, timeout) == ReadEnd::kOk && got == "+PONG\r\n";
  }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int last_errno() const { return errno_; }

 private:
  int fd_ = -1;
  int errno_ = 0;
};

// The median of `n` PING round trips on one connection, or a negative duration if one failed.
inline std::chrono::nanoseconds median_ping(LoopbackClient& c, int n) {
  std::vector<std::chrono::nanoseconds> rtts;
  for (int i = 0; i < n; ++i) {
    auto t0 = Clock::now();
    if (!c.ping()) return std::chrono::nanoseconds(-1);
    rtts.push_back(Clock::now() - t0);
  }
  std::sort(rtts.begin(), rtts.end());
  return rtts[rtts.size() / 2];
}

inline std::size_t count_entries(const char* dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}
inline std::size_t open_descriptors() {
  return count_entries("/proc/self/fd");
}
inline std::size_t thread_count() {
  return count_entries("/proc/self/task");
}

}  // namespace redproof::proxy::testing
