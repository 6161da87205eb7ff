// A killed run's history ends in at most one torn line: the reader ignores that last line (and
// only the last), says so once, and still rejects a bad line anywhere before it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/history_reader.hpp"
#include "core/history_writer.hpp"

namespace redproof {
namespace {

const std::string kInvoke =
    R"({"index":0,"time":1,"process":0,"type":"invoke","f":"write","key":"x","value":1})"
    "\n";
const std::string kOk =
    R"({"index":1,"time":2,"process":0,"type":"ok","f":"write","key":"x","value":1})"
    "\n";
const std::string kSecondInvoke =
    R"({"index":2,"time":3,"process":1,"type":"invoke","f":"read","key":"x","value":null})"
    "\n";
const HistoryReadOptions kTolerant{.allow_truncated_last_line = true};

TEST(TornHistory, ATornLastLineIsIgnoredAndCounted) {
  const std::string torn = R"({"index":2,"time":3,"proc)";
  HistoryReadNotes notes;
  const auto ops = parse_history(kInvoke + kOk + torn, kTolerant, &notes);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[1].type, OpType::kOk);
  EXPECT_EQ(notes.torn_lines, 1u);
  EXPECT_EQ(notes.torn_bytes, torn.size());
  EXPECT_EQ(torn_line_warning(notes.torn_bytes),
            "history: last line torn (" + std::to_string(torn.size()) + " bytes), ignored");
}

TEST(TornHistory, AnOperationLeftInFlightByTheTornLineStaysAnOpenInvoke) {
  // The torn line was the completion: the invoke before it is read, in flight.
  const std::string torn = R"({"index":1,"time":2,"process":0,"type":"o)";
  HistoryReadNotes notes;
  const auto ops = parse_history(kInvoke + torn, kTolerant, &notes);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_TRUE(ops[0].is_invoke());
  EXPECT_EQ(notes.torn_lines, 1u);
}

TEST(TornHistory, ABadLineWithLinesAfterItIsStillAnErrorNamingItsLine) {
  const std::string text = kInvoke + R"({"index":1,"time":2,"proc)" + "\n" + kSecondInvoke;
  try {
    parse_history(text, kTolerant);
    FAIL() << "a torn middle line was accepted";
  } catch (const HistoryError& e) {
    EXPECT_EQ(e.line(), 2u);
    EXPECT_NE(std::string(e.what()).find("line 2: bad JSON"), std::string::npos) << e.what();
  }
}

TEST(TornHistory, ABadLastLineEndingInANewlineIsAnError) {
  // A writer only ever leaves a line without its newline: a complete bad line is not torn.
  EXPECT_THROW(parse_history(kInvoke + "{\"index\":1,\"ti\n", kTolerant), HistoryError);
}

TEST(TornHistory, AnEmptyFileIsAnEmptyHistoryWithNothingTorn) {
  HistoryReadNotes notes;
  EXPECT_TRUE(parse_history("", kTolerant, &notes).empty());
  EXPECT_EQ(notes.torn_lines, 0u);
  EXPECT_TRUE(parse_history("", {}, &notes).empty());
}

TEST(TornHistory, AFileOfOnlyATornLineIsAnEmptyHistoryWithOneTornLine) {
  HistoryReadNotes notes;
  EXPECT_TRUE(parse_history(R"({"index":0,"ti)", kTolerant, &notes).empty());
  EXPECT_EQ(notes.torn_lines, 1u);
  EXPECT_EQ(notes.torn_bytes, 14u);
}

TEST(TornHistory, AWholeLastLineWithoutItsNewlineIsKeptNotTorn) {
  std::string text = kInvoke + kOk;
  text.pop_back();
  HistoryReadNotes notes;
  EXPECT_EQ(parse_history(text, kTolerant, &notes).size(), 2u);
  EXPECT_EQ(notes.torn_lines, 0u);
}

TEST(TornHistory, StrictReadingStillRejectsATornLine) {
  HistoryReadNotes notes;
  EXPECT_THROW(parse_history(kInvoke + R"({"index":1,"ti)", {}, &notes), HistoryError);
}

TEST(TornHistory, PiecewiseReadingCountsTheTornLineOfTheLastPiece) {
  std::string text;
  for (int i = 0; i < 400; ++i) {
    text += R"({"index":)" + std::to_string(i) + R"(,"time":)" + std::to_string(i) +
            R"(,"process":)" + std::to_string(i / 2 % 3) + R"(,"type":")" +
            (i % 2 ? "ok" : "invoke") + R"(","f":"write","key":"k","value":1})" + "\n";
  }
  HistoryReadOptions pieces = kTolerant;
  pieces.chunk_bytes = 500;
  HistoryReadNotes notes;
  EXPECT_EQ(parse_history(text + R"({"index":400,"time":4)", pieces, &notes).size(), 400u);
  EXPECT_EQ(notes.torn_lines, 1u);
  EXPECT_EQ(notes.torn_bytes, 21u);
  // A bad line in an early piece is still the error, whatever the last piece holds.
  std::string bad = text;
  bad.insert(bad.find('\n', 1000) + 1, "{\"index\":\n");
  EXPECT_THROW(parse_history(bad + R"({"index":400,"ti)", pieces, &notes), HistoryError);
}

class TornHistoryFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("redproof-torn-" + std::to_string(::getpid()) + ".jsonl"))
                .string();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
};

TEST_F(TornHistoryFile, AWrittenHistoryWithHalfALineAppendedReadsBackWithOneTornLine) {
  {
    HistoryWriter w(path_);
    for (int i = 0; i < 10; ++i) {
      Op op;
      op.time = i;
      op.process = i / 2;
      op.type = i % 2 ? OpType::kOk : OpType::kInvoke;
      op.f = "write";
      op.key = "x";
      op.value = "1";
      w.append(op);
    }
  }
  const std::string line = R"({"index":10,"time":10,"process":5,"type":"invoke","f":"write"})";
  std::ofstream(path_, std::ios::app) << line.substr(0, line.size() / 2);
  HistoryReadNotes notes;
  EXPECT_EQ(read_history_file(path_, kTolerant, &notes).size(), 10u);
  EXPECT_EQ(notes.torn_lines, 1u);
  EXPECT_EQ(notes.torn_bytes, line.size() / 2);
}

TEST_F(TornHistoryFile, TheWriterCreatesTheFileOwnerOnlyAndSyncsWhatItHolds) {
  const mode_t old = ::umask(0);  // the mode must not depend on the caller's umask
  {
    HistoryWriter w(path_);
    Op op;
    op.f = "write";
    op.process = 0;
    w.append(op);
    w.sync();
    // Synced means written: the line is in the file while the writer is still open.
    HistoryReadNotes notes;
    EXPECT_EQ(read_history_file(path_, {}, &notes).size(), 1u);
  }
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace redproof
