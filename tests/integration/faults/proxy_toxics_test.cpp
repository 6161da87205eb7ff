// Each toxic has its effect on real connections: latency within ±20% (the acceptance criterion
// of issue 5), black hole and its heal, reset, limit_data, bandwidth, slicer, and toxicity that
// picks the connections the seed says.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "faults/proxy/fault_proxy.hpp"
#include "faults/proxy/toxicity.hpp"
#include "proxy_test_support.hpp"
#include "proxy_upstream.hpp"

namespace redproof::proxy {
namespace {

using namespace testing;
using std::chrono::milliseconds;

double ms(std::chrono::nanoseconds d) {
  return static_cast<double>(d.count()) / 1e6;
}

class FaultProxyToxics : public ProxiedUpstreamTest {
 protected:
  void SetUp() override { start_proxy("toxics", 2024); }

  // Measures the latency a toxic adds per round trip: the median of 20 PINGs through the proxy
  // with it, minus the median of 20 without it. Medians, not means: a loaded 2-core machine
  // gives the odd slow round trip that would drag a mean.
  double added_latency_ms(const std::vector<std::string>& specs) {
    auto plain = connect();
    auto base = median_ping(*plain, 20);
    EXPECT_GE(base.count(), 0);
    std::string spec;
    for (const auto& s : specs) {
      proxy_->add_toxic(s);
      spec += (spec.empty() ? "" : " + ") + s;
    }
    auto slowed = connect();
    auto with = median_ping(*slowed, 20);
    EXPECT_GE(with.count(), 0);
    proxy_->clear_toxics();
    double added = ms(with) - ms(base);
    std::printf("[ measured ] %s: median round trip %.2f ms without, %.2f ms with: +%.2f ms\n",
                spec.c_str(), ms(base), ms(with), added);
    return added;
  }
};

TEST_F(FaultProxyToxics, Latency50msAddsFiftyMsPerRoundTripWithin20Percent) {
  double added = added_latency_ms({"latency:50ms"});
  EXPECT_GE(added, 40.0);
  EXPECT_LE(added, 60.0);
}

TEST_F(FaultProxyToxics, LatencyWithJitterCentresOnTheLatency) {
  // Jitter is uniform in ±10 ms, so the median of 20 stays inside ±20% of 50 ms.
  double added = added_latency_ms({"latency:50ms:10ms"});
  EXPECT_GE(added, 40.0);
  EXPECT_LE(added, 60.0);
}

TEST_F(FaultProxyToxics, LatencyOnBothDirectionsAdds) {
  double added = added_latency_ms({"latency:25ms,stream=up", "latency:25ms,stream=down"});
  EXPECT_GE(added, 40.0);
  EXPECT_LE(added, 60.0);
}

TEST_F(FaultProxyToxics, ToxicsChangeOpenConnectionsAndRemovalHealsThem) {
  auto c = connect();
  ASSERT_TRUE(c->ping());
  proxy_->add_toxic("latency:60ms");
  auto t0 = Clock::now();
  ASSERT_TRUE(c->ping());
  EXPECT_GE(Clock::now() - t0, milliseconds(60));
  proxy_->remove_toxic("latency_downstream");
  auto median = median_ping(*c, 5);
  ASSERT_GE(median.count(), 0);
  EXPECT_LT(median, milliseconds(30));
}

TEST_F(FaultProxyToxics, RemovingLatencyReleasesHeldBytesAtOnce) {
  auto c = connect();
  proxy_->add_toxic("latency:3s");
  ASSERT_TRUE(c->send("PING\r\n"));
  std::string got;
  EXPECT_EQ(c->read_exactly(7, got, milliseconds(200)), ReadEnd::kTimeout);
  auto t0 = Clock::now();
  proxy_->clear_toxics();
  EXPECT_EQ(c->read_exactly(7, got, milliseconds(2000)), ReadEnd::kOk);
  EXPECT_EQ(got, "+PONG\r\n");
  EXPECT_LT(Clock::now() - t0, milliseconds(1000));
}

TEST_F(FaultProxyToxics, BlackHoleTimesOutAndAfterHealANewConnectionWorks) {
  for (const char* spec : {"timeout", "timeout,stream=up"}) {
    SCOPED_TRACE(spec);
    auto c = connect();
    ASSERT_TRUE(c->ping());
    proxy_->add_toxic(spec);
    ASSERT_TRUE(c->send("PING\r\n"));
    std::string got;
    EXPECT_EQ(c->read_exactly(7, got, milliseconds(500)), ReadEnd::kTimeout);
    EXPECT_TRUE(got.empty());
    // Connections opened during the black hole are swallowed too.
    auto during = connect();
    EXPECT_FALSE(during->ping(milliseconds(300)));
    auto s = proxy_->stats();
    EXPECT_GE(s.dropped_upstream + s.dropped_downstream, 7u);

    proxy_->heal();
    // As Toxiproxy: the connections it swallowed for are closed, never fed stale bytes.
    EXPECT_EQ(c->read_to_end(got, milliseconds(2000)), ReadEnd::kEof);
    EXPECT_TRUE(got.empty()) << got;
    auto fresh = connect();
    EXPECT_TRUE(fresh->ping());
  }
}

TEST_F(FaultProxyToxics, TimeoutClosesTheConnectionAfterIt) {
  proxy_->add_toxic("timeout:200ms");
  auto t0 = Clock::now();
  auto c = connect();
  ASSERT_TRUE(c->send("PING\r\n"));
  std::string got;
  EXPECT_EQ(c->read_to_end(got, milliseconds(3000)), ReadEnd::kEof);
  EXPECT_TRUE(got.empty());
  EXPECT_GE(Clock::now() - t0, milliseconds(190));
}

TEST_F(FaultProxyToxics, ResetPeerResetsTheClient) {
  proxy_->add_toxic("reset_peer");
  auto c = connect();
  ASSERT_TRUE(c->send("PING\r\n"));
  std::string got;
  EXPECT_EQ(c->read_to_end(got, milliseconds(2000)), ReadEnd::kReset)
      << "errno " << c->last_errno();
  EXPECT_TRUE(got.empty());
  EXPECT_GE(proxy_->stats().resets, 1u);
}

TEST_F(FaultProxyToxics, ResetPeerAfterADelay) {
  proxy_->add_toxic("reset_peer:150ms,stream=up");
  auto c = connect();
  auto t0 = Clock::now();
  ASSERT_TRUE(c->send("PING\r\n"));
  std::string got;
  EXPECT_EQ(c->read_to_end(got, milliseconds(2000)), ReadEnd::kReset);
  EXPECT_GE(Clock::now() - t0, milliseconds(140));
}

TEST_F(FaultProxyToxics, LimitDataClosesAfterNBytes) {
  proxy_->add_toxic("limit_data:20");
  auto c = connect();
  ASSERT_TRUE(c->send("PING\r\nPING\r\nPING\r\n"));
  std::string got;
  EXPECT_EQ(c->read_to_end(got, milliseconds(2000)), ReadEnd::kEof);
  EXPECT_EQ(got, std::string("+PONG\r\n+PONG\r\n+PONG\r"));  // 20 of the 21 bytes
}

TEST_F(FaultProxyToxics, BandwidthPacesTheStream) {
  proxy_->add_toxic("bandwidth:10,stream=up");  // 10 000 bytes/s
  auto c = connect();
  std::string pings;
  for (int i = 0; i < 500; ++i) pings += "PING\r\n";  // 3000 bytes: 300 ms at 10 KB/s
  auto t0 = Clock::now();
  ASSERT_TRUE(c->send(pings));
  std::string got;
  ASSERT_EQ(c->read_exactly(500 * 7, got, milliseconds(5000)), ReadEnd::kOk);
  auto took = Clock::now() - t0;
  std::printf("[ measured ] 3000 bytes at 10 KB/s took %.1f ms\n", ms(took));
  EXPECT_GE(took, milliseconds(280));
  EXPECT_LE(took, milliseconds(3000));
}

TEST_F(FaultProxyToxics, SlicerStillDeliversEveryByteInOrder) {
  proxy_->add_toxic("slicer:2:1:1ms,stream=up");
  proxy_->add_toxic("slicer:1:0:3ms,stream=down");
  auto c = connect();
  auto t0 = Clock::now();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c->ping());
  // "+PONG\r\n" is cut into 7 one-byte slices 3 ms apart: at least 18 ms per reply.
  EXPECT_GE(Clock::now() - t0, milliseconds(3 * 18));
  // The proxy counts a slice once its write completes, which may be just after the client read
  // it: wait for the count to settle.
  auto s = proxy_->stats();
  for (int i = 0; i < 100 && s.bytes_downstream < 21u; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
    s = proxy_->stats();
  }
  EXPECT_EQ(s.bytes_downstream, 21u);
}

TEST_F(FaultProxyToxics, ToxicityPicksTheConnectionsTheSeedSays) {
  Toxic t = parse_toxic("latency:150ms,toxicity=0.5");
  proxy_->add_toxic(t);
  ToxicityDecider decider(2024);
  int slow = 0;
  for (std::uint64_t id = 0; id < 16; ++id) {
    auto c = connect();  // connection `id` of this proxy
    auto t0 = Clock::now();
    ASSERT_TRUE(c->ping());
    bool was_slow = Clock::now() - t0 >= milliseconds(150);
    EXPECT_EQ(was_slow, decider.applies(t, id)) << "connection " << id;
    slow += was_slow;
  }
  EXPECT_GT(slow, 0);
  EXPECT_LT(slow, 16);
}

}  // namespace
}  // namespace redproof::proxy
