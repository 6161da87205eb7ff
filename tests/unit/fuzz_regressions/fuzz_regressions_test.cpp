// Replays, under the ordinary build, every input a fuzzer once crashed on (fuzz/regressions/) and
// the seed corpora (fuzz/corpus/), through the same entry functions the fuzzers call. An entry
// throws on a broken rule and crashes on a memory error, so each file either passes or fails here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "fuzz/entries/fuzz_entries.hpp"

namespace redproof::fuzz {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Feeds every file of fuzz/corpus/<target> and fuzz/regressions/<target>; returns how many.
int replay(const std::string& target, const std::function<void(std::string_view)>& entry) {
  int fed = 0;
  for (const char* folder : {"corpus", "regressions"}) {
    const fs::path dir = fs::path(REDPROOF_SOURCE_DIR) / "fuzz" / folder / target;
    if (!fs::is_directory(dir)) continue;
    for (const auto& file : fs::directory_iterator(dir)) {
      if (!file.is_regular_file() || file.path().filename() == ".keep") continue;
      SCOPED_TRACE(file.path().string());
      const std::string input = read_file(file.path());
      EXPECT_NO_THROW(entry(input));
      ++fed;
    }
  }
  return fed;
}

TEST(FuzzRegressions, HistoryReader) {
  EXPECT_GT(replay("history_reader", history_reader), 0);
}

TEST(FuzzRegressions, SuitePlan) {
  EXPECT_GT(replay("suite_plan", suite_plan), 0);
}

TEST(FuzzRegressions, RespReader) {
  EXPECT_GT(replay("resp_reader", resp_reader), 0);
}

TEST(FuzzRegressions, ReplyOutcome) {
  EXPECT_GT(replay("reply_outcome", reply_outcome), 0);
}

}  // namespace
}  // namespace redproof::fuzz
