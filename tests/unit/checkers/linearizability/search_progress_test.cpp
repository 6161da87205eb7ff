// Progress of a long search: reported while it runs, never for a quick one, and only where
// the user asked (a terminal or REDPROOF_PROGRESS).
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "checkers/linearizability/linearizability_checker.hpp"
#include "checkers/linearizability/search_progress.hpp"
#include "core/history_reader.hpp"
#include "hard_histories.hpp"

namespace redproof::linearizability {
namespace {

struct Recorded {
  std::mutex mu;
  std::vector<SearchProgress> lines;
  ProgressSink sink() {
    return [this](const SearchProgress& p) {
      std::lock_guard lock(mu);
      lines.push_back(p);
    };
  }
};

TEST(SearchProgress, ALongSearchReportsKeysStatesAndTimeWhileItRuns) {
  Recorded seen;
  CheckOptions o;
  o.model = "fifo-queue";
  o.timeout = std::chrono::milliseconds(1500);
  o.fast_paths = false;  // the general search's budget: the fifo search decides it at once
  o.progress = seen.sink();
  o.progress_every = std::chrono::milliseconds(100);
  auto r = check_linearizability(parse_history(hard_queue(40)), o);
  ASSERT_EQ(r.verdict, Verdict::kUnknown);
  ASSERT_FALSE(seen.lines.empty());
  for (const auto& p : seen.lines) {
    EXPECT_EQ(p.keys_total, 1u);
    EXPECT_EQ(p.keys_done, 0u);  // its one key never got decided
  }
  EXPECT_GT(seen.lines.back().states_explored, 0);
  for (std::size_t i = 1; i < seen.lines.size(); ++i) {
    EXPECT_GE(seen.lines[i].states_explored, seen.lines[i - 1].states_explored);
    EXPECT_GE(seen.lines[i].elapsed_seconds, seen.lines[i - 1].elapsed_seconds);
  }
}

TEST(SearchProgress, AQuickSearchSaysNothing) {
  Recorded seen;
  CheckOptions o;
  o.progress = seen.sink();
  o.progress_every = std::chrono::seconds(30);
  const std::string h =
      "{\"index\":0,\"time\":0,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":1}\n"
      "{\"index\":1,\"time\":1,\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"value\":1}\n";
  EXPECT_EQ(check_linearizability(parse_history(h), o).verdict, Verdict::kLinearizable);
  EXPECT_TRUE(seen.lines.empty());
}

TEST(SearchProgress, GoesToStderrOnlyForATerminalOrWhenAsked) {
  EXPECT_EQ(stderr_progress_if_wanted(false, nullptr), nullptr);
  EXPECT_EQ(stderr_progress_if_wanted(false, ""), nullptr);
  EXPECT_NE(stderr_progress_if_wanted(true, nullptr), nullptr);
  EXPECT_NE(stderr_progress_if_wanted(false, "1"), nullptr);
  EXPECT_EQ(stderr_progress_if_wanted(true, "0"), nullptr);
}

TEST(SearchProgress, TheLineSaysKeysStatesAndTime) {
  EXPECT_EQ(progress_line({3, 12, 1204331, 4.04}),
            "linearizability: 3/12 keys decided, 1204331 states explored, 4.0 s");
}

}  // namespace
}  // namespace redproof::linearizability
