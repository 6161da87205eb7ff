#include "results/suite_report.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/private_files.hpp"

namespace redproof {

namespace {

namespace fs = std::filesystem;

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not well-formed.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  if (n == 2 && c < 0xC2) return 0;  // overlong
  return n;
}

std::string esc(std::string_view text) {
  return escape_markup(text);
}

std::string link_to(const std::string& target, const std::string& from_dir) {
  std::error_code ec;
  const fs::path rel = fs::absolute(target, ec).lexically_relative(fs::absolute(from_dir, ec));
  return rel.empty() ? target : rel.generic_string();
}

std::string duration_text(double s) {
  if (s < 60) return fmt::format("{:.1f} s", s);
  return fmt::format("{}m{:02d}s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
}

constexpr const char* kStyle = R"(
:root{--ok:#1a7f37;--bad:#cf222e;--skip:#8c959f;--warn:#9a6700;--ink:#1f2328;--mute:#59636e;--line:#d0d7de}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#f6f8fa}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}
.verdict{font-size:20px;font-weight:600;padding:14px 18px;border-radius:8px;margin:16px 0;color:#fff}
.verdict.pass{background:var(--ok)}.verdict.fail{background:var(--bad)}.verdict.stop{background:var(--warn)}
.meta{color:var(--mute);font-size:13px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#eef1f4;font-size:13px;color:var(--mute);font-weight:600}
tr:last-child td{border-bottom:0}
td.status{font-weight:700;white-space:nowrap}
.met{color:var(--ok)}.missed{color:var(--bad)}.skipped{color:var(--skip)}.regressed{color:var(--warn)}
.seed{display:inline-block;margin:2px 4px 2px 0;padding:2px 8px;border-radius:12px;font-size:13px;border:1px solid var(--line);text-decoration:none;color:var(--ink);background:#fff}
.seed.met{border-color:var(--ok);background:#dafbe1}.seed.missed{border-color:var(--bad);background:#ffebe9}.seed.skipped{color:var(--skip)}
a.seed:hover{text-decoration:underline}
.note{color:var(--mute);font-size:13px}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef1f4;padding:1px 4px;border-radius:4px;word-break:break-all}
.why{font-size:13px;margin-top:4px}
td.num{white-space:nowrap}
)";

const char* status_class(SuiteSeedResult::Status s) {
  switch (s) {
    case SuiteSeedResult::Status::kMet:
      return "met";
    case SuiteSeedResult::Status::kMissed:
      return "missed";
    default:
      return "skipped";
  }
}

// The banner's class and sentence: interrupted, passed, or which runs missed and regressed.
struct SuiteVerdict {
  std::string cls;
  std::string text;
};

SuiteVerdict suite_verdict(const SuiteResult& suite) {
  int met = 0, missed = 0, regressed = 0;
  for (const auto& r : suite.runs) {
    if (!r.skipped) ++(r.met() ? met : missed);  // a skipped run did not finish
    if (!r.regression.empty()) ++regressed;
  }
  if (suite.interrupted) {
    return {"stop", fmt::format("Interrupted: {} of {} runs finished before the suite was stopped; "
                                "the rest were skipped.",
                                met + missed, suite.runs.size())};
  }
  if (suite.passed()) {
    return {"pass",
            fmt::format("Passed: all {} runs met their expectations{}.", suite.runs.size(),
                        suite.baseline.empty() ? "" : ", with no regression against the baseline")};
  }
  std::string text =
      fmt::format("Failed: {} of {} runs missed their expectations", missed, suite.runs.size());
  if (regressed) text += fmt::format(", {} regressed against the baseline", regressed);
  text += ".";
  return {"fail", text};
}

// The page head, the title lines and the verdict banner.
std::string suite_header_html(const SuiteResult& suite) {
  const SuiteVerdict verdict = suite_verdict(suite);
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>redproof suite: " + esc(suite.plan) + "</title>\n";
  out += "<style>" + std::string(kStyle) + "</style></head><body><main>\n";
  out += "<h1>redproof suite <code>" + esc(suite.plan) + "</code></h1>\n";
  out += fmt::format("<div class=\"meta\">started {} · {} · results in <code>{}</code>{}</div>\n",
                     esc(suite.started), duration_text(suite.seconds), esc(suite.directory),
                     suite.baseline.empty()
                         ? std::string()
                         : fmt::format(" · baseline <code>{}</code> (tolerance {:g}%)",
                                       esc(suite.baseline), suite.tolerance_pct));
  out += "<div class=\"verdict " + verdict.cls + "\">" + esc(verdict.text) + "</div>\n";
  return out;
}

// One seed's chip: a link to its report.html when that was written, else plain text.
std::string seed_chip_html(const SuiteSeedResult& seed, const std::string& html_dir) {
  const std::string label =
      fmt::format("seed {}: {}", seed.seed,
                  seed.status == SuiteSeedResult::Status::kSkipped ? "skipped" : seed.got);
  const std::string report = seed.directory.empty() ? "" : seed.directory + "/report.html";
  std::error_code ec;
  if (!report.empty() && fs::exists(report, ec)) {
    return fmt::format("<a class=\"seed {}\" href=\"{}\" title=\"{}\">{}</a>",
                       status_class(seed.status), esc(link_to(report, html_dir)),
                       esc(seed.directory), esc(label));
  }
  return fmt::format("<span class=\"seed {}\">{}</span>", status_class(seed.status), esc(label));
}

// The seeds cell: every seed's chip, then why each missed seed missed and how to replay it,
// the regression and the run's figures.
std::string seeds_cell_html(const SuiteRunResult& run, const std::string& html_dir) {
  std::string out, whys;
  for (const auto& seed : run.seeds) {
    out += seed_chip_html(seed, html_dir);
    if (seed.status == SuiteSeedResult::Status::kMissed) {
      whys += fmt::format(
          "<div class=\"why\"><span class=\"missed\">seed {}:</span> {}<br>replay: "
          "<code>{}</code></div>",
          seed.seed, esc(seed.failure), esc(seed.replay));
    }
  }
  out += whys;
  if (!run.regression.empty()) {
    out += "<div class=\"why regressed\">regression: " + esc(run.regression) + "</div>";
  }
  if (!run.figures.empty()) out += "<div class=\"note\">" + esc(run.figures) + "</div>";
  return out;
}

// One run's table row. A run that met its expectation but regressed is coloured as regressed.
std::string run_row_html(const SuiteRunResult& run, const std::string& html_dir) {
  std::string status = run.skipped ? "skipped" : run.met() ? "met" : "missed";
  std::string status_cls = status;
  if (!run.regression.empty()) {
    status += " · regressed";
    if (run.met()) status_cls = "regressed";
  }
  std::string out;
  out += "<tr><td><b>" + esc(run.name) + "</b>";
  if (!run.note.empty()) out += "<div class=\"note\">" + esc(run.note) + "</div>";
  out += "</td><td class=\"status " + status_cls + "\">" + esc(status) + "</td>";
  out += "<td>" + esc(run.expected) + "</td><td>";
  out += seeds_cell_html(run, html_dir);
  out +=
      fmt::format("</td><td class=\"num\">{} of {} (need {})</td><td class=\"num\">{}</td></tr>\n",
                  run.seeds_met, run.seeds.size(), run.min_seeds, duration_text(run.seconds));
  return out;
}

std::string runs_table_html(const SuiteResult& suite, const std::string& html_dir) {
  std::string out =
      "<table><thead><tr><th>run</th><th>status</th><th>expected</th><th>seeds (each links to its "
      "report)</th>"
      "<th>seeds met</th><th>time</th></tr></thead><tbody>\n";
  for (const auto& run : suite.runs) out += run_row_html(run, html_dir);
  out += "</tbody></table>\n";
  return out;
}

}  // namespace

std::string escape_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_length(text, i);
    if (n == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      out += "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 cannot carry these at all
      ++i;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string suite_html(const SuiteResult& suite, const std::string& html_dir) {
  std::string out = suite_header_html(suite);
  out += runs_table_html(suite, html_dir);
  out +=
      "<p class=\"meta\">Expected verdicts follow the acceptance matrix (anomalies.md). A run "
      "meets its "
      "expectation when at least the needed number of its seeds reach the expected verdict and "
      "show "
      "every expected anomaly.</p>\n";
  out += "</main></body></html>\n";
  return out;
}

void write_suite_html(const SuiteResult& suite, const std::string& path) {
  const fs::path p(path);
  if (p.has_parent_path()) create_private_directories(p.parent_path().string());
  const std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
  write_private_file_atomically(path, suite_html(suite, dir));
}

}  // namespace redproof
