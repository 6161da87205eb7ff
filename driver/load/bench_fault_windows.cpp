#include "driver/load/bench_fault_windows.hpp"

#include <sstream>

#include <fmt/format.h>

#include <map>

#include "core/latency_figures.hpp"
#include "driver/load/load_engine.hpp"

namespace redproof::load {

void FaultWindowLog::open(const std::string& fault, double at_s) {
  std::lock_guard lock(mu_);
  windows_.push_back({fault, at_s, at_s});
  open_ = true;
  if (progress_) progress_->fault_window.store(static_cast<int>(windows_.size()) - 1);
}

void FaultWindowLog::close(double at_s) {
  std::lock_guard lock(mu_);
  if (!open_) return;
  if (progress_) progress_->fault_window.store(-1);
  windows_.back().end_s = at_s;
  open_ = false;
}

std::vector<BenchFaultWindow> FaultWindowLog::windows() const {
  std::lock_guard lock(mu_);
  return windows_;
}

void attach_fault_targets(std::vector<BenchFaultWindow>& windows, const std::string& nemesis_log) {
  std::size_t next = 0;
  std::istringstream lines(nemesis_log);
  for (std::string line; next < windows.size() && std::getline(lines, line);) {
    const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object() || !record.contains("value") || !record["value"].is_object()) continue;
    const nlohmann::json& value = record["value"];
    if (value.value("phase", "") != "start" || !value.contains("target")) continue;
    // A start record whose fault has no window left is passed over; one for the next window's
    // fault is its target.
    if (value.value("fault", "") != windows[next].fault) continue;
    windows[next++].target = value["target"];
  }
}

nlohmann::json fault_windows_json(const std::vector<BenchFaultWindow>& windows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& w : windows) {
    out.push_back({{"fault", w.fault}, {"start_s", w.start_s}, {"end_s", w.end_s}});
    if (!w.target.is_null()) out.back()["target"] = w.target;
  }
  return out;
}

nlohmann::json latency_by_window_json(const std::vector<BenchFaultWindow>& windows,
                                      const std::vector<LatencyHistogram>& by_window,
                                      const LatencyHistogram& all) {
  if (by_window.empty()) return {{"outside", latency_figures(all)}};
  // Every fault that had a window appears, even one no answer arrived in (count 0 says so).
  std::map<std::string, LatencyHistogram> by_fault;
  for (std::size_t k = 0; k < windows.size(); ++k) {
    LatencyHistogram& merged = by_fault[windows[k].fault];
    if (k + 1 < by_window.size()) merged.merge(by_window[k + 1]);
  }
  nlohmann::json out = {{"outside", latency_figures(by_window[0])}};
  for (const auto& [fault, h] : by_fault) out[fault] = latency_figures(h);
  return out;
}

std::string by_window_text(const nlohmann::json& latency_by_window) {
  if (!latency_by_window.is_object() || latency_by_window.empty()) return {};
  auto ms = [](const nlohmann::json& figures, const char* key) {
    return fmt::format("{:.3f}", figures.value(key, std::int64_t{0}) / 1e6);
  };
  std::string out = fmt::format(
      "  by fault window (corrected latency, ms):\n    {:<18} {:>10} {:>10} {:>10} {:>10} {:>10}\n",
      "", "count", "p50", "p99", "p99.9", "max");
  auto row = [&](const std::string& name, const nlohmann::json& f) {
    out += fmt::format("    {:<18} {:>10} {:>10} {:>10} {:>10} {:>10}\n", name,
                       f.value("count", std::uint64_t{0}), ms(f, "p50_ns"), ms(f, "p99_ns"),
                       ms(f, "p999_ns"), ms(f, "max_ns"));
  };
  if (latency_by_window.contains("outside")) row("outside", latency_by_window["outside"]);
  for (const auto& [name, figures] : latency_by_window.items()) {
    if (name != "outside") row(name, figures);
  }
  return out;
}

}  // namespace redproof::load
