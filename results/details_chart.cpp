#include "results/details_chart.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace redproof {

namespace {

constexpr std::string_view kSuffix = "_per_second";

bool names_a_series(const std::string& key) {
  return key.size() > kSuffix.size() &&
         key.compare(key.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0;
}

// "db_loads_per_second" -> "db loads per second".
std::string title_of(std::string key) {
  std::replace(key.begin(), key.end(), '_', ' ');
  return key;
}

}  // namespace

std::vector<DetailSeries> per_second_series(const nlohmann::json& details) {
  std::vector<DetailSeries> out;
  if (!details.is_object()) return out;
  for (const auto& [key, value] : details.items()) {
    if (!names_a_series(key) || !value.is_array() || value.empty()) continue;
    const bool numbers = std::all_of(value.begin(), value.end(),
                                     [](const nlohmann::json& v) { return v.is_number(); });
    if (!numbers) continue;
    DetailSeries s{key, title_of(key), {}};
    s.values.reserve(value.size());
    for (const auto& v : value) s.values.push_back(v.get<double>());
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace redproof
