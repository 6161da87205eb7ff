// The Client seam (Jepsen's): one per logical process, owning its connection. The driver hands it
// an invoke and records the completion it returns; the client never touches the history itself.
//
// Completions follow ../shared/spec/history.md: `ok` it happened, `fail` it certainly did not,
// `info` unknown. After an `info` the driver discards the client and opens a new one under a
// fresh process number, because a process never has two operations in flight.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "core/hook.hpp"
#include "core/op.hpp"
#include "redis/connection.hpp"

namespace redproof {

// A point inside an operation where a fault may stop the client (a GC pause, say). The driver
// supplies it; it returns at once unless a fault is armed for this hook. A hook whose effect is
// kCrash throws ClientCrashed out of the client's invoke when it strikes.
using HookPoint = std::function<boost::asio::awaitable<void>(const Hook& hook)>;

// What a client needs to open: where, as which process, and the driver's hook.
struct ClientSetup {
  boost::asio::any_io_executor executor;
  redis::Endpoint endpoint;
  std::string node;  // the node's name, recorded in the history
  // Every node of the topology, for clients that talk to all of them (Redlock's masters).
  std::vector<std::pair<std::string, redis::Endpoint>> all_nodes;
  std::int64_t process = 0;
  redis::ConnectionOptions connection;
  HookPoint hook;
  // Monotonic nanoseconds since the run started: the clock the history uses.
  std::function<std::int64_t()> now_ns;
};

// A completion as the client reports it; the driver fills index, time and process.
struct Completion {
  OpType type = OpType::kInfo;
  std::string value = "null";  // JSON text
  std::string error;

  static Completion ok(std::string value = "null") { return {OpType::kOk, std::move(value), {}}; }
  static Completion fail(std::string error, std::string value = "null") {
    return {OpType::kFail, std::move(value), std::move(error)};
  }
  static Completion info(std::string error) { return {OpType::kInfo, "null", std::move(error)}; }
};

// The usual mapping of a Redis request's certainty to a completion when the request failed:
// certainly not applied -> fail, otherwise -> info. Only for results that are not ok().
Completion completion_for_failure(const redis::Result& result);

class Client {
 public:
  virtual ~Client() = default;
  // `invoke` is the invoke event as recorded (f, key, value, time).
  virtual boost::asio::awaitable<Completion> invoke(const Op& invoke) = 0;
};

}  // namespace redproof
