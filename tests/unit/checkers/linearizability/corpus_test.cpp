// Every history of ../shared/corpus/linearizability/ gets the verdict its manifest gives (model
// and init from the manifest). Skipped when the corpus is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "checkers/linearizability/linearizability_checker.hpp"
#include "core/history_reader.hpp"

namespace redproof::linearizability {
namespace {

namespace fs = std::filesystem;

struct CorpusEntry {
  std::string file;
  std::string model;
  std::string init;  // JSON text, empty for none
  bool linearizable = true;
};

// gtest names a parameter by its file, not by its bytes.
void PrintTo(const CorpusEntry& e, std::ostream* os) {
  *os << (e.file.empty() ? "absent" : e.file);
}

std::vector<CorpusEntry> load_manifest() {
  std::vector<CorpusEntry> out;
  fs::path manifest = fs::path(REDPROOF_CORPUS_DIR) / "linearizability" / "manifest.json";
  std::ifstream in(manifest);
  if (!in) return out;
  auto j = nlohmann::json::parse(in);
  for (const auto& e : j) {
    CorpusEntry c;
    c.file = e["file"];
    c.model = e["model"];
    if (e.contains("init") && !e["init"].is_null()) c.init = e["init"].dump();
    c.linearizable = e["expected"] == "linearizable";
    out.push_back(c);
  }
  return out;
}

class Corpus : public ::testing::TestWithParam<CorpusEntry> {};

TEST_P(Corpus, GivesTheManifestsVerdict) {
  const auto& c = GetParam();
  if (c.file.empty()) GTEST_SKIP() << "corpus absent: " << REDPROOF_CORPUS_DIR;
  auto history =
      read_history_file((fs::path(REDPROOF_CORPUS_DIR) / "linearizability" / c.file).string());
  CheckOptions o;
  o.model = c.model;
  o.init_json = c.init;
  o.timeout = std::chrono::seconds(60);
  auto r = check_linearizability(history, o);
  EXPECT_EQ(r.verdict, c.linearizable ? Verdict::kLinearizable : Verdict::kNotLinearizable)
      << c.file << " model " << c.model << " init " << c.init;
  if (r.verdict == Verdict::kNotLinearizable) {
    ASSERT_TRUE(r.failure);
    EXPECT_FALSE(r.failure->stuck.f.empty());
  }
}

std::vector<CorpusEntry> entries_or_placeholder() {
  auto e = load_manifest();
  if (e.empty()) e.push_back({"", "", "", true});  // one skipped test says why
  return e;
}

INSTANTIATE_TEST_SUITE_P(Manifest, Corpus, ::testing::ValuesIn(entries_or_placeholder()),
                         [](const ::testing::TestParamInfo<CorpusEntry>& info) {
                           std::string name = info.param.file.empty() ? "absent" : info.param.file;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace redproof::linearizability
