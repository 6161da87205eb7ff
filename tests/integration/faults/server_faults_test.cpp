// The faults that act on a server through commands, against a real redis-server: CLIENT PAUSE
// holds clients until unpaused, eviction evicts keys with a TTL and restores the server's
// settings, clock-jump shortens every TTL at once. Each leaves the server as it found it.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "faults/clock_jump_fault.hpp"
#include "faults/eviction_fault.hpp"
#include "faults/pause_server_fault.hpp"
#include "integration/redis/temp_dir.hpp"
#include "redis/local_server.hpp"
#include "redis/sync_command.hpp"

namespace redproof {
namespace {

using std::chrono::milliseconds;

// ServerControl over one real server.
class OneServer : public ServerControl {
 public:
  OneServer() {
    redis::LocalServerOptions o;
    o.name = "n1";
    o.directory = dir_.path() + "/n1";
    server_ = std::make_unique<redis::LocalServer>(o);
    server_->start();
  }
  std::vector<std::string> server_names() const override { return {"n1"}; }
  void pause_server(const std::string&) override { server_->pause(); }
  void resume_server(const std::string&) override { server_->resume(); }
  void kill_server(const std::string&) override { server_->kill(); }
  void restart_server(const std::string&) override { server_->restart(); }
  redis::Endpoint server_endpoint(const std::string&) const override { return server_->endpoint(); }
  redis::Reply cmd(std::vector<std::string> args, milliseconds timeout = milliseconds(2000)) {
    return redis::sync_command(server_->endpoint(), std::move(args), timeout);
  }
  std::string config(const std::string& name) {
    return cmd({"CONFIG", "GET", name}).elements[1].str;
  }

 private:
  testing::TempDir dir_;
  std::unique_ptr<redis::LocalServer> server_;
};

TEST(ClientPause, HoldsClientsForTheOccurrenceAndStopAndHealWaitItOut) {
  OneServer s;
  PauseServerFault f(s, milliseconds(500), milliseconds(1000),
                     PauseServerFault::Method::kClientPause);
  Random rng(1);
  auto start = f.start(rng);
  EXPECT_EQ(start.target["method"], "client-pause");
  const auto length = f.duration(rng);  // the length the pause was given
  EXPECT_GE(length.count(), 500);
  EXPECT_LE(length.count(), 1000);
  EXPECT_THROW(s.cmd({"GET", "k"}, milliseconds(300)), redis::CommandError);  // held, no reply
  auto stop = f.stop();
  EXPECT_EQ(stop.f, "resume");
  EXPECT_TRUE(s.cmd({"PING"}, milliseconds(100)).is_status("PONG"));
  // heal() returns only once a pause a start left behind is over.
  f.start(rng);
  f.heal();
  EXPECT_TRUE(s.cmd({"PING"}, milliseconds(100)).is_status("PONG"));
  f.heal();  // idempotent
}

TEST(EvictionFault, EvictsKeysWithATtlAndRestoresTheSettings) {
  OneServer s;
  const std::string maxmemory = s.config("maxmemory");
  const std::string policy = s.config("maxmemory-policy");
  for (int i = 0; i < 200; ++i) {
    s.cmd({"SET", "lock:" + std::to_string(i), std::string(1000, 'x'), "PX", "60000"});
    s.cmd({"SET", "plain:" + std::to_string(i), "v"});
  }
  EvictionFault f(s, nullptr);
  Random rng(1);
  auto start = f.start(rng);
  EXPECT_EQ(start.target["policy"], "volatile-lru");
  EXPECT_EQ(s.config("maxmemory-policy"), "volatile-lru");
  EXPECT_NE(s.config("maxmemory"), maxmemory);
  std::this_thread::sleep_for(milliseconds(1500));
  auto stop = f.stop();
  std::printf("[ measured ] %lld keys evicted, %lld fillers written in 1.5 s\n",
              static_cast<long long>(stop.target["evicted_keys"].get<std::int64_t>()),
              static_cast<long long>(stop.target["fillers_written"].get<std::int64_t>()));
  EXPECT_GT(stop.target["evicted_keys"].get<std::int64_t>(), 0);
  // Keys without a TTL are never evicted under volatile-lru.
  EXPECT_EQ(s.cmd({"EXISTS", "plain:0", "plain:199"}).integer, 2);
  EXPECT_EQ(s.config("maxmemory"), maxmemory);
  EXPECT_EQ(s.config("maxmemory-policy"), policy);
  EXPECT_EQ(s.cmd({"KEYS", "redproof:filler:*"}).elements.size(), 0u);
  f.heal();  // nothing left to undo
  EXPECT_EQ(s.config("maxmemory"), maxmemory);
}

TEST(EvictionFault, HealRestoresAfterAStartWithoutStop) {
  OneServer s;
  const std::string maxmemory = s.config("maxmemory");
  {
    EvictionFault f(s, nullptr);
    Random rng(2);
    f.start(rng);
    f.heal();
    EXPECT_EQ(s.config("maxmemory"), maxmemory);
    EXPECT_EQ(s.cmd({"KEYS", "redproof:filler:*"}).elements.size(), 0u);
  }
}

TEST(ClockJumpFault, ShortensEveryTtlAndExpiresWhatHadLessLeft) {
  OneServer s;
  s.cmd({"SET", "long", "v", "PX", "60000"});
  s.cmd({"SET", "short", "v", "PX", "1000"});
  s.cmd({"SET", "forever", "v"});
  auto [shortened, expired] = ClockJumpFault::jump(s.server_endpoint("n1"), milliseconds(5000));
  EXPECT_EQ(shortened, 1);
  EXPECT_EQ(expired, 1);
  const auto ttl = s.cmd({"PTTL", "long"}).integer;
  EXPECT_LE(ttl, 55000);
  EXPECT_GT(ttl, 50000);
  EXPECT_EQ(s.cmd({"EXISTS", "short"}).integer, 0);
  EXPECT_EQ(s.cmd({"PTTL", "forever"}).integer, -1);

  ClockJumpFault f(s, nullptr, milliseconds(500), milliseconds(2000));
  Random rng(3);
  auto start = f.start(rng);
  EXPECT_EQ(start.f, "clock-jump");
  EXPECT_GE(start.target["jump_ms"].get<int>(), 500);
  EXPECT_EQ(start.target["ttls_shortened"], 1);
}

}  // namespace
}  // namespace redproof
