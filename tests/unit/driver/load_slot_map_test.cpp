// The load engine's cluster slot map, parsed from CLUSTER SLOTS replies built by hand: masters
// collected in order, replicas known after them but owning no slot, proxied addresses mapped,
// bad replies refused with a clear message, a newer map adopted; and the cluster reader keeping
// MOVED texts while ordinary replies stay types.
#include "driver/load/load_slot_map.hpp"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <stdexcept>

#include "driver/load/command_mix.hpp"
#include "driver/load/load_cluster_reader.hpp"
#include "redis/cluster_routing.hpp"

namespace redproof::load {
namespace {

using redis::Reply;

Reply node(std::string host, std::int64_t port, std::string id) {
  Reply r;
  r.type = Reply::Type::kArray;
  r.elements = {Reply::string(std::move(host)), Reply::integer_reply(port),
                Reply::string(std::move(id))};
  return r;
}

Reply range(std::int64_t first, std::int64_t last, std::vector<Reply> nodes) {
  Reply r;
  r.type = Reply::Type::kArray;
  r.elements = {Reply::integer_reply(first), Reply::integer_reply(last)};
  for (auto& n : nodes) r.elements.push_back(std::move(n));
  return r;
}

Reply array(std::vector<Reply> elements) {
  Reply r;
  r.type = Reply::Type::kArray;
  r.elements = std::move(elements);
  return r;
}

const redis::Endpoint kAsked{"127.0.0.1", 7001};

// Three masters with a replica each, the second master owning two ranges.
Reply three_masters() {
  return array({
      range(0, 5460, {node("127.0.0.1", 7001, "a"), node("127.0.0.1", 7004, "ra")}),
      range(5461, 10000, {node("127.0.0.1", 7002, "b"), node("127.0.0.1", 7005, "rb")}),
      range(10001, 10922, {node("127.0.0.1", 7002, "b"), node("127.0.0.1", 7005, "rb")}),
      range(10923, 16383, {node("127.0.0.1", 7003, "c"), node("127.0.0.1", 7006, "rc")}),
  });
}

TEST(LoadSlotMap, EveryMasterOnceThenTheReplicasOwningNothing) {
  const SlotMap map = parse_cluster_slots(three_masters(), kAsked, {});
  EXPECT_EQ(map.masters(), 3u);
  ASSERT_EQ(map.nodes().size(), 6u);
  EXPECT_EQ(map.nodes()[0], (redis::Endpoint{"127.0.0.1", 7001}));
  EXPECT_EQ(map.nodes()[1], (redis::Endpoint{"127.0.0.1", 7002}));
  EXPECT_EQ(map.nodes()[2], (redis::Endpoint{"127.0.0.1", 7003}));
  EXPECT_EQ(map.nodes()[3], (redis::Endpoint{"127.0.0.1", 7004}));
  EXPECT_EQ(map.nodes()[5], (redis::Endpoint{"127.0.0.1", 7006}));
  EXPECT_EQ(map.owner(0), 0);
  EXPECT_EQ(map.owner(5460), 0);
  EXPECT_EQ(map.owner(5461), 1);
  EXPECT_EQ(map.owner(10922), 1);
  EXPECT_EQ(map.owner(10923), 2);
  EXPECT_EQ(map.owner(16383), 2);
  for (std::size_t s = 0; s < redis::kClusterSlots; ++s) {
    ASSERT_LT(map.owner(static_cast<std::uint16_t>(s)), 3) << "slot " << s << " on a replica";
  }
  EXPECT_EQ(map.node_index({"127.0.0.1", 7005}), 4);
  EXPECT_EQ(map.node_index({"127.0.0.1", 7999}), SlotMap::kNoOwner);
}

// A replica promoted after its master died: the newer map gives the master's slots to it.
// Slots the newer map leaves unassigned, or gives to a node unknown here, keep their owner.
TEST(LoadSlotMap, AdoptsANewerMap) {
  SlotMap map = parse_cluster_slots(three_masters(), kAsked, {});
  const SlotMap promoted = parse_cluster_slots(
      array({
          range(0, 5460, {node("127.0.0.1", 7001, "a"), node("127.0.0.1", 7004, "ra")}),
          range(5461, 10922, {node("127.0.0.1", 7005, "rb")}),
          range(10923, 11000, {node("127.0.0.1", 7777, "new")}),
      }),
      kAsked, {});
  EXPECT_EQ(map.adopt(promoted), 10922u - 5461u + 1u);
  EXPECT_EQ(map.owner(5461), 4);
  EXPECT_EQ(map.owner(10922), 4);
  EXPECT_EQ(map.owner(0), 0);
  EXPECT_EQ(map.owner(10923), 2) << "an unknown node";
  EXPECT_EQ(map.owner(16000), 2) << "unassigned in the newer map";
  EXPECT_EQ(map.adopt(promoted), 0u);
}

TEST(LoadSlotMap, UnassignedSlotsHaveNoOwnerAndMovesUpdateOne) {
  SlotMap map = parse_cluster_slots(array({range(0, 99, {node("127.0.0.1", 7001, "a")}),
                                           range(200, 299, {node("127.0.0.1", 7002, "b")})}),
                                    kAsked, {});
  EXPECT_EQ(map.owner(150), SlotMap::kNoOwner);
  EXPECT_EQ(map.owner(50), 0);
  map.move(50, 1);
  EXPECT_EQ(map.owner(50), 1);
  EXPECT_EQ(map.owner(51), 0);
}

TEST(LoadSlotMap, ProxiedAddressesAreMapped) {
  redis::AddressMap proxies{{"127.0.0.1:7002", {"127.0.0.1", 9002}}};
  const SlotMap map = parse_cluster_slots(three_masters(), kAsked, proxies);
  EXPECT_EQ(map.nodes()[1], (redis::Endpoint{"127.0.0.1", 9002}));
  EXPECT_EQ(map.nodes()[0], (redis::Endpoint{"127.0.0.1", 7001}));
  EXPECT_EQ(map.node_index({"127.0.0.1", 9002}), 1);
  EXPECT_EQ(reached_endpoint({"127.0.0.1", 7002}, proxies), (redis::Endpoint{"127.0.0.1", 9002}));
  EXPECT_EQ(reached_endpoint({"127.0.0.1", 7003}, proxies), (redis::Endpoint{"127.0.0.1", 7003}));
}

TEST(LoadSlotMap, EmptyHostIsTheAskedHost) {
  const SlotMap map =
      parse_cluster_slots(array({range(0, 16383, {node("", 7009, "a")})}), {"10.0.0.5", 7009}, {});
  EXPECT_EQ(map.nodes()[0], (redis::Endpoint{"10.0.0.5", 7009}));
}

// A cluster just created: CLUSTER SLOTS names no replica yet; CLUSTER NODES names every node
// (a replica perhaps still as a master without slots).
TEST(LoadSlotMap, EveryNodeOfClusterNodesIsKnown) {
  const std::string nodes =
      "e7d1 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460\n"
      "67ed 127.0.0.1:7004@17004,replica-host slave e7d1 0 1426238316232 4 connected\n"
      "292f 127.0.0.1:7005@17005 slave,fail 67ed 0 1426238316232 5 connected\n"
      "6ec2 :0@0 slave,noaddr e7d1 0 0 0 disconnected\n"
      "9bc1 :7006@17006 slave e7d1 0 0 0 connected\n"
      "4ebb 127.0.0.1:7007@17007 master - 0 1796011666535 2 connected\n"
      "garbage\n";
  const auto listed = cluster_nodes_endpoints(nodes, {"10.1.1.1", 7001});
  ASSERT_EQ(listed.size(), 5u);
  EXPECT_EQ(listed[0], (redis::Endpoint{"127.0.0.1", 7001}));
  EXPECT_EQ(listed[1], (redis::Endpoint{"127.0.0.1", 7004}));
  EXPECT_EQ(listed[2], (redis::Endpoint{"127.0.0.1", 7005}));
  EXPECT_EQ(listed[3], (redis::Endpoint{"10.1.1.1", 7006})) << "no host: the asked one's";
  EXPECT_EQ(listed[4], (redis::Endpoint{"127.0.0.1", 7007}));

  redis::AddressMap proxies{{"127.0.0.1:7005", {"127.0.0.1", 9005}}};
  const SlotMap map = parse_cluster_slots(array({range(0, 16383, {node("127.0.0.1", 7001, "a")})}),
                                          kAsked, proxies, listed);
  EXPECT_EQ(map.masters(), 1u);
  ASSERT_EQ(map.nodes().size(), 5u) << "7001 once";
  EXPECT_EQ(map.nodes()[0], (redis::Endpoint{"127.0.0.1", 7001}));
  EXPECT_EQ(map.nodes()[2], (redis::Endpoint{"127.0.0.1", 9005}));
  EXPECT_EQ(map.owner(100), 0);
}

void expect_refused(const Reply& reply, const std::string& part) {
  try {
    parse_cluster_slots(reply, kAsked, {});
    ADD_FAILURE() << "accepted " << reply.describe();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("CLUSTER SLOTS reply"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(LoadSlotMap, MalformedRepliesAreRefusedClearly) {
  expect_refused(Reply::error("ERR This instance has cluster support disabled"),
                 "cluster support disabled");
  expect_refused(Reply::integer_reply(3), "not an array");
  expect_refused(array({}), "no slot has a master");
  expect_refused(array({Reply::string("x")}), "entry 0 is not an array");
  expect_refused(array({range(0, 20000, {node("127.0.0.1", 7001, "a")})}), "slot range 0-20000");
  expect_refused(array({range(10, 5, {node("127.0.0.1", 7001, "a")})}), "slot range 10-5");
  expect_refused(array({range(0, 5, {})}), "entry 0: no master node");
  expect_refused(array({range(0, 5, {node("127.0.0.1", 0, "a")})}), "master port 0");
  expect_refused(array({range(0, 5, {node("127.0.0.1", 1, "a"), Reply::integer_reply(2)})}),
                 "replica is not an array");
  Reply no_port = node("127.0.0.1", 1, "a");
  no_port.elements.resize(1);
  expect_refused(array({range(0, 5, {no_port})}), "without host and port");
}

// The engine routes a request by the slot of the key it builds: prefix + 12 digits, so a
// {hash tag} in the prefix puts every key on one slot.
TEST(LoadSlotMap, KeysRouteBySlotAndHashTag) {
  const SlotMap map = parse_cluster_slots(three_masters(), kAsked, {});
  TemplateOptions plain;
  int used[3] = {0, 0, 0};
  for (std::uint64_t i = 0; i < 300; ++i) {
    ++used[map.owner(redis::key_slot(key_name(plain, i)))];
  }
  for (int n : used) EXPECT_GT(n, 50);
  TemplateOptions tagged;
  tagged.key_prefix = "{user42}:";
  const auto slot = redis::key_slot("user42");
  for (std::uint64_t i = 0; i < 50; ++i) {
    EXPECT_EQ(redis::key_slot(key_name(tagged, i)), slot);
  }
  EXPECT_EQ(map.owner(slot), map.owner(redis::key_slot("{user42}:anything")));
}

// What the engine's cluster reader hands back: types for ordinary replies (nested ones too),
// the text for a top-level error such as MOVED.
TEST(LoadClusterReader, KeepsOnlyTopLevelErrorTexts) {
  redisReader* reader = create_cluster_reader();
  const std::string input =
      "+OK\r\n$3\r\nabc\r\n:5\r\n$-1\r\n*2\r\n-ERR inner\r\n$1\r\nx\r\n"
      "-MOVED 3999 127.0.0.1:7002\r\n";
  ASSERT_EQ(redisReaderFeed(reader, input.data(), input.size()), REDIS_OK);
  const int expected[] = {REDIS_REPLY_STATUS, REDIS_REPLY_STRING, REDIS_REPLY_INTEGER,
                          REDIS_REPLY_NIL, REDIS_REPLY_ARRAY};
  for (int type : expected) {
    void* reply = nullptr;
    ASSERT_EQ(redisReaderGetReply(reader, &reply), REDIS_OK);
    ASSERT_NE(reply, nullptr);
    EXPECT_EQ(cluster_reply_type(reply), type);
    EXPECT_EQ(kept_error_text(reply), nullptr);
    release_cluster_reply(reply);
  }
  void* reply = nullptr;
  ASSERT_EQ(redisReaderGetReply(reader, &reply), REDIS_OK);
  EXPECT_EQ(cluster_reply_type(reply), REDIS_REPLY_ERROR);
  ASSERT_NE(kept_error_text(reply), nullptr);
  const auto redirect = redis::parse_redirect(*kept_error_text(reply));
  release_cluster_reply(reply);
  ASSERT_TRUE(redirect.has_value());
  EXPECT_FALSE(redirect->ask);
  EXPECT_EQ(redirect->slot, 3999);
  EXPECT_EQ(redirect->endpoint, (redis::Endpoint{"127.0.0.1", 7002}));
  redisReaderFree(reader);
}

}  // namespace
}  // namespace redproof::load
