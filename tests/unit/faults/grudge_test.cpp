#include "faults/partition/grudge.hpp"

#include <gtest/gtest.h>

namespace redproof {
namespace {

const std::vector<std::string> kFive = {"n1", "n2", "n3", "n4", "n5"};

// Whether a and b can exchange packets both ways under the grudge.
bool connected(const Grudge& g, const std::string& a, const std::string& b) {
  auto drops = [&](const std::string& x, const std::string& y) {
    auto it = g.find(x);
    return it != g.end() && it->second.count(y);
  };
  return !drops(a, b) && !drops(b, a);
}

TEST(Grudge, CompleteGrudgeCutsEveryLinkBetweenComponentsAndNoneWithin) {
  Grudge g = complete_grudge({{"a", "b"}, {"c"}});
  EXPECT_EQ(g, (Grudge{{"a", {"c"}}, {"b", {"c"}}, {"c", {"a", "b"}}}));
}

TEST(Grudge, IsolateNodeLeavesTheOthersTogether) {
  Grudge g = isolate_node({"n1", "n2", "n3"}, "n2");
  EXPECT_EQ(g, (Grudge{{"n1", {"n2"}}, {"n2", {"n1", "n3"}}, {"n3", {"n2"}}}));
}

TEST(Grudge, RandomNodeIsolatesExactlyOneNode) {
  Random rng(7);
  Grudge g = partition_grudge(PartitionShape::kRandomNode, kFive, rng);
  int isolated = 0;
  for (const auto& n : kFive) {
    if (g.count(n) && g.at(n).size() == 4)
      ++isolated;
    else
      EXPECT_EQ(g.at(n).size(), 1u) << n;
  }
  EXPECT_EQ(isolated, 1);
}

TEST(Grudge, RandomHalvesSplitsTwoAgainstThree) {
  Random rng(3);
  Grudge g = partition_grudge(PartitionShape::kRandomHalves, kFive, rng);
  std::map<std::size_t, int> sizes;  // how many nodes each node drops -> count
  for (const auto& n : kFive) ++sizes[g.at(n).size()];
  // The two of the small side drop three each; the three of the large side drop two each.
  EXPECT_EQ(sizes, (std::map<std::size_t, int>{{2, 3}, {3, 2}}));
  for (const auto& [node, drops] : g) {
    for (const auto& other : drops) EXPECT_TRUE(g.at(other).count(node)) << "symmetric";
  }
}

TEST(Grudge, MajoritiesRingGivesEveryNodeADifferentMajority) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Random rng(seed);
    Grudge g = partition_grudge(PartitionShape::kMajoritiesRing, kFive, rng);
    std::set<std::set<std::string>> majorities;
    for (const auto& n : kFive) {
      std::set<std::string> sees;
      for (const auto& m : kFive) {
        if (!g.at(n).count(m)) sees.insert(m);
      }
      EXPECT_EQ(sees.size(), 3u) << n << " sees a majority of five, itself included";
      EXPECT_TRUE(sees.count(n));
      majorities.insert(sees);
    }
    EXPECT_EQ(majorities.size(), 5u) << "no two nodes agree on their majority";
  }
}

TEST(Grudge, BridgeNodeSeesBothHalvesWhichDoNotSeeEachOther) {
  Random rng(11);
  Grudge g = partition_grudge(PartitionShape::kBridge, kFive, rng);
  std::vector<std::string> bridges;
  for (const auto& n : kFive) {
    if (!g.count(n)) bridges.push_back(n);
  }
  ASSERT_EQ(bridges.size(), 1u);
  for (const auto& n : kFive) {
    EXPECT_TRUE(connected(g, n, bridges[0])) << n;
  }
  // The other four form two pairs cut from each other.
  int cut = 0;
  for (const auto& a : kFive) {
    for (const auto& b : kFive) {
      if (a < b && !connected(g, a, b)) ++cut;
    }
  }
  EXPECT_EQ(cut, 4);  // 2 x 2 links between the halves
}

TEST(Grudge, SameSeedSameShapeAndTooFewNodesIsAnError) {
  Random a(5), b(5);
  EXPECT_EQ(partition_grudge(PartitionShape::kRandomHalves, kFive, a),
            partition_grudge(PartitionShape::kRandomHalves, kFive, b));
  Random rng(1);
  EXPECT_THROW(partition_grudge(PartitionShape::kBridge, {"n1", "n2"}, rng), std::invalid_argument);
  EXPECT_THROW(parse_partition_shape("triangle"), std::invalid_argument);
  EXPECT_EQ(parse_partition_shape("majorities-ring"), PartitionShape::kMajoritiesRing);
}

TEST(Grudge, IsolatedNodesRoundTrip) {
  const std::vector<std::string> three = {"n1", "n2", "n3"};
  const Grudge two_cut = isolate_nodes(three, {"n1", "n3"});
  EXPECT_EQ(two_cut.at("n2"), (std::set<std::string>{"n1", "n3"}));
  EXPECT_EQ(isolated_nodes(three, two_cut), (std::set<std::string>{"n1", "n2", "n3"}));
  EXPECT_EQ(isolated_nodes(three, isolate_node(three, "n2")), (std::set<std::string>{"n2"}));
  EXPECT_TRUE(isolate_nodes(three, {}).empty());
  // A pair cut apart while both still see n1: nobody is isolated, and that is not an isolation.
  const Grudge pair{{"n2", {"n3"}}, {"n3", {"n2"}}};
  EXPECT_TRUE(isolated_nodes(three, pair).empty());
  EXPECT_NE(isolate_nodes(three, isolated_nodes(three, pair)), pair);
}

TEST(Grudge, JsonListsWhatEachNodeDrops) {
  EXPECT_EQ(grudge_to_json(isolate_node({"n1", "n2"}, "n1")).dump(),
            R"({"n1":["n2"],"n2":["n1"]})");
}

}  // namespace
}  // namespace redproof
