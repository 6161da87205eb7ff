// The load engine's history lines: formatted by hand for speed, so checked here against the
// history reader (every line valid, fields exact) and against the writer's ordering rules.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/history_reader.hpp"
#include "driver/load/load_history.hpp"

namespace redproof::load {
namespace {

class LoadHistoryTest : public ::testing::Test {
 protected:
  std::string path_ = (std::filesystem::temp_directory_path() /
                       ("redproof-load-history-" + std::to_string(::getpid()) + ".jsonl"))
                          .string();
  void TearDown() override { std::filesystem::remove(path_); }

  std::string text() const {
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

TEST_F(LoadHistoryTest, LinesAreExactAndTheReaderAcceptsThem) {
  TemplateOptions options;
  options.key_prefix = "we\"ird:";  // needs escaping in JSON
  CommandMix mix({CommandTemplate{"set", "", {}, 1}, CommandTemplate{"get", "", {}, 1}});
  {
    LoadHistory history(path_, mix, options);
    LoadHistoryBatch batch(history);
    batch.add(1000, 0, EventType::kInvoke, 0, key_digits(42));
    batch.add(900, 1, EventType::kInvoke, 1,
              key_digits(123456789012ULL));  // earlier: clamped to 1000
    batch.add(20'000'000'000LL, 0, EventType::kOk, 0, key_digits(42));
    batch.add(20'000'000'001LL, 1, EventType::kInfo, 1, key_digits(123456789012ULL), "timed out");
    batch.flush();
    batch.flush();  // nothing pending: writes nothing
    history.writer().flush();
  }
  EXPECT_EQ(text(),
            "{\"index\":0,\"time\":1000,\"process\":0,\"type\":\"invoke\",\"f\":\"set\","
            "\"key\":\"we\\\"ird:000000000042\"}\n"
            "{\"index\":1,\"time\":1000,\"process\":1,\"type\":\"invoke\",\"f\":\"get\","
            "\"key\":\"we\\\"ird:123456789012\"}\n"
            "{\"index\":2,\"time\":20000000000,\"process\":0,\"type\":\"ok\",\"f\":\"set\","
            "\"key\":\"we\\\"ird:000000000042\"}\n"
            "{\"index\":3,\"time\":20000000001,\"process\":1,\"type\":\"info\",\"f\":\"get\","
            "\"key\":\"we\\\"ird:123456789012\",\"error\":\"timed out\"}\n");
  const auto ops = read_history_file(path_);
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(*ops[1].key, "we\"ird:123456789012");
  EXPECT_EQ(ops[3].type, OpType::kInfo);
  EXPECT_EQ(ops[3].error, "timed out");
  EXPECT_EQ(ops[2].value, "null");
}

TEST_F(LoadHistoryTest, BatchesFromSeveralThreadsInterleaveWithoutBreakingOrder) {
  TemplateOptions options;
  CommandMix mix({CommandTemplate{"incr", "", {}, 1}});
  constexpr int kPerBatch = 5000;  // several auto-flushes of the writer's buffer
  {
    LoadHistory history(path_, mix, options);
    LoadHistoryBatch a(history);
    LoadHistoryBatch b(history);
    for (int i = 0; i < kPerBatch; ++i) {
      a.add(2 * i, 0, EventType::kInvoke, 0, key_digits(i));
      a.add(2 * i + 1, 0, EventType::kFail, 0, key_digits(i), "error reply");
      b.add(i, 1, EventType::kInvoke, 0,
            key_digits(i));  // b's clock lags a's: clamped when flushed after
      b.add(i, 1, EventType::kOk, 0, key_digits(i));
    }
    a.flush();
    b.flush();
    history.writer().flush();
  }
  const auto ops = read_history_file(path_);  // checks index, time order and pairing
  ASSERT_EQ(ops.size(), 4u * kPerBatch);
  EXPECT_EQ(ops.back().time, 2 * (kPerBatch - 1) + 1);
  EXPECT_EQ(ops[1].error, "error reply");
}

}  // namespace
}  // namespace redproof::load
