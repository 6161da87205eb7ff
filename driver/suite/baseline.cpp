#include "driver/suite/baseline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/duration.hpp"
#include "core/file_limits.hpp"
#include "core/private_files.hpp"

namespace redproof::suite {

namespace {

namespace fs = std::filesystem;
constexpr const char* kFormat = "redproof-baseline/1";

double number_at(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return 0;
  auto it = obj.find(key);
  return it != obj.end() && it->is_number() ? it->get<double>() : 0;
}

std::string latency_text(double ns) {
  return format_duration(Nanos(static_cast<std::int64_t>(ns)));
}

nlohmann::json to_json(const Figures& f) {
  return {{"p50_ns", f.p50_ns},
          {"p99_ns", f.p99_ns},
          {"p999_ns", f.p999_ns},
          {"ops_per_s", f.ops_per_s}};
}

Figures from_json(const nlohmann::json& j) {
  return {number_at(j, "p50_ns"), number_at(j, "p99_ns"), number_at(j, "p999_ns"),
          number_at(j, "ops_per_s")};
}

nlohmann::json parse_file(const fs::path& path) {
  require_within_limit(path.string(), kMaxRunJsonBytes, "a JSON file of a run");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read it", path.string()));
  std::ostringstream s;
  s << in.rdbuf();
  auto j = nlohmann::json::parse(s.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    throw std::runtime_error(fmt::format("{}: not a JSON object", path.string()));
  }
  return j;
}

}  // namespace

std::optional<Figures> figures_from_results(const nlohmann::json& results) {
  if (!results.is_object() || !results.contains("stats") || !results["stats"].is_object())
    return std::nullopt;
  const auto& stats = results["stats"];
  if (!stats.contains("latency") || !stats["latency"].is_object()) return std::nullopt;
  const auto& lat = stats["latency"];
  return Figures{number_at(lat, "p50_ns"), number_at(lat, "p99_ns"), number_at(lat, "p999_ns"),
                 number_at(stats, "ops_per_s")};
}

Figures median_figures(const std::vector<Figures>& seeds) {
  if (seeds.empty()) return {};
  auto median = [&](double Figures::*field) {
    std::vector<double> v;
    for (const auto& f : seeds) v.push_back(f.*field);
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  };
  return {median(&Figures::p50_ns), median(&Figures::p99_ns), median(&Figures::p999_ns),
          median(&Figures::ops_per_s)};
}

std::vector<Regression> compare_figures(const Figures& baseline, const Figures& current,
                                        double tolerance_pct) {
  std::vector<Regression> out;
  auto latency = [&](const char* name, double b, double c) {
    if (b <= 0) return;
    const double worse = (c - b) / b * 100;
    if (worse > tolerance_pct) {
      out.push_back({name, b, c, worse,
                     fmt::format("{} {} vs {} in the baseline (+{:.0f}%, tolerance {:g}%)", name,
                                 latency_text(c), latency_text(b), worse, tolerance_pct)});
    }
  };
  latency("p50", baseline.p50_ns, current.p50_ns);
  latency("p99", baseline.p99_ns, current.p99_ns);
  latency("p99.9", baseline.p999_ns, current.p999_ns);
  if (baseline.ops_per_s > 0) {
    const double worse = (baseline.ops_per_s - current.ops_per_s) / baseline.ops_per_s * 100;
    if (worse > tolerance_pct) {
      out.push_back({"ops/s", baseline.ops_per_s, current.ops_per_s, worse,
                     fmt::format("throughput {:.0f} ops/s vs {:.0f} in the baseline (-{:.0f}%, "
                                 "tolerance {:g}%)",
                                 current.ops_per_s, baseline.ops_per_s, worse, tolerance_pct)});
    }
  }
  return out;
}

std::string describe_regressions(const std::vector<Regression>& regressions) {
  std::string out;
  for (const auto& r : regressions) out += (out.empty() ? "" : "; ") + r.text;
  return out;
}

void save_baseline(const std::string& dir, const BaselineRuns& runs) {
  try {
    create_private_directories(dir);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("cannot create baseline directory: {}", e.what()));
  }
  nlohmann::json j = {{"format", kFormat}, {"runs", nlohmann::json::object()}};
  for (const auto& [name, f] : runs) j["runs"][name] = to_json(f);
  write_private_file_atomically((fs::path(dir) / "baseline.json").string(), j.dump(2) + "\n");
}

BaselineRuns load_baseline(const std::string& dir) {
  const fs::path path = fs::path(dir) / "baseline.json";
  const nlohmann::json j = parse_file(path);
  if (j.value("format", "") != kFormat || !j.contains("runs") || !j["runs"].is_object()) {
    throw std::runtime_error(fmt::format(
        "{}: not a redproof baseline (written by suite --save-baseline)", path.string()));
  }
  BaselineRuns runs;
  for (const auto& [name, f] : j["runs"].items()) runs[name] = from_json(f);
  return runs;
}

nlohmann::json read_results_json(const std::string& dir) {
  const fs::path d(dir);
  std::error_code ec;
  if (fs::is_regular_file(d / "results.json", ec)) return parse_file(d / "results.json");
  if (fs::is_regular_file(d / "latest" / "results.json", ec))
    return parse_file(d / "latest" / "results.json");
  if (fs::is_regular_file(d, ec) && d.filename() == "results.json") return parse_file(d);
  throw std::runtime_error(fmt::format("{}: no results.json here (nor in {}/latest)", dir, dir));
}

std::optional<std::string> baseline_problem(const std::string& dir) {
  try {
    if (!figures_from_results(read_results_json(dir)))
      return dir + ": its results.json has no stats.latency";
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

std::string latest_target(const std::string& results_root) {
  std::error_code ec;
  const fs::path target = fs::read_symlink(fs::path(results_root) / "latest", ec);
  return ec ? "" : target.string();
}

int compare_run_with_baseline(const std::string& baseline_dir, const std::string& results_root,
                              double tolerance_pct, int exit_code, const std::string& latest_before,
                              std::FILE* out) {
  const std::string latest_now = latest_target(results_root);
  if (latest_now.empty() || latest_now == latest_before) return exit_code;  // no new run written
  std::optional<Figures> base, now;
  try {
    base = figures_from_results(read_results_json(baseline_dir));
    if (!base) throw std::runtime_error(baseline_dir + ": its results.json has no stats.latency");
    now = figures_from_results(read_results_json(results_root));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "redproof: --baseline: %s\n", e.what());
    return exit_code == 0 ? 2 : exit_code;
  }
  if (!now) return exit_code;  // the run wrote no figures (it failed early); its code says why
  const auto regressions = compare_figures(*base, *now, tolerance_pct);
  if (regressions.empty()) {
    std::fprintf(out, "baseline: within %g%% of %s (p50 %s, p99 %s, p99.9 %s, %.0f ops/s)\n",
                 tolerance_pct, baseline_dir.c_str(), latency_text(now->p50_ns).c_str(),
                 latency_text(now->p99_ns).c_str(), latency_text(now->p999_ns).c_str(),
                 now->ops_per_s);
    return exit_code;
  }
  for (const auto& r : regressions) std::fprintf(out, "REGRESSION: %s\n", r.text.c_str());
  std::fflush(out);
  return exit_code == 0 ? 1 : exit_code;
}

}  // namespace redproof::suite
