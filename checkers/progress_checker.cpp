#include "checkers/progress_checker.hpp"

#include <array>
#include <map>

namespace redproof {

CheckResult ProgressChecker::check(const std::vector<Op>& history) {
  std::map<std::string, std::array<std::uint64_t, 3>> by_f;  // ok, fail, info
  std::uint64_t ok = 0;
  for (const Op& op : history) {
    if (op.is_nemesis() || op.is_invoke()) continue;
    auto& counts = by_f[op.f];
    const std::size_t slot = op.type == OpType::kOk ? 0 : op.type == OpType::kFail ? 1 : 2;
    ++counts[slot];
    ok += op.type == OpType::kOk;
  }
  CheckResult r;
  r.details["ok"] = ok;
  r.details["by_f"] = nlohmann::json::object();
  for (const auto& [f, n] : by_f) {
    r.details["by_f"][f] = {{"ok", n[0]}, {"fail", n[1]}, {"info", n[2]}};
  }
  r.valid = ok > 0 ? Validity::kValid : Validity::kUnknown;
  if (ok == 0) {
    r.details["error"] = history.empty() || by_f.empty()
                             ? "no client operation completed: the run decides nothing"
                             : "no client operation succeeded (all failed or unknown): the run "
                               "decides nothing";
  }
  return r;
}

}  // namespace redproof
