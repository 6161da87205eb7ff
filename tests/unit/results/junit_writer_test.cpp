// The JUnit file CI systems read, and suite.html: structure, counts, escaping.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "results/junit_writer.hpp"
#include "results/suite_report.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;
using Status = SuiteSeedResult::Status;

SuiteResult sample() {
  SuiteResult s;
  s.plan = "ci/gate.json";
  s.started = "2026-11-30T10:00:00Z";
  s.directory = "/tmp/gate";
  s.seconds = 42.5;
  SuiteRunResult met;
  met.name = "lock <get-del> & \"pause\"";
  met.expected = "invalid + double-holder";
  met.min_seeds = 1;
  met.seeds_met = 1;
  met.seeds = {{1, Status::kMet, "invalid + double-holder", "", "/tmp/gate/a/seed-1/lock/x", "",
                "redproof run lock --seed 1", 8.25},
               {2, Status::kMissed, "valid", "expected valid=false, got true", "", "",
                "redproof run lock --seed 2", 8}};
  SuiteRunResult missed;
  missed.name = "register valid";
  missed.expected = "valid";
  missed.min_seeds = 1;
  missed.seeds = {{3, Status::kMissed, "invalid + linearizable",
                   "expected valid=true, got false\x01 <oops>", "", "", "r", 1}};
  missed.baseline_compared = true;
  missed.regression = "p99 2ms vs 1ms";
  SuiteRunResult skipped;
  skipped.name = "skipped one";
  skipped.expected = "valid";
  skipped.min_seeds = 1;
  skipped.skipped = true;
  skipped.seeds = {{4, Status::kSkipped, "", "skipped: the suite was interrupted", "", "", "r", 0}};
  s.runs = {met, missed, skipped};
  return s;
}

TEST(EscapeMarkup, EscapesAndReplacesWhatXmlCannotCarry) {
  EXPECT_EQ(escape_markup("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(escape_markup("tab\tnl\n"), "tab\tnl\n");
  EXPECT_EQ(escape_markup(std::string("x\x01y\x1b")), "x\xEF\xBF\xBDy\xEF\xBF\xBD");
  EXPECT_EQ(escape_markup("caf\xC3\xA9 \xE2\x80\xA6"), "caf\xC3\xA9 \xE2\x80\xA6");  // UTF-8 kept
  EXPECT_EQ(escape_markup("\xFF\xC3"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // not UTF-8
}

TEST(JunitWriter, OneTestcasePerRunAndSeedWithFailuresAndSkips) {
  const std::string xml = junit_xml(sample());
  EXPECT_NE(xml.find("<testsuites name=\"redproof suite\" tests=\"5\" failures=\"2\" errors=\"0\" "
                     "skipped=\"1\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"gate.json\" tests=\"5\" failures=\"2\""),
            std::string::npos);
  EXPECT_NE(xml.find("<testcase classname=\"lock &lt;get-del&gt; &amp; &quot;pause&quot;\" "
                     "name=\"seed 1\" time=\"8.250\">"),
            std::string::npos);
  // Seed 2 missed, but its run met (1 of 2 needed): CI must not go red for it.
  const auto seed2 = xml.find("name=\"seed 2\"");
  ASSERT_NE(seed2, std::string::npos);
  EXPECT_LT(xml.find("</testcase>", seed2), xml.find("<failure", seed2));
  EXPECT_NE(xml.find("this seed missed"), std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"expected valid: expected valid=true, got "
                     "false\xEF\xBF\xBD &lt;oops&gt;\" "
                     "type=\"expectation\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<skipped message=\"skipped: the suite was interrupted\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("name=\"baseline\""), std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"regression: p99 2ms vs 1ms\" type=\"regression\">"),
            std::string::npos);
  EXPECT_NE(xml.find("results: /tmp/gate/a/seed-1/lock/x"), std::string::npos);
  EXPECT_NE(xml.find("replay: redproof run lock --seed 1"), std::string::npos);
}

TEST(JunitWriter, ParsesAsXml) {
  if (std::system("python3 -c 'import xml.dom.minidom' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "no python3";
  const fs::path dir = fs::temp_directory_path() / ("redproof-junit-" + std::to_string(getpid()));
  fs::create_directories(dir);
  write_junit(sample(), (dir / "sub" / "junit.xml").string());
  const std::string cmd =
      "python3 -m xml.dom.minidom " + (dir / "sub" / "junit.xml").string() + " >/dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  fs::remove_all(dir);
}

TEST(SuiteReport, SaysTheVerdictInWordsAndLinksEachSeedsReport) {
  const fs::path dir =
      fs::temp_directory_path() / ("redproof-suite-html-" + std::to_string(getpid()));
  fs::create_directories(dir / "runs/a/seed-1/lock/x");
  std::ofstream(dir / "runs/a/seed-1/lock/x/report.html") << "<html></html>";
  SuiteResult s = sample();
  s.runs[0].seeds[0].directory = (dir / "runs/a/seed-1/lock/x").string();
  write_suite_html(s, (dir / "suite.html").string());
  std::ifstream in(dir / "suite.html");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string html = ss.str();
  EXPECT_NE(
      html.find("Failed: 1 of 3 runs missed their expectations, 1 regressed against the baseline."),
      std::string::npos)
      << html;
  EXPECT_NE(html.find("href=\"runs/a/seed-1/lock/x/report.html\""), std::string::npos);
  EXPECT_NE(html.find("lock &lt;get-del&gt; &amp; &quot;pause&quot;"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  fs::remove_all(dir);

  SuiteResult passed = sample();
  passed.runs.resize(1);
  EXPECT_NE(suite_html(passed, "/tmp").find("Passed: all 1 runs met their expectations."),
            std::string::npos);
  passed.interrupted = true;
  EXPECT_NE(suite_html(passed, "/tmp").find("Interrupted"), std::string::npos);
}

}  // namespace
}  // namespace redproof
