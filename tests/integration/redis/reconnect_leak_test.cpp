// 1,000 connect/close cycles of redis::Connection against a real server, and refused connects,
// leave the process with as many open descriptors as before: a harness that reconnects after
// every fault must not run out of them in a long run.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <filesystem>
#include <functional>

#include "redis/command_encoder.hpp"
#include "redis/connection.hpp"
#include "redis/local_server.hpp"
#include "temp_dir.hpp"

namespace redproof::redis {
namespace {

namespace asio = boost::asio;

constexpr int kCycles = 1000;
// Asio and the test framework may open a descriptor or two lazily on first use.
constexpr long kMargin = 3;

long open_descriptors() {
  long n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++n;
  }
  return n;
}

// A loopback port nothing listens on: bound once, then released.
std::uint16_t closed_port(asio::io_context& io) {
  asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

class ReconnectLeakTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LocalServerOptions o;
    o.directory = dir_.path() + "/n1";
    server_ = std::make_unique<LocalServer>(o);
    server_->start();
  }

  void run(std::function<asio::awaitable<void>()> body) {
    std::exception_ptr error;
    asio::co_spawn(io_, body(), [&](std::exception_ptr e) { error = e; });
    io_.run();
    io_.restart();
    if (error) std::rethrow_exception(error);
  }

  testing::TempDir dir_;
  std::unique_ptr<LocalServer> server_;
  asio::io_context io_;
};

TEST_F(ReconnectLeakTest, ThousandConnectCloseCyclesLeakNoDescriptor) {
  const Endpoint endpoint = server_->endpoint();
  int ok = 0;
  // One warm-up cycle first: what Asio opens once (its reactor) is not a leak.
  run([&]() -> asio::awaitable<void> {
    Connection c(io_.get_executor(), endpoint);
    co_await c.exec(command("PING"));
  });
  const long before = open_descriptors();
  run([&]() -> asio::awaitable<void> {
    Connection reused(io_.get_executor(), endpoint);
    for (int i = 0; i < kCycles; ++i) {
      // Half the cycles reconnect one connection after close(), half open and destroy one.
      if (i % 2 == 0) {
        auto r = co_await reused.exec(command("PING"));
        ok += r.ok();
        reused.close();
      } else {
        Connection fresh(io_.get_executor(), endpoint);
        auto r = co_await fresh.exec(command("PING"));
        ok += r.ok();
      }
    }
  });
  EXPECT_EQ(ok, kCycles);
  EXPECT_LE(open_descriptors(), before + kMargin);
}

TEST_F(ReconnectLeakTest, RefusedConnectsLeakNoDescriptor) {
  const Endpoint nowhere{"127.0.0.1", closed_port(io_)};
  int refused = 0;
  run([&]() -> asio::awaitable<void> {
    Connection c(io_.get_executor(), nowhere);
    co_await c.exec(command("PING"));
  });
  const long before = open_descriptors();
  run([&]() -> asio::awaitable<void> {
    Connection c(io_.get_executor(), nowhere);
    for (int i = 0; i < kCycles; ++i) {
      auto r = co_await c.exec(command("PING"));
      refused += r.certainty == Certainty::kNotApplied;
    }
  });
  EXPECT_EQ(refused, kCycles);
  EXPECT_LE(open_descriptors(), before + kMargin);
}

}  // namespace
}  // namespace redproof::redis
