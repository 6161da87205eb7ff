#include "workloads/knobs.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace redproof {
namespace {

const std::vector<Knob> kTable = {
    {"ttl", KnobType::kDuration, "500ms", "lock TTL", 20},
    {"items", KnobType::kCount, "3", "items", 1},
    {"rate", KnobType::kNumber, "2.5", "per second"},
    {"ratio", KnobType::kRatio, "0.2", "share of writes"},
    {"dist", KnobType::kString, "zipf", "distribution"},
};

std::string error_of(const std::map<std::string, std::string>& given) {
  try {
    KnobValues v("toy", kTable, given);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

TEST(Knobs, DefaultsComeFromTheTable) {
  KnobValues v("toy", kTable, {});
  EXPECT_EQ(v.milliseconds("ttl").count(), 500);
  EXPECT_EQ(v.count("items"), 3);
  EXPECT_DOUBLE_EQ(v.number("rate"), 2.5);
  EXPECT_DOUBLE_EQ(v.number("ratio"), 0.2);
  EXPECT_DOUBLE_EQ(v.number("items"), 3);  // a count reads as a number too
  EXPECT_EQ(v.text("dist"), "zipf");
  EXPECT_FALSE(v.was_given("ttl"));
}

TEST(Knobs, GivenValuesWinAndAreRecorded) {
  KnobValues v("toy", kTable, {{"ttl", "2s"}, {"dist", "uniform"}});
  EXPECT_EQ(v.milliseconds("ttl").count(), 2000);
  EXPECT_TRUE(v.was_given("ttl"));
  EXPECT_EQ(v.to_json()["dist"], "uniform");
  EXPECT_EQ(v.to_json()["items"], "3");
}

TEST(Knobs, BadValuesAreOneLineNamingTheKnob) {
  EXPECT_EQ(error_of({{"ttl", "soon"}}),
            "--param ttl=soon: expected a duration of at least 20ms such as 500ms or 2s");
  EXPECT_EQ(error_of({{"ttl", "5ms"}}).substr(0, 16), "--param ttl=5ms:");
  EXPECT_EQ(error_of({{"items", "0"}}), "--param items=0: expected a whole number of at least 1");
  EXPECT_EQ(error_of({{"items", "2.5"}}).substr(0, 20), "--param items=2.5: e");
  EXPECT_EQ(error_of({{"rate", "fast"}}), "--param rate=fast: expected a number of at least 0");
  EXPECT_EQ(error_of({{"ratio", "1.5"}}), "--param ratio=1.5: expected a ratio between 0 and 1");
  EXPECT_EQ(error_of({{"colour", "red"}}),
            "--param colour: workload toy has no such knob (see redproof list toy)");
  for (const auto& e : {error_of({{"ttl", "x"}}), error_of({{"colour", "red"}})}) {
    EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  }
}

TEST(Knobs, ReadingAnUndeclaredOrMistypedKnobIsAProgrammingError) {
  KnobValues v("toy", kTable, {});
  EXPECT_THROW(v.count("nope"), std::logic_error);
  EXPECT_THROW(v.count("ttl"), std::logic_error);
  EXPECT_THROW(v.text("items"), std::logic_error);
}

}  // namespace
}  // namespace redproof
