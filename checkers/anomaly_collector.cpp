#include "checkers/anomaly_collector.hpp"

namespace redproof {

AnomalyCollector::AnomalyCollector(const std::vector<Op>& history, std::size_t max_kept)
    : windows_(fault_windows(history)), max_kept_(max_kept) {}

void AnomalyCollector::add(Anomaly a) {
  const std::int64_t seen = ++counts_[a.name];
  if (a.violation) ++violations_;
  if (seen > static_cast<std::int64_t>(max_kept_)) return;
  if (a.faults.empty()) a.faults = active_faults(windows_, a.from_ns, a.to_ns);
  kept_.push_back(std::move(a));
}

std::int64_t AnomalyCollector::count(const std::string& name) const {
  auto it = counts_.find(name);
  return it == counts_.end() ? 0 : it->second;
}

void AnomalyCollector::store_into(CheckResult& result, bool decided) {
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [name, n] : counts_) counts[name] = n;
  result.details["anomaly_counts"] = std::move(counts);
  result.anomalies = std::move(kept_);
  kept_.clear();
  result.valid = violations_ > 0 ? Validity::kInvalid
                 : decided       ? Validity::kValid
                                 : Validity::kUnknown;
}

}  // namespace redproof
