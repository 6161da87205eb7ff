// The pure parts of the load engine: key distributions, command templates and mixes.
#include <gtest/gtest.h>

#include <map>

#include "driver/load/command_mix.hpp"
#include "driver/load/key_distribution.hpp"
#include "redis/resp_reader.hpp"

namespace redproof::load {
namespace {

TEST(KeyDistribution, ParsesEveryKindAndRejectsNonsense) {
  EXPECT_EQ(parse_key_distribution("uniform").kind, KeyDistributionSpec::Kind::kUniform);
  EXPECT_EQ(parse_key_distribution("sequential").kind, KeyDistributionSpec::Kind::kSequential);
  EXPECT_DOUBLE_EQ(parse_key_distribution("zipf:1.2").zipf_exponent, 1.2);
  EXPECT_DOUBLE_EQ(parse_key_distribution("gaussian:0.05").gaussian_stddev_fraction, 0.05);
  EXPECT_THROW(parse_key_distribution("pareto"), std::invalid_argument);
  EXPECT_THROW(parse_key_distribution("zipf:-1"), std::invalid_argument);
  EXPECT_THROW(parse_key_distribution("zipf:x"), std::invalid_argument);
  EXPECT_THROW(parse_key_distribution("uniform:3"), std::invalid_argument);
}

TEST(KeyDistribution, SequentialWrapsAround) {
  KeyDistribution d(parse_key_distribution("sequential"), 3);
  Random rng(1);
  EXPECT_EQ(d.next(rng), 0u);
  EXPECT_EQ(d.next(rng), 1u);
  EXPECT_EQ(d.next(rng), 2u);
  EXPECT_EQ(d.next(rng), 0u);
}

TEST(KeyDistribution, UniformCoversTheRangeEvenly) {
  KeyDistribution d(parse_key_distribution("uniform"), 10);
  Random rng(7);
  std::map<std::uint64_t, int> seen;
  for (int i = 0; i < 100000; ++i) ++seen[d.next(rng)];
  ASSERT_EQ(seen.size(), 10u);
  for (auto& [k, n] : seen) EXPECT_NEAR(n, 10000, 600) << k;
}

TEST(KeyDistribution, ZipfFavoursLowRanksByItsExponent) {
  KeyDistribution d(parse_key_distribution("zipf:1"), 1000);
  Random rng(3);
  std::map<std::uint64_t, int> seen;
  const int n = 200000;
  for (int i = 0; i < n; ++i) ++seen[d.next(rng)];
  // With exponent 1, P(rank 1) / P(rank 2) = 2.
  EXPECT_NEAR(static_cast<double>(seen[0]) / seen[1], 2.0, 0.15);
  double harmonic = 0;
  for (int i = 1; i <= 1000; ++i) harmonic += 1.0 / i;
  EXPECT_NEAR(seen[0] / static_cast<double>(n), 1 / harmonic, 0.01);
}

TEST(KeyDistribution, GaussianStaysInRangeAroundTheMiddle) {
  KeyDistribution d(parse_key_distribution("gaussian:0.1"), 1000);
  Random rng(5);
  double sum = 0;
  for (int i = 0; i < 20000; ++i) {
    auto k = d.next(rng);
    ASSERT_LT(k, 1000u);
    sum += k;
  }
  EXPECT_NEAR(sum / 20000, 500, 5);
}

TEST(CommandTemplate, EncodesOnceAndPatchesTheKeyInPlace) {
  TemplateOptions o;
  o.data_size = 4;
  auto t = make_template("SET __key__ __data__", o);
  std::string out;
  append_request(out, t, key_digits(42));
  EXPECT_EQ(out, "*3\r\n$3\r\nSET\r\n$16\r\nkey:000000000042\r\n$4\r\nxxxx\r\n");
  out.clear();
  append_request(out, t, key_digits(7));
  EXPECT_NE(out.find("key:000000000007"), std::string::npos);
  EXPECT_EQ(key_name(o, 7), "key:000000000007");
}

TEST(CommandTemplate, KeyMayAppearInsideWordsAndSeveralTimes) {
  auto t = make_template("MSET a:__key__ 1 b:__key__ 2", TemplateOptions{});
  ASSERT_EQ(t.key_offsets.size(), 2u);
  std::string out;
  append_request(out, t, key_digits(5));
  EXPECT_NE(out.find("a:key:000000000005"), std::string::npos);
  EXPECT_NE(out.find("b:key:000000000005"), std::string::npos);
  EXPECT_THROW(make_template("   ", TemplateOptions{}), std::invalid_argument);
}

TEST(CommandTemplate, BuiltinsAreValidResp) {
  for (const char* name :
       {"set", "get", "incr", "lpush", "rpush", "lpop", "sadd", "hset", "zadd", "ping"}) {
    auto t = builtin_command(name, TemplateOptions{});
    redis::RespReader reader;  // a request is an array of bulk strings: RESP the reader parses
    reader.feed(t.encoded);
    auto parsed = reader.next();
    ASSERT_TRUE(parsed) << name;
    EXPECT_EQ(parsed->type, redis::Reply::Type::kArray) << name;
  }
  EXPECT_THROW(builtin_command("flushall", TemplateOptions{}), std::invalid_argument);
}

TEST(CommandMix, ParsesWeightsAndPicksByThem) {
  auto templates = parse_mix("set:1,get:3", TemplateOptions{});
  ASSERT_EQ(templates.size(), 2u);
  CommandMix mix(std::move(templates));
  Random rng(11);
  int gets = 0;
  for (int i = 0; i < 40000; ++i) gets += mix.at(mix.pick(rng)).name == "get";
  EXPECT_NEAR(gets / 40000.0, 0.75, 0.01);
  EXPECT_THROW(parse_mix("set:0", TemplateOptions{}), std::invalid_argument);
  EXPECT_THROW(parse_mix("set:x", TemplateOptions{}), std::invalid_argument);
  EXPECT_THROW(parse_mix("set,,get", TemplateOptions{}), std::invalid_argument);
  EXPECT_THROW(parse_mix("", TemplateOptions{}), std::invalid_argument);
}

}  // namespace
}  // namespace redproof::load
