#include "results/details_chart.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace redproof {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The time one element of the series named `key` covers, in seconds: 1 for "x_per_second",
// N / 1000 for "x_per_<N>ms"; 0 when the key names no series.
double step_of(std::string_view key) {
  constexpr std::string_view kSecond = "_per_second", kPer = "_per_";
  if (ends_with(key, kSecond)) return key.size() > kSecond.size() ? 1.0 : 0.0;
  if (!ends_with(key, "ms")) return 0;
  const std::size_t at = key.rfind(kPer);
  if (at == std::string_view::npos || at == 0) return 0;
  const std::string_view digits = key.substr(at + kPer.size(), key.size() - 2 - at - kPer.size());
  if (digits.empty() || digits.size() > 6 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  return std::stod(std::string(digits)) / 1000.0;
}

// "db_loads_per_second" -> "db loads per second".
std::string title_of(std::string key) {
  std::replace(key.begin(), key.end(), '_', ' ');
  return key;
}

}  // namespace

std::vector<DetailSeries> detail_series(const nlohmann::json& details) {
  std::vector<DetailSeries> out;
  if (!details.is_object()) return out;
  for (const auto& [key, value] : details.items()) {
    const double step = step_of(key);
    if (step <= 0 || !value.is_array() || value.empty()) continue;
    const bool numbers = std::all_of(value.begin(), value.end(),
                                     [](const nlohmann::json& v) { return v.is_number(); });
    if (!numbers) continue;
    DetailSeries s{key, title_of(key), step, {}};
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
