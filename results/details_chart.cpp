#include "results/details_chart.hpp"

#include <algorithm>
#include <cmath>

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

DetailMarkers detail_markers(const nlohmann::json& details) {
  DetailMarkers out;
  if (!details.is_object()) return out;
  const auto left_out = details.find("markers_left_out");
  if (left_out != details.end() && left_out->is_number_integer()) {
    out.left_out = std::max<std::int64_t>(left_out->get<std::int64_t>(), 0);
  }
  const auto marks = details.find("markers");
  if (marks == details.end() || !marks->is_array()) return out;
  for (const auto& m : *marks) {
    if (!m.is_object() || !m.contains("t_s") || !m["t_s"].is_number()) continue;
    const double t = m["t_s"].get<double>();
    if (!std::isfinite(t) || t < 0) continue;
    const auto label = m.find("label");
    out.marks.push_back(
        {t, label != m.end() && label->is_string() ? label->get<std::string>() : std::string()});
  }
  return out;
}

}  // namespace redproof
