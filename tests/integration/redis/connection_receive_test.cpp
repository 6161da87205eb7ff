// Connection::receive against a real redis-server: pushed pub/sub messages are read without a
// request, a wait that ends with nothing leaves the connection whole, and a subscriber the
// server drops ends in kUnknown with the connection closed.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>

#include "redis/command_encoder.hpp"
#include "redis/connection.hpp"
#include "redis/local_server.hpp"
#include "temp_dir.hpp"

namespace redproof::redis {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;

class ConnectionReceiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LocalServerOptions o;
    o.directory = dir_.path() + "/n1";
    server_ = std::make_unique<LocalServer>(o);
    server_->start();
  }

  // Runs `body` with a subscriber and a publisher connection.
  void run(std::function<asio::awaitable<void>(Connection&, Connection&)> body) {
    asio::io_context io;
    Connection sub(io.get_executor(), server_->endpoint());
    Connection pub(io.get_executor(), server_->endpoint());
    std::exception_ptr error;
    asio::co_spawn(io, body(sub, pub), [&](std::exception_ptr e) { error = e; });
    io.run();
    if (error) std::rethrow_exception(error);
  }

  testing::TempDir dir_;
  std::unique_ptr<LocalServer> server_;
};

TEST_F(ConnectionReceiveTest, ReadsPushedMessagesInOrder) {
  run([](Connection& sub, Connection& pub) -> asio::awaitable<void> {
    auto s = co_await sub.exec(command("SUBSCRIBE", "ch"));
    EXPECT_TRUE(s.ok());
    EXPECT_EQ(s.reply.elements.at(0).str, "subscribe");
    for (const char* m : {"m1", "m2", "m3"}) {
      auto p = co_await pub.exec(command("PUBLISH", "ch", m));
      EXPECT_EQ(p.reply.integer, 1);
    }
    for (const char* m : {"m1", "m2", "m3"}) {
      auto r = co_await sub.receive(1s);
      EXPECT_TRUE(r.ok()) << r.error;
      EXPECT_EQ(r.reply.elements.at(0).str, "message");
      EXPECT_EQ(r.reply.elements.at(2).str, m);
    }
  });
}

TEST_F(ConnectionReceiveTest, AWaitWithNothingLeavesTheConnectionWhole) {
  run([](Connection& sub, Connection& pub) -> asio::awaitable<void> {
    co_await sub.exec(command("SUBSCRIBE", "ch"));
    auto nothing = co_await sub.receive(50ms);
    EXPECT_EQ(nothing.certainty, Certainty::kNotApplied);
    EXPECT_EQ(nothing.error, "nothing received");
    EXPECT_TRUE(sub.connected());
    co_await pub.exec(command("PUBLISH", "ch", "later"));
    auto r = co_await sub.receive(1s);
    EXPECT_EQ(r.reply.elements.at(2).str, "later");
    // A request after receiving still pairs with its own reply.
    auto u = co_await sub.exec(command("UNSUBSCRIBE", "ch"));
    EXPECT_EQ(u.reply.elements.at(0).str, "unsubscribe");
  });
}

TEST_F(ConnectionReceiveTest, ADroppedSubscriberEndsUnknownAndClosed) {
  run([](Connection& sub, Connection& pub) -> asio::awaitable<void> {
    co_await sub.exec(command("SUBSCRIBE", "ch"));
    auto k = co_await pub.exec(command("CLIENT", "KILL", "TYPE", "pubsub"));
    EXPECT_EQ(k.reply.integer, 1);
    auto r = co_await sub.receive(2s);
    EXPECT_EQ(r.certainty, Certainty::kUnknown);
    EXPECT_FALSE(sub.connected());
  });
}

TEST_F(ConnectionReceiveTest, NotConnectedIsNotApplied) {
  run([](Connection& sub, Connection&) -> asio::awaitable<void> {
    auto r = co_await sub.receive(10ms);
    EXPECT_EQ(r.certainty, Certainty::kNotApplied);
  });
}

}  // namespace
}  // namespace redproof::redis
