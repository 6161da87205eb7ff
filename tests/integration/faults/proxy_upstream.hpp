// The server behind the proxy in its integration tests. A real redis-server (redis::LocalServer)
// when redproof has one; until then a tiny stand-in on a loopback port that answers inline PING
// with +PONG exactly as Redis does, so the tests speak the same bytes either way.
#pragma once

#include <list>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "redis/endpoint.hpp"

namespace redproof::proxy::testing {

class PongServer {
 public:
  PongServer() : acceptor_(io_) {
    namespace asio = boost::asio;
    using tcp = asio::ip::tcp;
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~PongServer() {
    boost::asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      for (auto& s : sessions_) s.close(ignored);
    });
    thread_.join();  // run() returns once every session has seen its socket closed
  }
  PongServer(const PongServer&) = delete;
  PongServer& operator=(const PongServer&) = delete;

  redis::Endpoint endpoint() const { return {"127.0.0.1", port_}; }

 private:
  using tcp = boost::asio::ip::tcp;

  boost::asio::awaitable<void> accept_loop() {
    constexpr auto tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(tuple);
      if (ec) co_return;
      sessions_.push_back(std::move(socket));
      boost::asio::co_spawn(io_, session(std::prev(sessions_.end())), boost::asio::detached);
    }
  }

  boost::asio::awaitable<void> session(std::list<tcp::socket>::iterator it) {
    constexpr auto tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
    tcp::socket& s = *it;
    std::string pending;
    char buf[4096];
    for (;;) {
      auto [ec, n] = co_await s.async_read_some(boost::asio::buffer(buf), tuple);
      if (ec) break;
      pending.append(buf, n);
      std::string reply;
      for (auto at = pending.find("\r\n"); at != std::string::npos; at = pending.find("\r\n")) {
        reply += pending.compare(0, at, "PING") == 0 ? "+PONG\r\n" : "-ERR unknown command\r\n";
        pending.erase(0, at + 2);
      }
      if (!reply.empty()) {
        auto [wec, w] = co_await boost::asio::async_write(s, boost::asio::buffer(reply), tuple);
        if (wec) break;
      }
    }
    boost::system::error_code ignored;
    s.close(ignored);
    sessions_.erase(it);
  }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  std::list<tcp::socket> sessions_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// What the tests run against.
class Upstream {
 public:
  Upstream() : pong_(std::make_unique<PongServer>()) {}
  redis::Endpoint endpoint() const { return pong_->endpoint(); }
  std::string kind() const { return "stand-in PONG server"; }

 private:
  std::unique_ptr<PongServer> pong_;
};

}  // namespace redproof::proxy::testing
