// The history reader accepts exactly what ../shared/spec/history.md allows and rejects every
// broken rule with its line number; the writer produces what the reader accepts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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
  EXPECT_EQ(ops[2].type, OpType::kOk);
  EXPECT_EQ(ops[1].value, "null");
}

TEST(HistoryReader, OptionalFieldsAndOpenOperations) {
  auto ops = parse_history(
      R"({"index":0,"time":0,"process":0,"type":"invoke","f":"read"}
{"index":1,"time":0,"process":0,"type":"fail","f":"read","error":"busy","node":"n1"}
{"index":2,"time":0,"process":0,"type":"invoke","f":"read"}
)");
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_FALSE(ops[0].key);
  EXPECT_EQ(ops[1].error, "busy");
  EXPECT_EQ(ops[1].node, "n1");
  EXPECT_EQ(ops[0].value, "null");
  EXPECT_EQ(ops[0].intended, -1);
}

TEST(HistoryReader, AnIntendedStartOnAnInvoke) {
  auto ops = parse_history(
      R"({"index":0,"time":7,"process":0,"type":"invoke","f":"read","intended":5}
{"index":1,"time":9,"process":0,"type":"ok","f":"read"}
)");
  EXPECT_EQ(ops[0].intended, 5);
  EXPECT_EQ(ops[1].intended, -1);
}

TEST(HistoryReader, AnEmptyFileIsAnEmptyHistory) {
  EXPECT_TRUE(parse_history("").empty());
}

struct Rejection {
  const char* name;
  const char* text;
  std::size_t line;
  const char* says;
};

class HistoryRejection : public ::testing::TestWithParam<Rejection> {};

TEST_P(HistoryRejection, NamesTheLineAndTheRule) {
  const Rejection& r = GetParam();
  // Read whole, and in pieces as large files are (each piece on its own thread).
  for (std::size_t chunk_bytes : {std::size_t{4} << 20, std::size_t{16}}) {
    HistoryReadOptions o;
    o.chunk_bytes = chunk_bytes;
    try {
      parse_history(r.text, o);
      ADD_FAILURE() << "accepted: " << r.text;
    } catch (const HistoryError& e) {
      EXPECT_EQ(e.line(), r.line) << e.what() << " (chunks of " << chunk_bytes << ")";
      EXPECT_NE(std::string(e.what()).find(r.says), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).rfind("line " + std::to_string(r.line) + ":", 0), 0u);
    }
  }
}

#define OK0                                                        \
  R"({"index":0,"time":0,"process":0,"type":"invoke","f":"read"})" \
  "\n"

INSTANTIATE_TEST_SUITE_P(
    EveryRule, HistoryRejection,
    ::testing::Values(
        Rejection{"BadJson", "{\"index\":0,\n", 1, "bad JSON"},
        Rejection{"NotAnObject", "[1,2]\n", 1, "not a JSON object"},
        Rejection{"EmptyLine", OK0 "\n", 2, "empty line"},
        Rejection{"MissingIndex",
                  R"({"time":0,"process":0,"type":"invoke","f":"r"})"
                  "\n",
                  1, "missing field \"index\""},
        Rejection{"IndexNotInteger",
                  R"({"index":"0","time":0,"process":0,"type":"invoke","f":"r"})"
                  "\n",
                  1, "\"index\" is not an integer"},
        Rejection{"IndexNegative",
                  R"({"index":-1,"time":0,"process":0,"type":"invoke","f":"r"})"
                  "\n",
                  1, "negative"},
        Rejection{"IndexOutOfOrder",
                  OK0 R"({"index":2,"time":0,"process":1,"type":"invoke","f":"r"})"
                      "\n",
                  2, "out of order"},
        Rejection{"IndexNotFromZero",
                  R"({"index":1,"time":0,"process":0,"type":"invoke","f":"r"})"
                  "\n",
                  1, "out of order"},
        Rejection{"MissingTime",
                  R"({"index":0,"process":0,"type":"invoke","f":"r"})"
                  "\n",
                  1, "missing field \"time\""},
        Rejection{"TimeBackwards",
                  R"({"index":0,"time":5,"process":0,"type":"invoke","f":"r"})"
                  "\n"
                  R"({"index":1,"time":4,"process":1,"type":"invoke","f":"r"})"
                  "\n",
                  2, "goes backwards"},
        Rejection{"MissingProcess",
                  R"({"index":0,"time":0,"type":"invoke","f":"r"})"
                  "\n",
                  1, "missing field \"process\""},
        Rejection{"ProcessWrongString",
                  R"({"index":0,"time":0,"process":"p1","type":"invoke","f":"r"})"
                  "\n",
                  1, "\"nemesis\""},
        Rejection{"ProcessNegative",
                  R"({"index":0,"time":0,"process":-3,"type":"invoke","f":"r"})"
                  "\n",
                  1, "negative"},
        Rejection{"ProcessFloat",
                  R"({"index":0,"time":0,"process":1.5,"type":"invoke","f":"r"})"
                  "\n",
                  1, "process"},
        Rejection{"MissingType",
                  R"({"index":0,"time":0,"process":0,"f":"r"})"
                  "\n",
                  1, "missing field \"type\""},
        Rejection{"BadType",
                  R"({"index":0,"time":0,"process":0,"type":"done","f":"r"})"
                  "\n",
                  1, "invoke, ok, fail or info"},
        Rejection{"MissingF",
                  R"({"index":0,"time":0,"process":0,"type":"invoke"})"
                  "\n",
                  1, "missing field \"f\""},
        Rejection{"FNotString",
                  R"({"index":0,"time":0,"process":0,"type":"invoke","f":3})"
                  "\n",
                  1, "\"f\" is not a string"},
        Rejection{"EmptyF",
                  R"({"index":0,"time":0,"process":0,"type":"invoke","f":""})"
                  "\n",
                  1, "empty"},
        Rejection{"KeyNotString",
                  R"({"index":0,"time":0,"process":0,"type":"invoke","f":"r","key":1})"
                  "\n",
                  1, "\"key\" is not a string"},
        Rejection{"ErrorNotString",
                  R"({"index":0,"time":0,"process":0,"type":"invoke","f":"r","error":{}})"
                  "\n",
                  1, "\"error\" is not a string"},
        Rejection{"CompletionWithoutInvoke",
                  R"({"index":0,"time":0,"process":0,"type":"ok","f":"r"})"
                  "\n",
                  1, "without invoke"},
        Rejection{"TwoInvokesInFlight",
                  OK0 R"({"index":1,"time":0,"process":0,"type":"invoke","f":"r"})"
                      "\n",
                  2, "two invokes in flight"},
        Rejection{"CompletionOtherF",
                  OK0 R"({"index":1,"time":0,"process":0,"type":"ok","f":"write"})"
                      "\n",
                  2, "differs"},
        Rejection{"CompletionOtherKey",
                  OK0 R"({"index":1,"time":0,"process":0,"type":"ok","f":"read","key":"y"})"
                      "\n",
                  2, "key differs"},
        Rejection{"ProcessReusedAfterInfo",
                  OK0 R"({"index":1,"time":0,"process":0,"type":"info","f":"read"})"
                      "\n"
                      R"({"index":2,"time":0,"process":0,"type":"invoke","f":"read"})"
                      "\n",
                  3, "after an info"},
        Rejection{"IntendedAfterTime",
                  R"({"index":0,"time":5,"process":0,"type":"invoke","f":"r","intended":6})"
                  "\n",
                  1, "intended start 6 is after the invoke's time 5"},
        Rejection{"IntendedNotInteger",
                  R"({"index":0,"time":5,"process":0,"type":"invoke","f":"r","intended":"1"})"
                  "\n",
                  1, "\"intended\" is not an integer"},
        Rejection{"IntendedOnCompletion",
                  OK0 R"({"index":1,"time":0,"process":0,"type":"ok","f":"read","intended":0})"
                      "\n",
                  2, "\"intended\" on a completion"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(HistoryReader, TruncatedLastLineIsRejectedUnlessAllowed) {
  const std::string text = OK0 R"({"index":1,"time":0,"proc)";
  EXPECT_THROW(parse_history(text), HistoryError);
  HistoryReadOptions o;
  o.allow_truncated_last_line = true;
  EXPECT_EQ(parse_history(text, o).size(), 1u);
}

// A history of `n` write invokes and oks on processes 0..3.
std::string long_history(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    text += R"({"index":)" + std::to_string(i) + R"(,"time":)" + std::to_string(i) +
            R"(,"process":)" + std::to_string((i / 2) % 4) + R"(,"type":")" +
            (i % 2 ? "ok" : "invoke") + R"(","f":"write","key":"k)" + std::to_string(i / 2) +
            R"(","value":)" + std::to_string(i / 2) + "}\n";
  }
  return text;
}

TEST(HistoryReader, PiecewiseReadingGivesTheSameHistory) {
  const std::string text = long_history(2000);
  auto whole = parse_history(text);
  HistoryReadOptions o;
  o.chunk_bytes = 1000;  // as many pieces as cores
  auto pieces = parse_history(text, o);
  ASSERT_EQ(whole.size(), 2000u);
  ASSERT_EQ(pieces.size(), whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(history_line(pieces[i]), history_line(whole[i])) << i;
  }
}

TEST(HistoryReader, PiecewiseReadingReportsTheFirstProblemByLine) {
  HistoryReadOptions o;
  o.chunk_bytes = 1000;
  // A rule across lines (time backwards, line 101) before a bad line late in the file: the
  // earlier one is reported, although the late one is found by another thread.
  std::string text = long_history(2000);
  auto line_start = [&](int line) {
    std::size_t at = 0;
    for (int l = 1; l < line; ++l) at = text.find('\n', at) + 1;
    return at;
  };
  std::string late = text;
  late.insert(line_start(1900), "not json\n");
  try {
    parse_history(late, o);
    FAIL();
  } catch (const HistoryError& e) {
    EXPECT_EQ(e.line(), 1900u) << e.what();
  }
  std::string both = late;
  const auto at = line_start(101);
  both.replace(both.find("\"time\":100,", at), 10, "\"time\":1");
  try {
    parse_history(both, o);
    FAIL();
  } catch (const HistoryError& e) {
    EXPECT_EQ(e.line(), 101u) << e.what();
    EXPECT_NE(std::string(e.what()).find("goes backwards"), std::string::npos);
  }
  // A truncated last line is still allowed when asked for.
  std::string truncated = text + R"({"index":2000,"ti)";
  o.allow_truncated_last_line = true;
  EXPECT_EQ(parse_history(truncated, o).size(), 2000u);
  o.allow_truncated_last_line = false;
  EXPECT_THROW(parse_history(truncated, o), HistoryError);
}

TEST(HistoryReader, MissingFileIsNotAHistoryError) {
  EXPECT_THROW(read_history_file("/nonexistent/history.jsonl"), std::runtime_error);
}

class HistoryWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("redproof-history-" + std::to_string(::getpid()) + ".jsonl"))
                .string();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
};

TEST_F(HistoryWriterTest, RoundTripsEveryFieldAndEscapes) {
  {
    HistoryWriter w(path_);
    Op a;
    a.time = 10;
    a.process = 3;
    a.f = "write";
    a.key = "k\"ey\n";
    a.value = R"({"v":[1,2]})";
    a.node = "n1";
    a.intended = 4;
    w.append(a);
    Op b = a;
    b.type = OpType::kInfo;  // the writer leaves "intended" off completions
    b.error = "timed out \\ \t";
    b.value = "null";
    w.append(b);
    Op n;
    n.time = 11;
    n.process = kNemesisProcess;
    n.type = OpType::kInfo;
    n.f = "pause";
    w.append(n);
    EXPECT_EQ(w.size(), 3);
  }
  auto ops = read_history_file(path_);
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].index, 0);
  EXPECT_EQ(*ops[0].key, "k\"ey\n");
  EXPECT_EQ(ops[0].value, R"({"v":[1,2]})");
  EXPECT_EQ(ops[0].node, "n1");
  EXPECT_EQ(ops[0].intended, 4);
  EXPECT_EQ(ops[1].type, OpType::kInfo);
  EXPECT_EQ(ops[1].intended, -1);
  EXPECT_EQ(ops[1].error, "timed out \\ \t");
  EXPECT_TRUE(ops[2].is_nemesis());
}

// History text exactly `bytes` long (at least 2 KB): complete lines, the last one's "node"
// padded to fit.
std::string history_of_size(std::size_t bytes) {
  std::string text = long_history(20);
  const std::string head =
      R"({"index":20,"time":20,"process":7,"type":"invoke","f":"read","node":")";
  const std::string tail = "\"}\n";
  text += head + std::string(bytes - text.size() - head.size() - tail.size(), 'n') + tail;
  return text;
}

TEST_F(HistoryWriterTest, AFileEndingOnAPageBoundaryIsReadWhole) {
  // The file is mapped, and the parser reads past each line's end: the bytes after the last
  // page must still be there (and zero) when the file fills its pages exactly.
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  for (const std::size_t bytes : {page, 2 * page, page + 1, page - 1}) {
    const std::string text = history_of_size(bytes);
    ASSERT_EQ(text.size(), bytes);
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << text;
    const auto from_file = read_history_file(path_);
    const auto from_text = parse_history(text);
    ASSERT_EQ(from_file.size(), 21u) << bytes;
    for (std::size_t i = 0; i < from_file.size(); ++i) {
      EXPECT_EQ(history_line(from_file[i]), history_line(from_text[i])) << bytes << " " << i;
    }
  }
}

TEST_F(HistoryWriterTest, ATruncatedLastLineOnAPageBoundary) {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::ofstream(path_, std::ios::binary | std::ios::trunc)
      << history_of_size(page + 200).substr(0, page);
  try {
    read_history_file(path_);
    FAIL();
  } catch (const HistoryError& e) {
    EXPECT_EQ(e.line(), 21u) << e.what();
  }
  HistoryReadOptions o;
  o.allow_truncated_last_line = true;
  EXPECT_EQ(read_history_file(path_, o).size(), 20u);
}

TEST(HistoryReader, ADirectoryIsNotAHistoryFile) {
  try {
    read_history_file(std::filesystem::temp_directory_path().string());
    FAIL();
  } catch (const HistoryError&) {
    FAIL() << "a file that cannot be read is not a history error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot read history file"), std::string::npos);
  }
}

TEST_F(HistoryWriterTest, FlushedPrefixIsReadableWhileTheWriterIsOpen) {
  HistoryWriter w(path_);
  for (int i = 0; i < 100; ++i) {
    Op op;
    op.time = i;
    op.process = i;
    op.f = "read";
    w.append(op);
  }
  w.flush();
  // As a run killed now would leave it: every flushed line whole.
  EXPECT_EQ(read_history_file(path_).size(), 100u);
}

TEST(HistoryWriter, UnwritablePathThrowsNamingIt) {
  try {
    HistoryWriter w("/nonexistent-dir/history.jsonl");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/history.jsonl"), std::string::npos);
  }
}

}  // namespace
}  // namespace redproof
