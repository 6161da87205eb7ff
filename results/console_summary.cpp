#include "results/console_summary.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <string>

#include "core/duration.hpp"
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

// Numbers and strings as a reader writes them: 3, lock:0 (not "lock:0").
std::string plain(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "?";
  return j.dump();
}

std::string seconds(const nlohmann::json& ns) {
  if (!ns.is_number()) return "?";
  return fmt::format("{:.3f} s", ns.get<double>() / 1e9);
}

std::string ms_of_ns(const nlohmann::json& ns) {
  if (!ns.is_number_integer()) return "-";
  return format_duration(Nanos(ns.get<std::int64_t>()));
}

std::string during(const nlohmann::json& faults) {
  std::string labels;
  if (faults.is_array()) {
    for (const auto& f : faults) {
      const std::string label = plain(f);
      if (label == "none") continue;
      labels += (labels.empty() ? "" : ", ") + label;
    }
  } else if (faults.is_string() && faults.get<std::string>() != "none") {
    labels = faults.get<std::string>();
  }
  return labels.empty() ? "with no fault active" : "during " + labels;
}

// "double holder on lock:0: process 3 (from 1.204 s) and process 7 (from 1.310 s) overlapped
// 212.4 ms during pause-client (pause 3)"
std::string describe_double_holder(const nlohmann::json& v) {
  if (!v.is_object()) return "double holder: " + v.dump();
  const nlohmann::json first = v.value("first", nlohmann::json::object());
  const nlohmann::json second = v.value("second", nlohmann::json::object());
  const nlohmann::json overlap = v.value("overlap_ms", nlohmann::json());
  return fmt::format(
      "double holder on {}: process {} (from {}) and process {} (from {}) overlapped {} ms {}",
      plain(v.value("lock", nlohmann::json())), plain(first.value("process", nlohmann::json())),
      seconds(first.value("acquired_ns", nlohmann::json())),
      plain(second.value("process", nlohmann::json())),
      seconds(second.value("acquired_ns", nlohmann::json())),
      overlap.is_number() ? fmt::format("{:.1f}", overlap.get<double>()) : "?",
      during(v.value("faults", nlohmann::json())));
}

std::string describe_generic(const nlohmann::json& item) {
  if (item.is_string()) return item.get<std::string>();
  if (item.is_object()) {
    for (const char* key : {"description", "message", "error"}) {
      if (item.contains(key) && item[key].is_string()) return item[key].get<std::string>();
    }
  }
  return item.dump();
}

template <typename Describe>
void print_list(std::ostream& out, const nlohmann::json& items, Describe describe) {
  std::size_t shown = 0;
  for (const auto& item : items) {
    if (shown == kShownPerChecker) break;
    out << "    " << describe(item) << "\n";
    ++shown;
  }
  if (items.size() > shown) out << fmt::format("    and {} more\n", items.size() - shown);
}

void print_checker(std::ostream& out, const std::string& name, const CheckResult& result) {
  out << fmt::format("  {}: {}\n", name, verdict_word(result.valid));
  const nlohmann::json& d = result.details;
  if (!d.is_object()) return;
  if (d.contains("error") && d["error"].is_string()) {
    out << "    " << d["error"].get<std::string>() << "\n";
  }
  if (name == "double-holder" && d.contains("violations") && d["violations"].is_array()) {
    print_list(out, d["violations"], describe_double_holder);
  } else if (d.contains("violations") && d["violations"].is_array() && !d["violations"].empty()) {
    print_list(out, d["violations"], describe_generic);
  }
  if (d.contains("counterexample") && d["counterexample"].is_object()) {
    const auto& c = d["counterexample"];
    const auto& stuck = c.value("could_not_place", nlohmann::json::object());
    out << fmt::format(
        "    not linearizable on key \"{}\": after {} operations the state is {}; process {}'s "
        "{} {} -> {} cannot be placed\n",
        c.value("key", std::string()),
        c.value("linearizable_prefix", nlohmann::json::array()).size(),
        c.value("state_after_prefix", std::string()),
        stuck.value("process", nlohmann::json()).dump(), stuck.value("f", std::string()),
        stuck.value("value", nlohmann::json()).dump(),
        stuck.value("result", nlohmann::json()).dump());
  }
  if (d.contains("reason") && d["reason"].is_string()) {
    out << "    gave up: " << d["reason"].get<std::string>() << " budget spent\n";
  }
  if (d.contains("breaches") && d["breaches"].is_array()) {
    print_list(out, d["breaches"],
               [](const nlohmann::json& b) { return "breach: " + describe_generic(b); });
  }
}

}  // namespace

void print_console_summary(std::ostream& out, const RunRecord& record) {
  const nlohmann::json results = results_json(record);
  const nlohmann::json& stats = results["stats"];

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
