// redproof's own TCP proxy for network faults (tc netem needs root; this does not). Clients
// connect to the proxy's loopback port instead of the server's; every accepted connection is
// forwarded to the upstream endpoint, and toxics (faults/proxy/toxic.hpp) delay, throttle,
// slice, swallow, cut or reset the bytes of one direction.
//
// The proxy runs on its own thread with its own Asio io_context. Every public method is
// thread-safe and may be called from the driver's threads; control methods return once the change
// is in effect on every open connection. Asio stays out of this header.
//
// Toxics are per direction and per connection: a toxic with toxicity p is decided once for each
// connection when the connection opens or the toxic is added, from the proxy's seed, so one seed
// gives the same choices (faults/proxy/toxicity.hpp). Adding or removing a toxic changes the
// connections already open, not only new ones. Removing a timeout toxic closes the connections
// it was in effect on (as Toxiproxy does): the bytes it swallowed are dropped, not delivered
// late. Removing every delaying toxic releases bytes still held back at once, in order.
//
// disable() is a partition without root: every open connection is reset (RST), and connections
// accepted while disabled are reset at once, so a client sees its connect fail or its connection
// reset; the listening port is kept so that enable() cannot lose it to another process.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "faults/proxy/toxic.hpp"
#include "redis/endpoint.hpp"

namespace redproof::proxy {

struct FaultProxyOptions {
  std::string name = "proxy";  // for messages and the history ("proxy-n1")
  redis::Endpoint upstream;    // where connections are forwarded
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 0;  // 0: a free loopback port
  std::uint64_t seed = 0;         // toxicity decisions, jitter and slicing
  // Bytes held back per direction of a connection before the proxy stops reading from the
  // source (TCP back-pressure instead of unbounded memory).
  std::size_t max_buffered_bytes = 4 << 20;
  std::chrono::milliseconds connect_timeout{2000};  // to the upstream
};

struct ProxyStats {
  std::uint64_t connections_accepted = 0;  // forwarded to the upstream
  std::uint64_t connections_refused = 0;   // reset because the proxy was disabled
  std::uint64_t connections_failed = 0;    // the upstream could not be reached
  std::uint64_t connections_open = 0;
  std::uint64_t bytes_upstream = 0;    // client → server, written to the server
  std::uint64_t bytes_downstream = 0;  // server → client, written to the client
  std::uint64_t dropped_upstream = 0;  // swallowed by toxics
  std::uint64_t dropped_downstream = 0;
  std::uint64_t resets = 0;  // connections closed with RST (reset_peer, disable)
};

class FaultProxy {
 public:
  explicit FaultProxy(FaultProxyOptions options);
  ~FaultProxy();  // stop()
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // Binds the listening socket and starts the proxy's thread. Throws std::runtime_error naming
  // the address when it cannot bind or resolve the upstream. Idempotent while running; a stopped
  // proxy may be started again (on a new port unless listen_port was given).
  void start();
  // Closes the listener and every connection and joins the thread. Idempotent. Toxics added
  // before start() or after stop() are kept and apply from the next start().
  void stop();
  bool running() const;

  // Where clients connect (the real port once started). Throws std::logic_error before start().
  redis::Endpoint endpoint() const;
  const redis::Endpoint& upstream() const;
  const std::string& name() const;

  // Throws ToxicError when invalid or when a toxic of that name exists.
  void add_toxic(const Toxic& toxic);
  // Parses `spec` (text or JSON, see toxic.hpp) and adds it; returns the toxic added.
  Toxic add_toxic(std::string_view spec);
  // False when no toxic has that name.
  bool remove_toxic(const std::string& name);
  void clear_toxics();
  std::vector<Toxic> toxics() const;

  void disable();  // reset every connection and refuse new ones (by reset)
  void enable();
  bool enabled() const;

  // clear_toxics() and enable(): idempotent, never throws.
  void heal() noexcept;

  ProxyStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace redproof::proxy
