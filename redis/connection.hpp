// One connection to one Redis server, owned by one logical process of a run. Commands are
// encoded with hiredis's formatter and replies parsed with hiredis's reader; the socket and the
// time-outs are Boost.Asio's, with C++20 coroutines.
//
// Every request ends in one of three certainties, which the workloads map to history types:
//   kReplied    - the server answered (possibly with an error reply; see `applied`);
//   kNotApplied - the command certainly did not take effect (not connected, refused, an error
//                 reply that Redis gives before executing anything)   -> history "fail"
//   kUnknown    - it may or may not have taken effect (time-out or connection lost after the
//                 request was sent, a script that failed part-way)  -> history "info"
// After kUnknown the connection is closed: its state is unknown and a logical process never
// has two operations in flight.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "redis/connection_security.hpp"
#include "redis/endpoint.hpp"
#include "redis/reply.hpp"

namespace redproof::redis {

enum class Certainty : std::uint8_t { kReplied, kNotApplied, kUnknown };

struct Result {
  Certainty certainty = Certainty::kUnknown;
  Reply reply;        // valid when kReplied
  std::string error;  // why, when not kReplied, or the error reply's text

  bool ok() const { return certainty == Certainty::kReplied && !reply.is_error(); }
};

// A Lua script, identified by its SHA1 so that EVALSHA can be tried first.
class Script {
 public:
  explicit Script(std::string source);
  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }

 private:
  std::string source_;
  std::string sha1_;
};

struct ConnectionOptions {
  std::chrono::nanoseconds connect_timeout = std::chrono::seconds(1);
  std::chrono::nanoseconds request_timeout = std::chrono::seconds(1);
  // Redis Cluster: the endpoint is a seed; each request goes to the node owning its key's slot
  // (learnt from MOVED replies), and MOVED and ASK redirections are followed. A redirection
  // proves the redirecting node did nothing, so following it keeps the request's certainty.
  bool cluster = false;
  // Redirections to these "host:port" addresses go to the mapped endpoint instead: the servers
  // announce their own addresses, but the harness's clients must keep going through the fault
  // proxies in front of them, or a network fault would only touch the seed node's traffic.
  std::shared_ptr<const AddressMap> redirect_to;
  // A server the harness did not start (--target): AUTH and TLS on every connection. Null: a
  // plain connection with no AUTH, as to the servers redproof starts.
  std::shared_ptr<const ConnectionSecurity> security;
};

class Connection {
 public:
  Connection(boost::asio::any_io_executor executor, Endpoint endpoint,
             ConnectionOptions options = {});
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects if not connected (also after an earlier failure). Never throws: a failure to
  // connect is a kNotApplied result of the request that needed it.
  boost::asio::awaitable<Result> exec(std::vector<std::string> args);
  boost::asio::awaitable<Result> exec(std::vector<std::string> args,
                                      std::chrono::nanoseconds timeout);
  // EVALSHA, falling back to EVAL on NOSCRIPT. Errors raised while the script ran are kUnknown:
  // Redis does not roll back a script's writes made before the error.
  boost::asio::awaitable<Result> eval(const Script& script, std::vector<std::string> keys,
                                      std::vector<std::string> args);

  // The next reply the server sends without a request: a pub/sub message after SUBSCRIBE (a
  // reply that arrived behind an earlier one is returned first). Nothing within `wait`:
  // kNotApplied "nothing received", and the connection stays open. The connection lost:
  // kUnknown, and it is closed. Not connected, or a cluster connection: kNotApplied.
  boost::asio::awaitable<Result> receive(std::chrono::nanoseconds wait);

  bool connected() const;
  void close();
  const Endpoint& endpoint() const { return endpoint_; }

 private:
  struct Impl;
  struct ClusterNodes;
  boost::asio::awaitable<Result> exec_routed(std::vector<std::string> args,
                                             std::chrono::nanoseconds timeout);
  Endpoint endpoint_;
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<ClusterNodes> cluster_;  // with options.cluster
};

}  // namespace redproof::redis
