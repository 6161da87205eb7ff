// The fault proxy forwards real connections: PING through it, statistics, disable/enable as a
// partition, heal, and stop() leaving no thread, socket or listening port behind.
#include <gtest/gtest.h>

#include <thread>

#include "faults/proxy/fault_proxy.hpp"
#include "integration/redis/eventually.hpp"
#include "proxy_test_support.hpp"
#include "proxy_upstream.hpp"

namespace redproof::proxy {
namespace {

using namespace testing;
using redproof::testing::eventually;
using std::chrono::milliseconds;

FaultProxyOptions options_for(const Upstream& up, std::uint64_t seed = 1) {
  FaultProxyOptions o;
  o.name = "test";
  o.upstream = up.endpoint();
  o.seed = seed;
  return o;
}

TEST(FaultProxyForwarding, PingThroughTheProxy) {
  Upstream up;
  FaultProxy proxy(options_for(up));
  proxy.start();
  EXPECT_TRUE(proxy.running());
  EXPECT_EQ(proxy.endpoint().host, "127.0.0.1");
  EXPECT_NE(proxy.endpoint().port, 0);
  EXPECT_NE(proxy.endpoint().port, up.endpoint().port);

  LoopbackClient c;
  ASSERT_TRUE(c.connect(proxy.endpoint())) << std::strerror(c.last_errno());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(c.ping()) << "ping " << i << " via " << up.kind();
  ASSERT_TRUE(eventually([&] { return proxy.stats().bytes_downstream == 70; }));
  ProxyStats s = proxy.stats();
  EXPECT_EQ(s.connections_accepted, 1u);
  EXPECT_EQ(s.connections_open, 1u);
  EXPECT_EQ(s.bytes_upstream, 60u);    // 10 × "PING\r\n"
  EXPECT_EQ(s.bytes_downstream, 70u);  // 10 × "+PONG\r\n"
  EXPECT_EQ(s.dropped_upstream + s.dropped_downstream, 0u);

  c.close();
  EXPECT_TRUE(eventually([&] { return proxy.stats().connections_open == 0; }));
  proxy.stop();
  EXPECT_FALSE(proxy.running());
  proxy.stop();  // idempotent
}

TEST(FaultProxyForwarding, ManyConnectionsAtOnce) {
  Upstream up;
  FaultProxy proxy(options_for(up));
  proxy.start();
  std::vector<std::unique_ptr<LoopbackClient>> clients;
  for (int i = 0; i < 20; ++i) {
    clients.push_back(std::make_unique<LoopbackClient>());
    ASSERT_TRUE(clients.back()->connect(proxy.endpoint()));
  }
  for (int round = 0; round < 3; ++round) {
    for (auto& c : clients) ASSERT_TRUE(c->ping());
  }
  EXPECT_EQ(proxy.stats().connections_accepted, 20u);
}

TEST(FaultProxyForwarding, UpstreamDownClosesTheClient) {
  redis::Endpoint gone;
  {
    Upstream up;
    gone = up.endpoint();
  }  // nothing listens there any more
  FaultProxyOptions o;
  o.upstream = gone;
  FaultProxy proxy(o);
  proxy.start();
  LoopbackClient c;
  ASSERT_TRUE(c.connect(proxy.endpoint()));
  std::string got;
  ReadEnd end = c.read_to_end(got, milliseconds(3000));
  EXPECT_TRUE(end == ReadEnd::kEof || end == ReadEnd::kReset) << to_string(end);
  EXPECT_TRUE(eventually([&] { return proxy.stats().connections_failed == 1; }));
}

TEST(FaultProxyForwarding, DisableIsAPartitionAndEnableHealsIt) {
  Upstream up;
  FaultProxy proxy(options_for(up));
  proxy.start();
  LoopbackClient before;
  ASSERT_TRUE(before.connect(proxy.endpoint()));
  ASSERT_TRUE(before.ping());

  proxy.disable();
  EXPECT_FALSE(proxy.enabled());
  // The open connection is reset.
  std::string got;
  ReadEnd end = before.read_to_end(got, milliseconds(2000));
  EXPECT_TRUE(end == ReadEnd::kReset || end == ReadEnd::kEof) << to_string(end);
  EXPECT_TRUE(got.empty());
  // New connections are refused or reset at once: no PING gets through.
  for (int i = 0; i < 3; ++i) {
    LoopbackClient during;
    if (!during.connect(proxy.endpoint())) continue;  // refused: fine
    during.send("PING\r\n");
    std::string reply;
    ReadEnd e = during.read_to_end(reply, milliseconds(2000));
    EXPECT_TRUE(e == ReadEnd::kReset || e == ReadEnd::kEof) << to_string(e);
    EXPECT_TRUE(reply.empty()) << reply;
  }
  EXPECT_GE(proxy.stats().connections_refused, 1u);
  EXPECT_EQ(proxy.stats().connections_open, 0u);

  proxy.enable();
  LoopbackClient after;
  ASSERT_TRUE(after.connect(proxy.endpoint()));
  EXPECT_TRUE(after.ping());
}

// A toxic limited to one client address: that client's connection is black-holed, another
// client's is not; removing the toxic closes the connection it swallowed bytes of.
TEST(FaultProxyForwarding, AToxicFromOneAddressSparesTheOthers) {
  Upstream up;
  FaultProxy proxy(options_for(up));
  proxy.start();
  LoopbackClient cut, spared;
  ASSERT_TRUE(cut.connect(proxy.endpoint(), milliseconds(2000), "127.0.0.7"))
      << std::strerror(cut.last_errno());
  ASSERT_TRUE(spared.connect(proxy.endpoint(), milliseconds(2000), "127.0.0.8"));
  ASSERT_TRUE(cut.ping());
  proxy.add_toxic("timeout,stream=up,name=from7,from=127.0.0.7");
  EXPECT_FALSE(cut.ping(milliseconds(300)));
  EXPECT_TRUE(spared.ping());
  LoopbackClient later;  // a new connection from the same address is cut too
  ASSERT_TRUE(later.connect(proxy.endpoint(), milliseconds(2000), "127.0.0.7"));
  EXPECT_FALSE(later.ping(milliseconds(300)));
  ASSERT_TRUE(proxy.remove_toxic("from7"));
  std::string got;
  const ReadEnd end = cut.read_to_end(got, milliseconds(2000));
  EXPECT_TRUE(end == ReadEnd::kEof || end == ReadEnd::kReset) << to_string(end);
  LoopbackClient again;
  ASSERT_TRUE(again.connect(proxy.endpoint(), milliseconds(2000), "127.0.0.7"));
  EXPECT_TRUE(again.ping());
  EXPECT_TRUE(spared.ping());
}

TEST(FaultProxyForwarding, HealIsIdempotentAndRestoresEverything) {
  Upstream up;
  FaultProxy proxy(options_for(up));
  proxy.start();
  proxy.add_toxic("timeout");
  proxy.add_toxic("latency:30ms,stream=up");
  proxy.disable();
  proxy.heal();
  proxy.heal();
  EXPECT_TRUE(proxy.toxics().empty());
  EXPECT_TRUE(proxy.enabled());
  LoopbackClient c;
  ASSERT_TRUE(c.connect(proxy.endpoint()));
  auto median = median_ping(c, 5);
  EXPECT_GE(median.count(), 0) << "a PING failed after heal";
  EXPECT_LT(median, milliseconds(25));  // the 30 ms upstream latency is gone
  // Heal on a stopped proxy is harmless too.
  proxy.stop();
  proxy.heal();
}

TEST(FaultProxyForwarding, ToxicNamesAreUnique) {
  Upstream up;
  FaultProxy proxy(options_for(up));
  proxy.start();
  proxy.add_toxic("latency:5ms");
  EXPECT_THROW(proxy.add_toxic("latency:9ms"), ToxicError);  // same default name
  proxy.add_toxic("latency:9ms,name=second");
  EXPECT_EQ(proxy.toxics().size(), 2u);
  EXPECT_TRUE(proxy.remove_toxic("second"));
  EXPECT_FALSE(proxy.remove_toxic("second"));
  EXPECT_THROW(proxy.add_toxic("latency:9ms:10ms"), ToxicError);
  EXPECT_EQ(proxy.toxics().size(), 1u);
}

TEST(FaultProxyForwarding, ToxicsAddedBeforeStartApply) {
  Upstream up;
  FaultProxy proxy(options_for(up));
  proxy.add_toxic("latency:40ms");
  proxy.start();
  LoopbackClient c;
  ASSERT_TRUE(c.connect(proxy.endpoint()));
  auto t0 = Clock::now();
  ASSERT_TRUE(c.ping());
  EXPECT_GE(Clock::now() - t0, milliseconds(40));
}

TEST(FaultProxyForwarding, StopLeavesNoThreadSocketOrPort) {
  Upstream up;  // its own thread and socket are counted in the baseline
  std::size_t threads = thread_count();
  std::size_t fds = open_descriptors();
  redis::Endpoint where;
  {
    FaultProxy proxy(options_for(up));
    proxy.start();
    where = proxy.endpoint();
    EXPECT_EQ(thread_count(), threads + 1);
    std::vector<std::unique_ptr<LoopbackClient>> clients;
    for (int i = 0; i < 5; ++i) {
      clients.push_back(std::make_unique<LoopbackClient>());
      ASSERT_TRUE(clients.back()->connect(proxy.endpoint()));
      ASSERT_TRUE(clients.back()->ping());
    }
    proxy.add_toxic("latency:200ms");  // bytes in flight when stopping
    for (auto& c : clients) c->send("PING\r\n");
    proxy.stop();
    EXPECT_EQ(thread_count(), threads);
    // The proxy closed its side of every connection: each client sees the end.
    for (auto& c : clients) {
      std::string got;
      ReadEnd end = c->read_to_end(got, milliseconds(2000));
      EXPECT_TRUE(end == ReadEnd::kEof || end == ReadEnd::kReset) << to_string(end);
    }
    clients.clear();
    EXPECT_EQ(open_descriptors(), fds);
  }
  EXPECT_EQ(thread_count(), threads);
  EXPECT_EQ(open_descriptors(), fds);
  LoopbackClient late;
  EXPECT_FALSE(late.connect(where)) << "the proxy's port still accepts after stop()";
}

TEST(FaultProxyForwarding, RestartsAfterStop) {
  Upstream up;
  FaultProxy proxy(options_for(up));
  proxy.start();
  proxy.stop();
  proxy.start();
  LoopbackClient c;
  ASSERT_TRUE(c.connect(proxy.endpoint()));
  EXPECT_TRUE(c.ping());
}

TEST(FaultProxyForwarding, ControlFromManyThreads) {
  Upstream up;
  FaultProxy proxy(options_for(up));
  proxy.start();
  LoopbackClient c;
  ASSERT_TRUE(c.connect(proxy.endpoint()));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&proxy, t] {
      std::string name = "lag" + std::to_string(t);
      for (int i = 0; i < 50; ++i) {
        proxy.add_toxic("latency:1ms,name=" + name);
        proxy.remove_toxic(name);
        (void)proxy.stats();
      }
    });
  }
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(c.ping());
  for (auto& t : threads) t.join();
  EXPECT_TRUE(proxy.toxics().empty());
  EXPECT_TRUE(c.ping());
}

}  // namespace
}  // namespace redproof::proxy
