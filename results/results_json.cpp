#include "results/results_json.hpp"

#include "core/latency_figures.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "checkers/latency_slo.hpp"
#include "checkers/operation_latency.hpp"
#include "core/history_reader.hpp"

namespace redproof {

namespace {

// nlohmann::json would print a non-finite double as null anyway; doing it here makes strictness
// a property of this function rather than of the library's choice.
void make_strict(nlohmann::json& j) {
  if (j.is_number_float()) {
    if (!std::isfinite(j.get<double>())) j = nullptr;
  } else if (j.is_structured()) {
    for (auto& item : j) make_strict(item);
  }
}

// What one checker that did not decide said, as the end of a sentence.
std::string why_undecided(const std::string& name, const CheckResult& check) {
  const nlohmann::json& d = check.details;
  const std::string said = d.is_object() && d.contains("reason") && d["reason"].is_string()
                               ? d["reason"].get<std::string>()
                               : "";
  if (said == "timeout") {
    return "the " + name + " checker ran out of time before it decided (see --check-timeout)";
  }
  if (said == "memory") return "the " + name + " checker ran out of memory before it decided";
  if (!said.empty()) return "the " + name + " checker: " + said;
  if (d.is_object() && d.contains("error") && d["error"].is_string()) {
    return "the " + name + " checker: " + d["error"].get<std::string>();
  }
  return "the " + name + " checker could not decide";
}

}  // namespace

std::string undecided_checkers_reason(const RunRecord& record) {
  if (record.valid != Validity::kUnknown) return "";
  std::string out;
  for (const auto& [name, check] : record.checks) {
    if (check.valid != Validity::kUnknown) continue;
    out += (out.empty() ? "" : "; ") + why_undecided(name, check);
  }
  return out;
}

std::string unknown_reason(const RunRecord& record) {
  return record.reason.empty() ? undecided_checkers_reason(record) : record.reason;
}

nlohmann::json results_json(const RunRecord& record) {
  nlohmann::json out = nlohmann::json::object();
  out["valid"] = validity_json(record.valid);
  if (const std::string reason = unknown_reason(record); !reason.empty()) out["reason"] = reason;
  // A killed run's torn last line, ignored when its history was read back (0 or 1).
  out["history_torn_lines"] = record.history_torn_lines;
  if (record.history_torn_lines > 0) {
    out["warnings"] = nlohmann::json::array({torn_line_warning(record.history_torn_bytes)});
  }

  // Every checker's anomalies in one vocabulary: under the checker, and all of them together at
  // the top (each naming its checker), which is what suites and scripts match on.
  nlohmann::json checkers = nlohmann::json::object();
  nlohmann::json anomalies = nlohmann::json::array();
  for (const auto& [name, result] : record.checks) {
    nlohmann::json c = nlohmann::json::object();
    if (result.details.is_object()) {
      c = result.details;
    } else if (!result.details.is_null()) {
      c["details"] = result.details;
    }
    c["valid"] = validity_json(result.valid);  // the verdict wins over a detail of that name
    c["anomalies"] = nlohmann::json::array();
    for (const Anomaly& a : result.anomalies) {
      c["anomalies"].push_back(to_json(a));
      anomalies.push_back(to_json(a));
      anomalies.back()["checker"] = name;
    }
    checkers[name] = std::move(c);
  }
  out["checkers"] = std::move(checkers);
  out["anomalies"] = std::move(anomalies);

  nlohmann::json stats = record.stats.is_object() ? record.stats : nlohmann::json::object();
  const std::vector<OperationLatency> ops = operation_latencies(record.history);
  std::map<std::string, std::array<std::uint64_t, 3>> by_f;
  std::array<std::uint64_t, 3> totals{};
  for (const auto& op : ops) {
    const std::size_t slot = op.outcome == OpType::kOk ? 0 : op.outcome == OpType::kFail ? 1 : 2;
    ++by_f[op.f][slot];
    ++totals[slot];
  }
  nlohmann::json operations = nlohmann::json::object();
  for (const auto& [f, n] : by_f) operations[f] = {{"ok", n[0]}, {"fail", n[1]}, {"info", n[2]}};
  stats["operations"] = std::move(operations);
  const std::uint64_t total = totals[0] + totals[1] + totals[2];
  stats["completed"] = {
      {"ok", totals[0]}, {"fail", totals[1]}, {"info", totals[2]}, {"total", total}};
  double duration_s = 0;
  if (stats.contains("duration_s") && stats["duration_s"].is_number()) {
    duration_s = stats["duration_s"].get<double>();
  } else if (!record.history.empty()) {
    duration_s = static_cast<double>(record.history.back().time) / 1e9;
  }
  stats["ops_per_s"] = duration_s > 0 ? static_cast<double>(total) / duration_s : 0.0;
  // The harness's own CPU (every thread: workers, nemesis, proxies), per completed operation.
  if (stats.contains("client_cpu") && stats["client_cpu"].is_object()) {
    auto& cpu = stats["client_cpu"];
    const double used = cpu.value("user_s", 0.0) + cpu.value("system_s", 0.0);
    cpu["us_per_op"] = total > 0 ? used * 1e6 / static_cast<double>(total) : 0.0;
    cpu["busy"] = duration_s > 0 ? used / duration_s : 0.0;  // 1.0 = one core all the time
  }
  stats["latency"] = latency_figures(latency_histogram(ops));
  // An open-loop run (--rate): "latency" counts from each operation's intended start; the
  // figures from the moment of sending stay beside it, with how many sends were late.
  if (std::any_of(ops.begin(), ops.end(), [](const auto& op) { return op.scheduled; })) {
    LatencyHistogram uncorrected;
    std::uint64_t late = 0;
    for (const auto& op : ops) {
      if (counts_toward_latency(op)) uncorrected.record_ns(op.uncorrected_ns());
      late += op.invoke_ns - op.intended_ns >= kLateSendNs;
    }
    stats["latency_uncorrected"] = latency_figures(uncorrected);
    stats["backlog"] = late;
  }
  out["stats"] = std::move(stats);

  make_strict(out);
  return out;
}

}  // namespace redproof
