#include "results/results_directory.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "core/file_limits.hpp"
#include "core/history_reader.hpp"
#include "core/private_files.hpp"
#include "results/hgrm_writer.hpp"
#include "results/html_report.hpp"
#include "results/results_json.hpp"

namespace redproof {

namespace {

namespace fs = std::filesystem;

// A name used as one path component: no separators, and never "." or "..".
std::string path_component(const std::string& name) {
  std::string out = name.empty() ? "none" : name;
  for (char& c : out) {
    if (c == '/' || c == '\\' || c == '\0') c = '_';
  }
  if (out.front() == '.') out.front() = '_';
  return out;
}

// ISO 8601 basic form: sortable, and without ':' (awkward in paths on some systems and tools).
std::string utc_timestamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Validity validity_from_json(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? Validity::kValid : Validity::kInvalid;
  return Validity::kUnknown;
}

// Points <root>/latest at `target` by renaming a fresh link over it, so that it never dangles
// half-made; relative, so the results tree can be moved or copied elsewhere.
void point_latest_at(const fs::path& root, const fs::path& target) {
  const fs::path latest = root / "latest";
  const fs::path tmp = root / fmt::format(".latest.tmp-{}", getpid());
  std::error_code ec;
  fs::remove(tmp, ec);
  fs::create_directory_symlink(fs::relative(target, root), tmp, ec);
  if (!ec) fs::rename(tmp, latest, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw std::runtime_error(
        fmt::format("cannot point {} at {}: {}", latest.string(), target.string(), ec.message()));
  }
}

}  // namespace

std::string read_text_file(const std::string& path) {
  require_within_limit(path, kMaxRunJsonBytes, "a results file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read it", path));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json read_json_object(const std::string& path) {
  auto j = nlohmann::json::parse(read_text_file(path), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    throw std::runtime_error(fmt::format("{}: not a JSON object", path));
  }
  return j;
}

// Readers (a browser on report.html, a script polling results.json) never see half a file, and
// nobody but the owner reads it at all.
void write_file_atomically(const std::string& file, const std::string& content) {
  write_private_file_atomically(file, content);
}

std::string create_run_directory(const std::string& root, const std::string& workload,
                                 const std::string& variant, const std::string& fault_label) {
  return create_results_directory(root, {workload, variant, fault_label});
}

std::string create_results_directory(const std::string& root,
                                     const std::vector<std::string>& components) {
  fs::path parent(root);
  for (const auto& c : components) parent /= path_component(c);
  try {
    create_private_directories(parent.string());
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("cannot create results directory: {}", e.what()));
  }
  // create_private_directory reports whether it made the directory, so two runs racing for the
  // same second (even in two processes) each get their own.
  const std::string stamp = utc_timestamp();
  fs::path dir;
  for (int n = 1;; ++n) {
    dir = parent / (n == 1 ? stamp : fmt::format("{}-{}", stamp, n));
    try {
      if (create_private_directory(dir.string())) break;
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("cannot create results directory: {}", e.what()));
    }
  }
  point_latest_at(fs::path(root), dir);
  return dir.string();
}

void write_run_json(const std::string& dir, const nlohmann::json& config) {
  write_file_atomically((fs::path(dir) / "run.json").string(), config.dump(2) + "\n");
}

void write_results_json(const RunRecord& record) {
  write_file_atomically((fs::path(record.directory) / "results.json").string(),
                        results_json(record).dump(2) + "\n");
}

void write_results(const RunRecord& record) {
  const fs::path dir(record.directory);
  write_results_json(record);
  write_file_atomically((dir / "latency.hgrm").string(), hgrm_text(record));
  for (const auto& [name, check] : record.checks) {
    if (!check.html.empty()) write_file_atomically((dir / (name + ".html")).string(), check.html);
  }
  write_report(record);
}

void write_report(const RunRecord& record) {
  write_file_atomically((fs::path(record.directory) / "report.html").string(), html_report(record));
}

RunRecord read_run_directory(const std::string& dir) {
  const fs::path d(dir);
  std::error_code ec;
  if (!fs::is_directory(d, ec)) throw std::runtime_error(fmt::format("{}: no such directory", dir));
  if (!fs::exists(d / "run.json", ec)) {
    throw std::runtime_error(
        fmt::format("{}: no run.json here; not a redproof results directory", dir));
  }
  RunRecord record;
  record.directory = dir;
  record.config = read_json_object((d / "run.json").string());
  const fs::path history = d / "history.jsonl";
  try {
    // A run that was killed may have left a torn last line: ignored, and counted.
    HistoryReadNotes notes;
    record.history =
        read_history_file(history.string(), {.allow_truncated_last_line = true}, &notes);
    record.history_torn_lines = notes.torn_lines;
    record.history_torn_bytes = notes.torn_bytes;
  } catch (const HistoryError& e) {
    throw std::runtime_error(fmt::format("{}: {}", history.string(), e.what()));
  } catch (const std::exception& e) {
    throw std::runtime_error(e.what());  // names the file already
  }

  const fs::path results = d / "results.json";
  if (!fs::exists(results, ec)) {
    // Checking never happened: the run was killed (or died) before it ended.
    record.reason = kNoResultsReason;
    return record;
  }
  const nlohmann::json r = read_json_object(results.string());
  record.valid = validity_from_json(r.value("valid", nlohmann::json("unknown")));
  if (r.contains("reason") && r["reason"].is_string()) record.reason = r["reason"];
  if (r.contains("checkers") && r["checkers"].is_object()) {
    for (const auto& [name, c] : r["checkers"].items()) {
      CheckResult check;
      check.valid = validity_from_json(c.value("valid", nlohmann::json("unknown")));
      if (c.is_object()) {
        check.details = c;
        check.details.erase("valid");
        check.details.erase("anomalies");
        if (c.contains("anomalies") && c["anomalies"].is_array()) {
          try {
            for (const auto& a : c["anomalies"]) check.anomalies.push_back(anomaly_from_json(a));
          } catch (const nlohmann::json::exception& e) {
            throw std::runtime_error(
                fmt::format("{}: checkers.{}.anomalies: {}", results.string(), name, e.what()));
          }
        }
      }
      // The checker's drawing, for `redproof report` to embed again.
      std::ifstream html(d / (name + ".html"));
      if (html) check.html.assign(std::istreambuf_iterator<char>(html), {});
      record.checks.emplace_back(name, std::move(check));
    }
  }
  if (r.contains("stats") && r["stats"].is_object()) record.stats = r["stats"];
  // A reason the checkers gave is theirs to give again on a re-check, not the run's own.
  if (record.reason == undecided_checkers_reason(record)) record.reason.clear();
  return record;
}

}  // namespace redproof
