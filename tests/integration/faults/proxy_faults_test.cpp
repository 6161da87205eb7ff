// The three proxy faults (proxy-latency, proxy-reset, proxy-blackhole) as the nemesis uses them,
// made by the fault registry, against a real redis-server behind a real FaultProxy: each has its
// effect, and after stop, heal and the proxy's own stop, traffic flows normally and nothing is
// left listening. Also: bytes cross the proxy unchanged, whatever toxics cut and delay them.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>

#include "faults/fault_registry.hpp"
#include "faults/proxy/fault_proxy.hpp"
#include "proxy_test_support.hpp"
#include "proxy_upstream.hpp"
#include "redis/sync_command.hpp"

namespace redproof::proxy {
namespace {

using namespace testing;
using std::chrono::milliseconds;

double ms(std::chrono::nanoseconds d) {
  return static_cast<double>(d.count()) / 1e6;
}

// Every byte value, in a pattern that does not repeat with any short period, so a dropped,
// duplicated or reordered piece shows.
std::string binary_value(std::size_t size, std::uint64_t seed) {
  Random rng(seed);
  std::string s(size, '\0');
  for (char& c : s) c = static_cast<char>(rng.uniform(0, 255));
  return s;
}

class ProxyFaults : public ProxiedUpstreamTest {
 protected:
  void SetUp() override {
    start_proxy("proxy-upstream", 5);
    context_.proxies = {proxy_.get()};
  }

  std::unique_ptr<Fault> make(const std::string& name) { return find_fault(name)->make(context_); }

  redis::Reply command(std::vector<std::string> args, milliseconds timeout = milliseconds(2000)) {
    return redis::sync_command(proxy_->endpoint(), std::move(args), timeout);
  }

  // What a healed proxy must show: a fresh connection answers at once, and no toxic is left.
  void expect_normal_traffic() {
    EXPECT_TRUE(proxy_->toxics().empty());
    auto c = connect();
    auto median = median_ping(*c, 5);
    EXPECT_GE(median.count(), 0) << "a PING failed through the healed proxy";
    EXPECT_LT(median, milliseconds(20));
    EXPECT_TRUE(command({"PING"}).is_status("PONG"));
  }

  FaultContext context_;
  Random rng_{11};
};

TEST_F(ProxyFaults, ForwardsBytesExactly) {
  // 1 MB of every byte value, through the proxy both ways, read back directly and through it.
  std::string value = binary_value(1 << 20, 1);
  ASSERT_TRUE(command({"SET", "blob", value}).is_status("OK"));
  EXPECT_EQ(redis::sync_command(up_.endpoint(), {"GET", "blob"}, milliseconds(2000)).str, value);
  EXPECT_EQ(command({"GET", "blob"}).str, value);
  auto s = proxy_->stats();
  EXPECT_GT(s.bytes_upstream, value.size());
  EXPECT_GT(s.bytes_downstream, value.size());
  EXPECT_EQ(s.dropped_upstream + s.dropped_downstream, 0u);
}

TEST_F(ProxyFaults, ForwardsBytesExactlyThroughSlicingAndJitter) {
  // Slices released at jittered times must still arrive whole and in order.
  proxy_->add_toxic("slicer:1000:600,stream=up");
  proxy_->add_toxic("latency:3ms:3ms,stream=up");
  proxy_->add_toxic("slicer:700:300:0,stream=down");
  proxy_->add_toxic("latency:2ms:2ms,stream=down");
  for (std::uint64_t round = 0; round < 3; ++round) {
    std::string value = binary_value(200'000 + round * 7'919, round + 2);
    std::string key = "sliced" + std::to_string(round);
    ASSERT_TRUE(command({"SET", key, value}, milliseconds(10000)).is_status("OK"));
    EXPECT_EQ(command({"GET", key}, milliseconds(10000)).str, value) << "round " << round;
  }
}

TEST_F(ProxyFaults, LatencyAddsWhatItSaysWithin20Percent) {
  // proxy-latency delays each chunk 50 ms ± 10 ms each way: a round trip gains 100 ms. Medians
  // over many round trips, before and during, so the odd slow one on a busy machine is ignored.
  constexpr int kRoundTrips = 31;
  auto before_client = connect();
  auto before = median_ping(*before_client, kRoundTrips);
  ASSERT_GE(before.count(), 0);

  auto fault = make("proxy-latency");
  auto open = connect();  // open before the fault: toxics reach existing connections too
  ASSERT_TRUE(open->ping());
  FaultAction start = fault->start(rng_);
  EXPECT_EQ(start.f, "start-latency");
  auto during = median_ping(*open, kRoundTrips);
  auto fresh = connect();
  auto during_new = median_ping(*fresh, kRoundTrips);
  fault->stop();
  ASSERT_GE(during.count(), 0);
  ASSERT_GE(during_new.count(), 0);

  constexpr double kExpectedMs = 100.0;
  auto error_percent = [&](double added_ms) {
    return 100.0 * (added_ms - kExpectedMs) / kExpectedMs;
  };
  double added = ms(during) - ms(before);
  double added_new = ms(during_new) - ms(before);
  std::printf(
      "[ measured ] proxy-latency (50ms±10ms each way, 100 ms per round trip): median round "
      "trip %.3f ms without; %.3f ms with on an open connection (+%.2f ms, %+.1f%%), %.3f ms on "
      "a new one (+%.2f ms, %+.1f%%)\n",
      ms(before), ms(during), added, error_percent(added), ms(during_new), added_new,
      error_percent(added_new));
  EXPECT_LE(std::abs(error_percent(added)), 20.0);
  EXPECT_LE(std::abs(error_percent(added_new)), 20.0);

  // After stop the same connection is fast again.
  auto after = median_ping(*open, 5);
  ASSERT_GE(after.count(), 0);
  EXPECT_LT(after, milliseconds(20));
  fault->heal();
  expect_normal_traffic();
}

TEST_F(ProxyFaults, BlackholeMakesRequestsTimeOut) {
  auto open = connect();
  ASSERT_TRUE(open->ping());
  auto fault = make("proxy-blackhole");
  EXPECT_EQ(fault->start(rng_).f, "start-blackhole");

  // A client with a request time-out gives up; no error reply, no reset: silence.
  auto t0 = Clock::now();
  EXPECT_THROW(command({"PING"}, milliseconds(300)), redis::CommandError);
  EXPECT_GE(Clock::now() - t0, milliseconds(250));
  ASSERT_TRUE(open->send("PING\r\n"));
  std::string got;
  EXPECT_EQ(open->read_exactly(7, got, milliseconds(400)), ReadEnd::kTimeout);
  EXPECT_TRUE(got.empty());
  EXPECT_GE(proxy_->stats().dropped_upstream, 6u);

  EXPECT_EQ(fault->stop().f, "stop-blackhole");
  // The swallowed request is never answered late: its connection is closed (as Toxiproxy does).
  EXPECT_EQ(open->read_to_end(got, milliseconds(2000)), ReadEnd::kEof);
  EXPECT_TRUE(got.empty()) << got;
  expect_normal_traffic();
}

TEST_F(ProxyFaults, ResetMakesClientsSeeAReset) {
  auto open = connect();
  ASSERT_TRUE(open->ping());
  auto fault = make("proxy-reset");
  EXPECT_EQ(fault->start(rng_).f, "start-reset");

  // An open connection is reset on its next request.
  ASSERT_TRUE(open->send("PING\r\n"));
  std::string got;
  EXPECT_EQ(open->read_to_end(got, milliseconds(2000)), ReadEnd::kReset)
      << "errno " << open->last_errno();
  EXPECT_TRUE(got.empty());
  // So is a new one; a real client's request fails.
  auto fresh = connect();
  ASSERT_TRUE(fresh->send("PING\r\n"));
  EXPECT_EQ(fresh->read_to_end(got, milliseconds(2000)), ReadEnd::kReset);
  EXPECT_THROW(command({"PING"}), redis::CommandError);
  EXPECT_GE(proxy_->stats().resets, 3u);

  fault->stop();
  expect_normal_traffic();
}

TEST_F(ProxyFaults, ResetReachesAClientThatOnlyListens) {
  // A client blocked in BLPOP sends nothing while it waits; the reply coming back is what
  // strikes the reset.
  auto blocked = connect();
  ASSERT_TRUE(blocked->send("BLPOP jobs 5\r\n"));
  std::this_thread::sleep_for(milliseconds(100));  // the BLPOP reaches the server first
  auto fault = make("proxy-reset");
  fault->start(rng_);
  ASSERT_EQ(
      redis::sync_command(up_.endpoint(), {"RPUSH", "jobs", "j1"}, milliseconds(2000)).integer, 1);
  std::string got;
  EXPECT_EQ(blocked->read_to_end(got, milliseconds(3000)), ReadEnd::kReset);
  EXPECT_TRUE(got.empty()) << got;
  fault->heal();
  expect_normal_traffic();
}

TEST_F(ProxyFaults, HealUndoesEveryFaultAndStopLeavesNothingListening) {
  auto latency = make("proxy-latency");
  auto blackhole = make("proxy-blackhole");
  auto reset = make("proxy-reset");
  latency->start(rng_);
  blackhole->start(rng_);
  reset->start(rng_);
  EXPECT_EQ(proxy_->toxics().size(), 6u);
  // The run ends without stopping them: the final heal, twice (Ctrl-C during the heal).
  for (int i = 0; i < 2; ++i) {
    latency->heal();
    blackhole->heal();
    reset->heal();
  }
  expect_normal_traffic();

  redis::Endpoint where = proxy_->endpoint();
  auto idle = connect();
  ASSERT_TRUE(idle->ping());
  proxy_->stop();
  EXPECT_EQ(proxy_->stats().connections_open, 0u);
  std::string got;
  ReadEnd end = idle->read_to_end(got, milliseconds(2000));
  EXPECT_TRUE(end == ReadEnd::kEof || end == ReadEnd::kReset) << to_string(end);
  LoopbackClient late;
  EXPECT_FALSE(late.connect(where)) << "the proxy's port still accepts after stop()";
  // Healing a stopped proxy is harmless, and the server itself was never touched.
  latency->heal();
  EXPECT_TRUE(redis::sync_command(up_.endpoint(), {"PING"}, milliseconds(2000)).is_status("PONG"));
}

TEST_F(ProxyFaults, NemesisThreadStartsAndStopsWhileClientsRun) {
  // The nemesis runs on its own thread while workers use the proxy: start/stop must neither
  // hang nor corrupt the stream of a client that gets through.
  std::atomic<bool> done{false};
  std::atomic<int> ok{0}, failed{0};
  std::thread worker([&] {
    while (!done) {
      try {
        auto r = command({"INCR", "n"}, milliseconds(300));
        (r.as_integer() ? ok : failed)++;
      } catch (const redis::CommandError&) {
        ++failed;  // time-outs and resets are what these faults cause
      }
    }
  });
  for (const char* name : {"proxy-latency", "proxy-reset", "proxy-blackhole"}) {
    auto f = make(name);
    for (int i = 0; i < 3; ++i) {
      f->start(rng_);
      std::this_thread::sleep_for(milliseconds(80));
      f->stop();
      std::this_thread::sleep_for(milliseconds(40));
    }
    f->heal();
  }
  done = true;
  worker.join();
  EXPECT_GT(ok.load(), 0);
  expect_normal_traffic();
}

}  // namespace
}  // namespace redproof::proxy
