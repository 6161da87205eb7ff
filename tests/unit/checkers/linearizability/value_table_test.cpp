// Interning: equal values get equal ids however they were built (appends are hashed, not
// built), and the text of an appended string is built correctly when asked for.
#include <gtest/gtest.h>

#include "checkers/linearizability/value_table.hpp"

namespace redproof::linearizability {
namespace {

TEST(ValueTable, JsonTextsAreInternedByText) {
  ValueTable t;
  EXPECT_EQ(t.intern("null"), 0);
  const auto a = t.intern("\"x\"");
  EXPECT_EQ(t.intern("\"x\""), a);
  EXPECT_NE(t.intern("\"y\""), a);
  EXPECT_EQ(t.text(a), "\"x\"");
}

TEST(ValueTable, AppendsMeetTheSameStringBuiltAnyOtherWay) {
  ValueTable t;
  const auto empty = t.intern("\x01");
  const auto a = t.intern(
      "\x01"
      "a");
  const auto bc = t.intern(
      "\x01"
      "bc");
  const auto ab = t.intern(
      "\x01"
      "ab");
  const auto c = t.intern(
      "\x01"
      "c");
  const auto b = t.intern(
      "\x01"
      "b");
  // "a" + "bc" == "ab" + "c" == "" + "a" + "b" + "c" == the string read back.
  const auto abc1 = t.concat(a, bc);
  const auto abc2 = t.concat(ab, c);
  const auto abc3 = t.concat(t.concat(t.concat(empty, a), b), c);
  EXPECT_EQ(abc1, abc2);
  EXPECT_EQ(abc1, abc3);
  EXPECT_EQ(t.intern("\x01"
                     "abc"),
            abc1);
  EXPECT_NE(t.concat(bc, a), abc1);  // order matters
  EXPECT_EQ(t.concat(a, empty), a);
  EXPECT_EQ(t.text(abc3),
            "\x01"
            "abc");
  // A long chain, built only when asked for.
  auto s = empty;
  std::string expected = "\x01";
  for (int i = 0; i < 1000; ++i) {
    s = t.concat(s, i % 2 ? a : bc);
    expected += i % 2 ? "a" : "bc";
  }
  EXPECT_EQ(t.text(s), expected);
  EXPECT_EQ(t.intern(expected), s);
  // A raw string and the JSON string of the same letters are different values.
  EXPECT_NE(t.intern("\"abc\""), abc1);
}

}  // namespace
}  // namespace redproof::linearizability
