#include "results/console_summary.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <string>

#include "core/duration.hpp"
#include "core/history_reader.hpp"
#include "results/results_json.hpp"

namespace redproof {

namespace {

// A terminal summary is for reading: a handful of anomalies says what happened, and
// results.json and report.html hold the rest.
constexpr std::size_t kShownPerChecker = 5;

std::string verdict_word(Validity v) {
  switch (v) {
    case Validity::kValid:
      return "valid";
    case Validity::kInvalid:
      return "INVALID";
    case Validity::kUnknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

std::string ms_of_ns(const nlohmann::json& ns) {
  if (!ns.is_number_integer()) return "-";
  return format_duration(Nanos(ns.get<std::int64_t>()));
}

std::string during(const std::vector<std::string>& faults) {
  std::string labels;
  for (const auto& f : faults) {
    if (f != "none") labels += (labels.empty() ? "" : ", ") + f;
  }
  return labels.empty() ? "" : " (during " + labels + ")";
}

// How many anomalies the checker found in all, of which `kept` are listed.
std::int64_t anomaly_total(const CheckResult& result) {
  std::int64_t total = 0;
  const nlohmann::json& d = result.details;
  if (d.is_object() && d.contains("anomaly_counts") && d["anomaly_counts"].is_object()) {
    for (const auto& [name, n] : d["anomaly_counts"].items()) {
      if (n.is_number_integer()) total += n.get<std::int64_t>();
    }
  }
  return std::max<std::int64_t>(total, static_cast<std::int64_t>(result.anomalies.size()));
}

void print_checker(std::ostream& out, const std::string& name, const CheckResult& result) {
  out << fmt::format("  {}: {}\n", name, verdict_word(result.valid));
  const nlohmann::json& d = result.details;
  if (d.is_object() && d.contains("error") && d["error"].is_string()) {
    out << "    " << d["error"].get<std::string>() << "\n";
  }
  std::size_t shown = 0;
  for (const Anomaly& a : result.anomalies) {
    if (shown == kShownPerChecker) break;
    out << fmt::format("    {}{}: {}{}\n", a.name, a.violation ? "" : " (note)", a.sentence,
                       during(a.faults));
    ++shown;
  }
  const std::int64_t total = anomaly_total(result);
  if (total > static_cast<std::int64_t>(shown)) {
    out << fmt::format("    and {} more (results.json, report.html)\n", total - shown);
  }
  if (d.is_object() && d.contains("reason") && d["reason"].is_string()) {
    out << "    gave up: " << d["reason"].get<std::string>() << " budget spent\n";
  }
}

}  // namespace

void print_console_summary(std::ostream& out, const RunRecord& record) {
  const nlohmann::json results = results_json(record);
  const nlohmann::json& stats = results["stats"];

  if (record.history_torn_lines > 0) {
    out << "Warning: " << torn_line_warning(record.history_torn_bytes) << "\n";
  }
  out << "Checkers:\n";
  for (const auto& [name, result] : record.checks) print_checker(out, name, result);
  if (record.checks.empty()) out << "  (none ran)\n";

  const nlohmann::json& completed = stats["completed"];
  const double duration_s = stats.value("duration_s", 0.0);
  out << fmt::format("Operations: {} ({} ok, {} fail, {} info) in {:.1f} s: {:.1f} ops/s\n",
                     completed.value("total", 0), completed.value("ok", 0),
                     completed.value("fail", 0), completed.value("info", 0), duration_s,
                     stats.value("ops_per_s", 0.0));
  const nlohmann::json& latency = stats["latency"];
  const bool open_loop = stats.contains("latency_uncorrected");
  out << fmt::format("Latency ({}ok and fail): p50 {}, p99 {}, p99.9 {}, max {}\n",
                     open_loop ? "from the intended start, " : "", ms_of_ns(latency["p50_ns"]),
                     ms_of_ns(latency["p99_ns"]), ms_of_ns(latency["p999_ns"]),
                     ms_of_ns(latency["max_ns"]));
  if (open_loop) {
    const nlohmann::json& sent = stats["latency_uncorrected"];
    out << fmt::format("  uncorrected (from the send): p50 {}, p99 {}, p99.9 {}, max {}\n",
                       ms_of_ns(sent["p50_ns"]), ms_of_ns(sent["p99_ns"]),
                       ms_of_ns(sent["p999_ns"]), ms_of_ns(sent["max_ns"]));
    out << fmt::format("  {} operations sent 1 ms or more after their intended start (backlog)",
                       stats.value("backlog", 0));
    if (stats.value("unsent", 0) > 0) {
      out << fmt::format(", {} due before the end never sent", stats.value("unsent", 0));
    }
    out << "\n";
  }
  if (latency.value("clamped", 0) > 0) {
    out << fmt::format("  ({} operations took longer than 60 s and count as 60 s)\n",
                       latency.value("clamped", 0));
  }
  if (stats.contains("client_cpu")) {
    const nlohmann::json& cpu = stats["client_cpu"];
    out << fmt::format("Harness CPU: {:.2f} s user + {:.2f} s system, {:.1f} us per operation\n",
                       cpu.value("user_s", 0.0), cpu.value("system_s", 0.0),
                       cpu.value("us_per_op", 0.0));
    // The workers share one event loop: near one core busy, the harness set the pace.
    if (cpu.value("busy", 0.0) > 0.9) {
      out << "  warning: the harness, not the server, may have been the bottleneck (its CPU was "
             "busy "
          << static_cast<int>(cpu.value("busy", 0.0) * 100) << "% of the run)\n";
    }
  }
  if (!record.directory.empty()) {
    out << "Report: " << (std::filesystem::path(record.directory) / "report.html").string() << "\n";
  }
  if (const std::string reason = unknown_reason(record); !reason.empty()) {
    out << "Unknown because: " << reason << "\n";
  }
  switch (record.valid) {
    case Validity::kValid:
      out << "VALID\n";
      break;
    case Validity::kInvalid:
      out << "INVALID\n";
      break;
    case Validity::kUnknown:
      out << "UNKNOWN\n";
      break;
  }
}

}  // namespace redproof
