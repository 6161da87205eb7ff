#include <gtest/gtest.h>

#include "core/history_reader.hpp"
#include "core/history_writer.hpp"

namespace redproof {
namespace {

TEST(HistoryReader, ReadsTheSpecExample) {
  auto ops = parse_history(
      R"({"index":0,"time":1200,"process":0,"type":"invoke","f":"write","key":"x","value":3}
{"index":1,"time":1500,"process":1,"type":"invoke","f":"read","key":"x","value":null}
{"index":2,"time":2100,"process":0,"type":"ok","f":"write","key":"x","value":3}
{"index":3,"time":2900,"process":1,"type":"ok","f":"read","key":"x","value":3}
{"index":4,"time":3000,"process":"nemesis","type":"info","f":"start-partition","value":{"isolated":["n1"]}}
)");
  ASSERT_EQ(ops.size(), 5u);
  EXPECT_EQ(ops[4].process, kNemesisProcess);
  EXPECT_EQ(ops[4].value, R"({"isolated":["n1"]})");
  EXPECT_EQ(*ops[0].key, "x");
}

}  // namespace
}  // namespace redproof
