// The Redlock variant's client against five real, independent redis-servers: it holds the lock
// only with a majority of masters, undoes a minority acquisition everywhere, and its release
// reaches every master.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>

#include "integration/redis/temp_dir.hpp"
#include "redis/local_server.hpp"
#include "redis/sync_command.hpp"
#include "workloads/lock/lock_client.hpp"

namespace redproof::lock {
namespace {

using std::chrono::milliseconds;

class RedlockClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 5; ++i) {
      redis::LocalServerOptions o;
      o.name = "n" + std::to_string(i + 1);
      o.directory = dir_.path() + "/" + o.name;
      servers_.push_back(std::make_unique<redis::LocalServer>(o));
      servers_.back()->start();
    }
    options_.variant = LockVariant::kRedlock;
    options_.ttl = milliseconds(2000);
  }

  redis::Reply cmd(int node, std::vector<std::string> args) {
    return redis::sync_command(servers_[node]->endpoint(), std::move(args), milliseconds(2000));
  }

  // Runs one operation of a fresh client (or `client`) to completion.
  Completion perform(LockClient& client, const std::string& f, const std::string& owner) {
    Op op;
    op.f = f;
    op.key = "lock:0";
    op.value = "{\"owner\":\"" + owner + "\"}";
    op.time = now_ns();
    auto future = boost::asio::co_spawn(io_, client.invoke(op), boost::asio::use_future);
    io_.restart();
    io_.run();
    return future.get();
  }

  std::unique_ptr<LockClient> client() {
    ClientSetup setup;
    setup.executor = io_.get_executor();
    setup.endpoint = servers_[0]->endpoint();
    for (const auto& s : servers_) setup.all_nodes.emplace_back(s->name(), s->endpoint());
    setup.hook = [](const Hook&) -> boost::asio::awaitable<void> { co_return; };
    setup.now_ns = [this] { return now_ns(); };
    return std::make_unique<LockClient>(setup, options_, std::make_shared<FencedResource>(false));
  }

  std::int64_t now_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                                start_)
        .count();
  }

  testing::TempDir dir_;
  std::vector<std::unique_ptr<redis::LocalServer>> servers_;
  LockOptions options_;
  boost::asio::io_context io_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

TEST_F(RedlockClientTest, HoldsWithAMajorityAndReleasesEverywhere) {
  // Someone else holds the lock on two masters: three is still a majority.
  cmd(0, {"SET", "lock:0", "other", "PX", "60000"});
  cmd(1, {"SET", "lock:0", "other", "PX", "60000"});
  auto c = client();
  auto acquired = perform(*c, "acquire", "me");
  ASSERT_EQ(acquired.type, OpType::kOk) << acquired.error;
  EXPECT_NE(acquired.value.find("validity_ms"), std::string::npos);
  for (int i = 2; i < 5; ++i) EXPECT_EQ(cmd(i, {"GET", "lock:0"}).str, "me");
  EXPECT_EQ(cmd(0, {"GET", "lock:0"}).str, "other");

  auto released = perform(*c, "release", "me");
  ASSERT_EQ(released.type, OpType::kOk);
  EXPECT_NE(released.value.find("true"), std::string::npos);
  for (int i = 2; i < 5; ++i) EXPECT_TRUE(cmd(i, {"GET", "lock:0"}).is_nil());
  EXPECT_EQ(cmd(1, {"GET", "lock:0"}).str, "other");  // never ours: untouched
}

TEST_F(RedlockClientTest, AMinorityIsNotHeldAndIsUndone) {
  for (int i = 0; i < 3; ++i) cmd(i, {"SET", "lock:0", "other", "PX", "60000"});
  auto c = client();
  auto r = perform(*c, "acquire", "me");
  EXPECT_EQ(r.type, OpType::kFail);
  EXPECT_EQ(r.error, "busy");
  // The two masters it did get were released again.
  EXPECT_TRUE(cmd(3, {"GET", "lock:0"}).is_nil());
  EXPECT_TRUE(cmd(4, {"GET", "lock:0"}).is_nil());
  EXPECT_EQ(cmd(0, {"GET", "lock:0"}).str, "other");
}

TEST_F(RedlockClientTest, ADeadMinorityOfMastersDoesNotStopIt) {
  servers_[3]->kill();
  servers_[4]->kill();
  auto c = client();
  auto r = perform(*c, "acquire", "me");
  EXPECT_EQ(r.type, OpType::kOk) << r.error;
  servers_[2]->kill();  // now a majority is gone
  auto other = client();
  EXPECT_EQ(perform(*other, "acquire", "you").type, OpType::kFail);
}

}  // namespace
}  // namespace redproof::lock
