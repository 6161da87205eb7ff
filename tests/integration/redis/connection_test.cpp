// Connection against a real redis-server: replies, error replies, scripts with the NOSCRIPT
// fall-back, and the certainty of each failure (refused -> not applied, time-out -> unknown).
#include "redis/connection.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <functional>

#include "redis/command_encoder.hpp"
#include "redis/local_server.hpp"
#include "redis/sync_command.hpp"
#include "temp_dir.hpp"

namespace redproof::redis {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LocalServerOptions o;
    o.directory = dir_.path() + "/n1";
    server_ = std::make_unique<LocalServer>(o);
    server_->start();
  }

  // Runs `body` as a coroutine to completion.
  void run(std::function<asio::awaitable<void>(Connection&)> body, ConnectionOptions options = {}) {
    asio::io_context io;
    Connection c(io.get_executor(), server_->endpoint(), options);
    std::exception_ptr error;
    asio::co_spawn(io, body(c), [&](std::exception_ptr e) { error = e; });
    io.run();
    if (error) std::rethrow_exception(error);
  }

  testing::TempDir dir_;
  std::unique_ptr<LocalServer> server_;
};

TEST_F(ConnectionTest, CommandsAndReplies) {
  run([](Connection& c) -> asio::awaitable<void> {
    auto set = co_await c.exec(command("SET", "k", "v"));
    EXPECT_TRUE(set.ok());
    EXPECT_TRUE(set.reply.is_status("OK"));
    auto get = co_await c.exec(command("GET", "k"));
    EXPECT_EQ(get.reply.str, "v");
    auto incr = co_await c.exec(command("INCR", "n"));
    EXPECT_EQ(incr.reply.integer, 1);
    EXPECT_TRUE(c.connected());
  });
}

TEST_F(ConnectionTest, ErrorReplyIsRepliedNotOk) {
  run([](Connection& c) -> asio::awaitable<void> {
    co_await c.exec(command("SET", "k", "v"));
    auto r = co_await c.exec(command("INCR", "k"));
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.certainty, Certainty::kReplied);
    EXPECT_TRUE(r.reply.is_error());
    EXPECT_NE(r.error.find("ERR"), std::string::npos);
  });
}

TEST_F(ConnectionTest, ScriptLoadsItselfOnNoscript) {
  run([](Connection& c) -> asio::awaitable<void> {
    Script s("return redis.call('incrby', KEYS[1], ARGV[1])");
    auto first = co_await c.eval(s, command("n"), command("5"));
    EXPECT_TRUE(first.ok()) << first.error;
    EXPECT_EQ(first.reply.integer, 5);
    auto second = co_await c.eval(s, command("n"), command("2"));
    EXPECT_EQ(second.reply.integer, 7);
    auto exists = co_await c.exec(command("SCRIPT", "EXISTS", s.sha1()));
    EXPECT_EQ(exists.reply.elements.at(0).integer, 1);
  });
}

TEST_F(ConnectionTest, ScriptErrorIsUncertain) {
  run([](Connection& c) -> asio::awaitable<void> {
    Script s("redis.call('set', KEYS[1], 'x'); return redis.call('incr', KEYS[1])");
    auto r = co_await c.eval(s, command("k"), {});
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.certainty, Certainty::kUnknown);  // the SET happened before the error
  });
}

TEST_F(ConnectionTest, RefusedConnectionIsNotApplied) {
  const auto endpoint = server_->endpoint();
  server_->stop();
  asio::io_context io;
  Connection c(io.get_executor(), endpoint);
  Result result;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { result = co_await c.exec(command("SET", "k", "v")); },
      asio::detached);
  io.run();
  EXPECT_EQ(result.certainty, Certainty::kNotApplied);
  EXPECT_NE(result.error.find(endpoint.to_string()), std::string::npos) << result.error;
}

TEST_F(ConnectionTest, TimeOutOnAPausedServerIsUnknownAndReconnects) {
  ConnectionOptions o;
  o.request_timeout = 200ms;
  run(
      [this](Connection& c) -> asio::awaitable<void> {
        EXPECT_TRUE((co_await c.exec(command("PING"))).ok());
        server_->pause();
        auto r = co_await c.exec(command("SET", "k", "v"));
        server_->resume();
        EXPECT_EQ(r.certainty, Certainty::kUnknown);
        EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
        EXPECT_FALSE(c.connected());
        auto again = co_await c.exec(command("GET", "k"));
        EXPECT_TRUE(again.ok()) << again.error;
        // The timed-out SET reached the server and was applied once it resumed.
        EXPECT_EQ(again.reply.str, "v");
      },
      o);
}

TEST_F(ConnectionTest, ServerKilledMidRequestIsUnknown) {
  run([this](Connection& c) -> asio::awaitable<void> {
    EXPECT_TRUE((co_await c.exec(command("PING"))).ok());
    // The server dies with the connection open: the next request cannot be answered.
    server_->pause();
    server_->kill();
    auto r = co_await c.exec(command("SET", "k", "v"));
    EXPECT_NE(r.certainty, Certainty::kReplied);
  });
}

// A server that answers half a reply and then says nothing: the time-out must end the read
// that is waiting for the rest, and the half reply must not be taken for an answer.
TEST(ConnectionTimeout, AHalfWrittenReplyTimesOutAsUnknown) {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  const Endpoint endpoint{"127.0.0.1", acceptor.local_endpoint().port()};
  asio::ip::tcp::socket peer(io);
  std::array<char, 256> request{};
  acceptor.async_accept(peer, [&](boost::system::error_code ec) {
    ASSERT_FALSE(ec);
    peer.async_read_some(asio::buffer(request), [&](boost::system::error_code rec, std::size_t) {
      ASSERT_FALSE(rec);
      static const std::string half = "$10\r\nabc";
      asio::async_write(peer, asio::buffer(half), [](boost::system::error_code, std::size_t) {});
    });
  });
  ConnectionOptions o;
  o.request_timeout = 200ms;
  Connection c(io.get_executor(), endpoint, o);
  Result result;
  bool done = false;
  const auto start = std::chrono::steady_clock::now();
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        result = co_await c.exec(command("GET", "k"));
        done = true;
        peer.close();
      },
      asio::detached);
  io.run_for(5s);
  ASSERT_TRUE(done) << "exec did not return within 5 s";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(result.certainty, Certainty::kUnknown);
  EXPECT_NE(result.error.find("timed out"), std::string::npos) << result.error;
  EXPECT_FALSE(c.connected());
}

// Each command re-arms the same timer: a long run of quick commands with a short time-out
// must never have one cancelled by an earlier command's deadline.
TEST_F(ConnectionTest, ManyQuickCommandsUnderAShortTimeOutAllSucceed) {
  ConnectionOptions o;
  o.request_timeout = 100ms;
  run(
      [](Connection& c) -> asio::awaitable<void> {
        int failures = 0;
        for (int i = 0; i < 3000; ++i) {
          auto r = co_await c.exec(command("INCR", "n"));
          if (!r.ok()) ++failures;
        }
        EXPECT_EQ(failures, 0);
        auto n = co_await c.exec(command("GET", "n"));
        EXPECT_EQ(n.reply.str, "3000");
      },
      o);
}

TEST(SyncCommand, UnreachableServerThrowsWithTheEndpoint) {
  try {
    sync_command(Endpoint{"127.0.0.1", 1}, {"PING"}, 200ms);
    FAIL();
  } catch (const CommandError& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:1"), std::string::npos);
  }
}

}  // namespace
}  // namespace redproof::redis
