#include "checkers/fault_windows.hpp"

#include <algorithm>

namespace redproof {

std::vector<FaultWindow> fault_windows(const std::vector<Op>& history) {
  std::vector<FaultWindow> windows;
  std::vector<std::size_t> open;  // indexes into windows
  std::int64_t last_time = 0;
  for (const Op& op : history) {
    last_time = std::max(last_time, op.time);
    if (!op.is_nemesis()) continue;
    auto v = nlohmann::json::parse(op.value, nullptr, false);
    if (!v.is_object() || !v.contains("fault") || !v["fault"].is_string()) continue;
    const std::string fault = v["fault"];
    const std::string phase = v.value("phase", std::string());
    const nlohmann::json target = v.contains("target") ? v["target"] : nlohmann::json(nullptr);
    if (phase == "start") {
      FaultWindow w;
      w.fault = fault;
      w.action = op.f;
      w.target = target;
      w.start_ns = op.time;
      w.end_ns = -1;
      windows.push_back(std::move(w));
      open.push_back(windows.size() - 1);
      continue;
    }
    if (phase != "stop" && phase != "heal") continue;
    auto close = [&](auto matches) {
      for (auto it = open.begin(); it != open.end();) {
        if (matches(windows[*it])) {
          windows[*it].end_ns = op.time;
          windows[*it].healed_only = phase == "heal";
          it = open.erase(it);
          if (phase == "stop") return true;  // a stop ends one window; a heal ends them all
        } else {
          ++it;
        }
      }
      return false;
    };
    if (phase == "stop") {
      if (close([&](const FaultWindow& w) { return w.fault == fault && w.target == target; })) {
        continue;
      }
    }
    close([&](const FaultWindow& w) { return w.fault == fault; });
  }
  for (std::size_t i : open) windows[i].end_ns = last_time;
  return windows;
}

std::vector<std::string> active_faults(const std::vector<FaultWindow>& windows,
                                       std::int64_t from_ns, std::int64_t to_ns) {
  std::vector<std::string> out;
  for (const auto& w : windows) {
    if (w.start_ns <= to_ns && w.end_ns >= from_ns) out.push_back(describe(w));
  }
  if (out.empty()) out.emplace_back("none");
  return out;
}

std::string describe(const FaultWindow& w) {
  std::string s = w.fault + " (" + w.action;
  if (!w.target.is_null())
    s += " " + (w.target.is_string() ? w.target.get<std::string>() : w.target.dump());
  return s + ")";
}

nlohmann::json to_json(const FaultWindow& w) {
  return {{"fault", w.fault},       {"action", w.action}, {"target", w.target},
          {"start_ns", w.start_ns}, {"end_ns", w.end_ns}, {"healed_only", w.healed_only}};
}

}  // namespace redproof
