// report.html and suite.html as a person sees them: a real run and a tiny suite, rendered by
// headless Chromium (Debian's `chromium`, from ci/install-deps.sh). Fails on console messages
// (errors, uncaught exceptions), on references the page cannot load (anything over the network,
// or a file that is not there), and on an empty page. Skips, saying why, without Chromium.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;

std::string find_chromium() {
  for (const char* name : {"chromium", "chromium-browser"}) {
    const std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) return name;
  }
  return "";
}

std::string read(const fs::path& p) {
  return testing::slurp(p.string());
}

struct Rendered {
  int exit_code = -1;
  std::string log;  // Chromium's stderr with --enable-logging=stderr
  std::string dom;  // --dump-dom
  fs::path screenshot;
};

class BrowserReport : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = find_chromium();
    if (chromium_.empty()) {
      GTEST_SKIP() << "chromium is not installed: the headless report test needs Debian's "
                      "`chromium` (run ci/install-deps.sh as root to install it)";
    }
    scratch_ = fs::temp_directory_path() /
               ("redproof-browser-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    // Kept on failure (the screenshots say what went wrong); REDPROOF_KEEP keeps them anyway.
    if (!HasFailure() && !std::getenv("REDPROOF_KEEP") && !scratch_.empty())
      fs::remove_all(scratch_);
  }

  // One Chromium per step, each with a fresh profile, as the issue prescribes.
  Rendered render(const fs::path& page, const std::string& name) {
    Rendered r;
    r.screenshot = scratch_ / (name + ".png");
    const std::string common =
        chromium_ +
        " --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run "
        "--enable-logging=stderr --v=0 --window-size=1280,1800 ";
    const std::string url = "file://" + fs::absolute(page).string();
    std::string cmd = common + "--user-data-dir=" + (scratch_ / (name + "-profile-1")).string() +
                      " --screenshot=" + r.screenshot.string() + " '" + url + "' > " +
                      (scratch_ / (name + "-1.out")).string() + " 2> " +
                      (scratch_ / (name + "-1.log")).string();
    r.exit_code = std::system(cmd.c_str());
    cmd = common + "--user-data-dir=" + (scratch_ / (name + "-profile-2")).string() +
          " --dump-dom '" + url + "' > " + (scratch_ / (name + ".dom")).string() + " 2> " +
          (scratch_ / (name + "-2.log")).string();
    const int dump = std::system(cmd.c_str());
    if (r.exit_code == 0) r.exit_code = dump;
    r.log = read(scratch_ / (name + "-1.log")) + read(scratch_ / (name + "-2.log"));
    r.dom = read(scratch_ / (name + ".dom"));
    return r;
  }

  // Everything a browser would see go wrong, as failures.
  void expect_clean(const fs::path& page, const Rendered& r,
                    const std::vector<std::string>& must_say) {
    EXPECT_EQ(r.exit_code, 0) << r.log;
    // Console messages: a report page has nothing to say there; an error or an uncaught
    // exception is a broken page.
    std::istringstream lines(r.log);
    for (std::string line; std::getline(lines, line);) {
      if (line.find("CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos ||
          line.find("net::ERR_") != std::string::npos) {
        ADD_FAILURE() << page << ": console: " << line;
      }
    }
    // Requests: one self-contained file; the only references allowed are in-page anchors, data:
    // URIs and relative links to files that exist (suite.html's report.html links).
    const std::string html = read(page);
    const std::regex ref(R"re((?:src|href)\s*=\s*"([^"]*)"|url\(\s*['"]?([^'")]*))re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), ref);
         it != std::sregex_iterator(); ++it) {
      std::string target = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
      if (target.empty() || target[0] == '#' || target.rfind("data:", 0) == 0) continue;
      if (target.find("://") != std::string::npos || target.rfind("//", 0) == 0) {
        ADD_FAILURE() << page << ": references the network: " << target;
        continue;
      }
      target = target.substr(0, target.find_first_of("?#"));
      EXPECT_TRUE(fs::exists(page.parent_path() / target))
          << page << ": broken reference " << target;
    }
    EXPECT_EQ(html.find("<script src"), std::string::npos) << page << ": external script";
    // Not empty: the DOM has the words a person reads first, and the screenshot has content.
    const std::string text = std::regex_replace(r.dom, std::regex("<[^>]*>"), " ");
    EXPECT_GT(text.size(), 300u) << page << ": nearly empty page";
    for (const auto& words : must_say)
      EXPECT_NE(r.dom.find(words), std::string::npos) << page << ": no \"" << words << "\"";
    ASSERT_TRUE(fs::exists(r.screenshot)) << r.log;
    EXPECT_GT(fs::file_size(r.screenshot), 20'000u) << r.screenshot << ": looks blank";
  }

  std::string chromium_;
  fs::path scratch_;
};

TEST_F(BrowserReport, ARealRunsReportRendersWithoutErrors) {
  const auto o = testing::run_redproof(
      {"run", "register", "--time", "2s", "--results-dir", (scratch_ / "results").string()},
      scratch_.string());
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  const fs::path page = fs::canonical(scratch_ / "results" / "latest") / "report.html";
  ASSERT_TRUE(fs::exists(page));
  const Rendered r = render(page, "report");
  expect_clean(page, r, {"register", "linearizable"});
}

// A cache pattern's report: the database's loads beside the reads, with the expiries the history
// shows as ticks on those charts (details_chart.hpp's markers). The unprotected stampede herds,
// so the run is invalid; what matters here is the page.
TEST_F(BrowserReport, AStampedeReportWithExpiryMarkersRendersWithoutErrors) {
  const auto o = testing::run_redproof({"run", "stampede", "--variant", "none", "--time", "3s",
                                        "--results-dir", (scratch_ / "results").string()},
                                       scratch_.string());
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  const fs::path page = fs::canonical(scratch_ / "results" / "latest") / "report.html";
  ASSERT_TRUE(fs::exists(page));
  const Rendered r = render(page, "stampede");
  expect_clean(page, r,
               {"stampede: db loads per second", "stampede: reads per second",
                "stampede: expiries per second", "expiry, eviction or early rebuild: hot:{0}",
                "Ticks on the charts above"});
  EXPECT_NE(r.dom.find("<line class=\"mark\""), std::string::npos);
}

TEST_F(BrowserReport, ASuiteReportRendersAndLinksEachSeedsReport) {
  std::ofstream(scratch_ / "tiny.json") << R"({"runs": [
    {"name": "register linearizable", "workload": "register", "time": "1s", "seeds": [1, 2], "expect": {"valid": true}},
    {"name": "lock get-del expected valid", "workload": "lock", "variant": "get-del", "time": "1s", "expect": {"valid": true}}]})";
  const auto o = testing::run_redproof(
      {"suite", (scratch_ / "tiny.json").string(), "--junit",
       (scratch_ / "ci" / "junit.xml").string(), "--results-dir", (scratch_ / "results").string()},
      scratch_.string());
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  const fs::path page = scratch_ / "ci" / "suite.html";
  ASSERT_TRUE(fs::exists(page));
  const Rendered r = render(page, "suite");
  expect_clean(page, r,
               {"Passed: all 2 runs met their expectations", "register linearizable", "seed 2"});
  EXPECT_NE(r.dom.find("href=\"../results/register-linearizable/seed-2/"), std::string::npos);
}

// A benchmark's report, compared with a baseline (both distributions on one plot).
TEST_F(BrowserReport, ABenchReportRendersWithoutErrors) {
  const std::string results = (scratch_ / "results").string();
  const auto first = testing::run_redproof(
      {"bench", "--time", "5s", "--clients", "4", "--quiet", "--results-dir", results},
      scratch_.string());
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const fs::path baseline = fs::canonical(scratch_ / "results" / "latest");
  const Rendered alone = render(baseline / "report.html", "bench");
  expect_clean(baseline / "report.html", alone, {"redproof bench: set+get", "Latency per second"});
  const auto second =
      testing::run_redproof({"bench", "--time", "2s", "--clients", "4", "--quiet", "--results-dir",
                             results, "--baseline", baseline.string(), "--tolerance", "100000"},
                            scratch_.string());
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  const fs::path page = fs::canonical(scratch_ / "results" / "latest") / "report.html";
  const Rendered r = render(page, "bench-baseline");
  expect_clean(page, r, {"Against the baseline", "this run and the baseline"});
}

// A benchmark under a fault: its windows shaded on both charts and its percentiles per window.
TEST_F(BrowserReport, ABenchReportWithFaultWindowsRendersWithoutErrors) {
  const auto o = testing::run_redproof(
      {"bench", "--fault", "proxy-latency", "--fault-interval", "1s", "--time", "5s", "--clients",
       "4", "--quiet", "--results-dir", (scratch_ / "results").string()},
      scratch_.string());
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  const fs::path page = fs::canonical(scratch_ / "results" / "latest") / "report.html";
  const Rendered r = render(page, "bench-fault");
  expect_clean(page, r,
               {"By fault window", "proxy-latency", "the periods each fault was in effect"});
}

}  // namespace
}  // namespace redproof
