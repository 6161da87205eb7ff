// The models read values as the history reader hands them over: minified JSON text. The reader
// writes strings that need no escape itself instead of through simdjson's minifier; both must
// give the same text for every kind of string.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "core/history_reader.hpp"

namespace redproof {
namespace {

std::string minified(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  return simdjson::minify(parser.parse(padded).value());
}

TEST(HistoryValues, StringsAreMinifiedAsSimdjsonWouldWriteThem) {
  const std::string values[] = {
      R"("")",       R"("abc")",     R"("x 6 0 y")",  R"("a\"b")",          R"("a\\b")",
      R"("tab\tx")", R"("nl\n")",    R"("\u0001")",   R"("\u00e9t\u00e9")", "\"\xc3\xa9\"",
      R"("a\/b")",   R"("\u007f~")", R"([1, "a b"])", R"({"k" : "v"})",     R"(null)",
      R"(12)",       R"(-3.5)",      R"(true)"};
  for (const auto& v : values) {
    const std::string line =
        R"({"index":0,"time":0,"process":0,"type":"invoke","f":"put","value":)" + v + "}\n";
    const auto ops = parse_history(line);
    ASSERT_EQ(ops.size(), 1u);
    const std::string expected = v == "null" ? "null" : minified(v);
    EXPECT_EQ(ops[0].value, expected) << v;
  }
}

}  // namespace
}  // namespace redproof
