// Cluster routing without a cluster: the slot function against the values Redis documents,
// which argument is the key, and MOVED/ASK parsing, including the malformed.
#include <gtest/gtest.h>

#include "redis/cluster_routing.hpp"

namespace redproof::redis {
namespace {

TEST(ClusterRouting, Crc16IsXmodem) {
  EXPECT_EQ(crc16("123456789"), 0x31C3);  // the check value in the Redis Cluster spec
  EXPECT_EQ(crc16(""), 0);
}

TEST(ClusterRouting, SlotsMatchRedis) {
  EXPECT_EQ(key_slot("foo"), 12182);  // CLUSTER KEYSLOT foo
  EXPECT_EQ(key_slot("bar"), 5061);
  EXPECT_EQ(key_slot("lock:0"), crc16("lock:0") % 16384);
  // Hash tags: only the part between the first { and the next }.
  EXPECT_EQ(key_slot("{user1000}.following"), key_slot("{user1000}.followers"));
  EXPECT_EQ(key_slot("{user1000}.following"), key_slot("user1000"));
  EXPECT_EQ(key_slot("foo{{bar}}zap"), key_slot("{bar"));
  // An empty tag hashes the whole key.
  EXPECT_EQ(key_slot("foo{}{bar}"), crc16("foo{}{bar}") % 16384);
  EXPECT_EQ(key_slot("foo{bar"), crc16("foo{bar") % 16384);
}

TEST(ClusterRouting, TheKeyOfACommand) {
  EXPECT_EQ(command_key({"GET", "k"}), "k");
  EXPECT_EQ(command_key({"set", "k", "v", "NX"}), "k");
  EXPECT_EQ(command_key({"EVALSHA", "abc", "2", "k1", "k2", "arg"}), "k1");
  EXPECT_EQ(command_key({"EVAL", "return 1", "0"}), std::nullopt);
  EXPECT_EQ(command_key({"PING"}), std::nullopt);
  EXPECT_EQ(command_key({"cluster", "slots"}), std::nullopt);
  EXPECT_EQ(command_key({"INFO", "replication"}), std::nullopt);
  EXPECT_EQ(command_key({}), std::nullopt);
}

TEST(ClusterRouting, ParsesRedirections) {
  auto moved = parse_redirect("MOVED 3999 127.0.0.1:6381");
  ASSERT_TRUE(moved);
  EXPECT_FALSE(moved->ask);
  EXPECT_EQ(moved->slot, 3999);
  EXPECT_EQ(moved->endpoint.host, "127.0.0.1");
  EXPECT_EQ(moved->endpoint.port, 6381);
  auto ask = parse_redirect("ASK 12182 10.0.0.2:7000");
  ASSERT_TRUE(ask);
  EXPECT_TRUE(ask->ask);
  EXPECT_EQ(ask->endpoint.to_string(), "10.0.0.2:7000");
  EXPECT_FALSE(parse_redirect("ERR wrong type"));
  EXPECT_FALSE(parse_redirect("MOVED 3999"));
  EXPECT_FALSE(parse_redirect("MOVED 16384 127.0.0.1:1"));
  EXPECT_FALSE(parse_redirect("MOVED x 127.0.0.1:1"));
  EXPECT_FALSE(parse_redirect("MOVED 1 127.0.0.1:"));
  EXPECT_FALSE(parse_redirect("MOVED 1 127.0.0.1:99999"));
  EXPECT_FALSE(parse_redirect("MOVED 1 nohostport"));
}

}  // namespace
}  // namespace redproof::redis
