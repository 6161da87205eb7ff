// The three proxy faults without sockets: a FaultProxy that is not started keeps its toxics and
// applies them from start(), so what each fault adds, records and heals shows in toxics().
#include <gtest/gtest.h>

#include <algorithm>

#include "faults/fault_registry.hpp"
#include "faults/proxy/fault_proxy.hpp"
#include "faults/proxy_fault.hpp"

namespace redproof {
namespace {

using proxy::Direction;
using proxy::FaultProxy;
using proxy::FaultProxyOptions;
using proxy::Toxic;
using proxy::ToxicType;

FaultProxyOptions named(std::string name) {
  FaultProxyOptions o;
  o.name = std::move(name);
  return o;
}

struct Proxies {
  FaultProxy a{named("proxy-n1")};
  FaultProxy b{named("proxy-n2")};
  FaultContext context() {
    return FaultContext{nullptr, {}, std::chrono::milliseconds(1), {&a, &b}};
  }
};

std::unique_ptr<Fault> make(const std::string& name, const FaultContext& c) {
  const FaultInfo* info = find_fault(name);
  EXPECT_NE(info, nullptr) << name;
  return info->make(c);
}

bool has(const std::vector<Toxic>& toxics, ToxicType type, Direction stream) {
  return std::any_of(toxics.begin(), toxics.end(),
                     [&](const Toxic& t) { return t.type == type && t.stream == stream; });
}

TEST(ProxyFault, LatencyIs50msPlusMinus10msBothWays) {
  Proxies p;
  auto f = make("proxy-latency", p.context());
  EXPECT_EQ(f->name(), "proxy-latency");
  Random rng(3);
  auto start = f->start(rng);
  EXPECT_EQ(start.f, "start-latency");
  EXPECT_TRUE(start.record);
  EXPECT_EQ(start.target["proxies"], (nlohmann::json{"proxy-n1", "proxy-n2"}));
  for (FaultProxy* proxy : {&p.a, &p.b}) {
    auto toxics = proxy->toxics();
    ASSERT_EQ(toxics.size(), 2u);
    for (const Toxic& t : toxics) {
      EXPECT_EQ(t.type, ToxicType::kLatency);
      EXPECT_EQ(t.latency, std::chrono::milliseconds(50));
      EXPECT_EQ(t.jitter, std::chrono::milliseconds(10));
      EXPECT_EQ(t.toxicity, 1.0);
    }
    EXPECT_TRUE(has(toxics, ToxicType::kLatency, Direction::kUpstream));
    EXPECT_TRUE(has(toxics, ToxicType::kLatency, Direction::kDownstream));
  }
  auto stop = f->stop();
  EXPECT_EQ(stop.f, "stop-latency");
  EXPECT_EQ(stop.target, start.target);  // fault windows pair start and stop by target
  EXPECT_TRUE(p.a.toxics().empty());
  EXPECT_TRUE(p.b.toxics().empty());
}

TEST(ProxyFault, ResetStrikesEitherWay) {
  Proxies p;
  auto f = make("proxy-reset", p.context());
  Random rng(1);
  EXPECT_EQ(f->start(rng).f, "start-reset");
  auto toxics = p.a.toxics();
  EXPECT_TRUE(has(toxics, ToxicType::kResetPeer, Direction::kUpstream));
  EXPECT_TRUE(has(toxics, ToxicType::kResetPeer, Direction::kDownstream));
  EXPECT_EQ(f->stop().f, "stop-reset");
  EXPECT_TRUE(p.a.toxics().empty());
}

TEST(ProxyFault, BlackholeSwallowsBothWaysUntilRemoved) {
  Proxies p;
  auto f = make("proxy-blackhole", p.context());
  Random rng(1);
  EXPECT_EQ(f->start(rng).f, "start-blackhole");
  auto toxics = p.b.toxics();
  ASSERT_EQ(toxics.size(), 2u);
  for (const Toxic& t : toxics) {
    EXPECT_EQ(t.type, ToxicType::kTimeout);
    EXPECT_EQ(t.timeout.count(), 0);  // no close: connections hang as behind a dead link
  }
  EXPECT_TRUE(has(toxics, ToxicType::kTimeout, Direction::kUpstream));
  EXPECT_TRUE(has(toxics, ToxicType::kTimeout, Direction::kDownstream));
  EXPECT_EQ(f->stop().f, "stop-blackhole");
  EXPECT_TRUE(p.b.toxics().empty());
}

TEST(ProxyFault, DurationsStayInTheirRanges) {
  Proxies p;
  Random rng(9);
  for (auto [name, lo, hi] :
       {std::tuple{"proxy-latency", 1000, 3000}, std::tuple{"proxy-reset", 500, 1500},
        std::tuple{"proxy-blackhole", 1000, 3000}}) {
    auto f = make(name, p.context());
    for (int i = 0; i < 100; ++i) {
      auto d = f->duration(rng).count();
      EXPECT_GE(d, lo) << name;
      EXPECT_LE(d, hi) << name;
    }
  }
}

TEST(ProxyFault, HealRemovesEveryToxicAndEnablesAndIsIdempotent) {
  Proxies p;
  auto latency = make("proxy-latency", p.context());
  auto blackhole = make("proxy-blackhole", p.context());
  Random rng(2);
  latency->start(rng);
  blackhole->start(rng);
  p.a.add_toxic("bandwidth:10");  // not the fault's own: heal removes it all the same
  p.a.disable();
  latency->heal();
  EXPECT_TRUE(p.a.toxics().empty());
  EXPECT_TRUE(p.b.toxics().empty());
  EXPECT_TRUE(p.a.enabled());
  latency->heal();
  blackhole->heal();
  // After a heal the fault starts cleanly again.
  latency->start(rng);
  EXPECT_EQ(p.a.toxics().size(), 2u);
  latency->stop();
  latency->stop();  // a stop with nothing in effect removes nothing
  EXPECT_TRUE(p.a.toxics().empty());
}

TEST(ProxyFault, NeedsTheHarnessProxy) {
  FaultContext none;
  for (const char* name : {"proxy-latency", "proxy-reset", "proxy-blackhole"}) {
    EXPECT_TRUE(fault_needs_proxy(name));
    try {
      make(name, none);
      ADD_FAILURE() << name << " was made without a proxy";
    } catch (const std::invalid_argument& e) {
      std::string what = e.what();
      EXPECT_NE(what.find(name), std::string::npos) << what;
      EXPECT_NE(what.find("proxy"), std::string::npos) << what;
      EXPECT_NE(what.find("--target"), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << "one line: " << what;
    }
  }
  EXPECT_FALSE(fault_needs_proxy("pause-server"));
}

}  // namespace
}  // namespace redproof
