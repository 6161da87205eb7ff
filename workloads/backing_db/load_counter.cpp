#include <algorithm>

#include "workloads/backing_db/backing_database.hpp"

namespace redproof::db {

void LoadCounter::load(const std::string& item, std::int64_t now_ns) {
  std::lock_guard lock(mu_);
  ++loads_;
  ++per_key_[item];
  const auto second = static_cast<std::size_t>(std::max<std::int64_t>(now_ns, 0) / 1000000000);
  if (per_second_.size() <= second) per_second_.resize(second + 1, 0);
  ++per_second_[second];
}

void LoadCounter::write(bool stored) {
  std::lock_guard lock(mu_);
  ++writes_;
  if (!stored) ++writes_older_;
}

std::int64_t LoadCounter::loads() const {
  std::lock_guard lock(mu_);
  return loads_;
}

// The twenty most loaded keys: enough to see the hot ones without a thousand-entry map.
nlohmann::json LoadCounter::to_json() const {
  std::lock_guard lock(mu_);
  std::vector<std::pair<std::int64_t, std::string>> top;
  for (const auto& [k, n] : per_key_) top.emplace_back(n, k);
  std::sort(top.rbegin(), top.rend());
  if (top.size() > 20) top.resize(20);
  nlohmann::json keys = nlohmann::json::object();
  for (const auto& [n, k] : top) keys[k] = n;
  return {{"loads", loads_},           {"keys_loaded", per_key_.size()},
          {"writes", writes_},         {"writes_older_than_row", writes_older_},
          {"loads_per_key_top", keys}, {"loads_per_second", per_second_}};
}

}  // namespace redproof::db
