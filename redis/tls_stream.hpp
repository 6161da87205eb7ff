// A TLS session over one TCP socket, for Connection: the socket is reachable for connect, cancel
// and close; reads, writes and the handshake go through OpenSSL. Only redis/connection.cpp
// includes this, and the SSL headers stay in tls_stream.cpp.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <tuple>

#include "redis/tls_context.hpp"

namespace redproof::redis {

class TlsStream {
 public:
  TlsStream(boost::asio::any_io_executor executor, const TlsContext& context);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  // The TCP socket underneath: connect it before handshake(); cancel or close it to end
  // whatever is in flight.
  boost::asio::ip::tcp::socket& socket();

  // Sends SNI and verifies the server's certificate against the CA and the name (the context's
  // --sni, else `host`). Empty on success, else why not, in one line.
  boost::asio::awaitable<std::string> handshake(const std::string& host);

  using Outcome = std::tuple<boost::system::error_code, std::size_t>;
  boost::asio::awaitable<Outcome> read_some(boost::asio::mutable_buffer buffer);
  boost::asio::awaitable<Outcome> write_all(boost::asio::const_buffer buffer);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace redproof::redis
