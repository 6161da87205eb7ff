#include "results/bench_directory.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

#include "results/bench_fault_periods.hpp"
#include "results/bench_report.hpp"
#include "results/results_directory.hpp"

namespace redproof {

namespace {

namespace fs = std::filesystem;

std::string ms(const nlohmann::json& second, const char* key) {
  return fmt::format("{:.3f}", second.value(key, std::int64_t{0}) / 1e6);
}

}  // namespace

bool is_bench_directory(const std::string& dir) {
  std::error_code ec;
  return fs::exists(fs::path(dir) / "bench.json", ec);
}

BenchRecord read_bench_directory(const std::string& given) {
  const std::string dir = !is_bench_directory(given) && is_bench_directory(given + "/latest")
                              ? given + "/latest"
                              : given;
  std::error_code ec;
  const fs::path d = fs::weakly_canonical(dir, ec);
  if (!fs::is_directory(d, ec)) throw std::runtime_error(fmt::format("{}: no such directory", dir));
  if (!fs::exists(d / "bench.json", ec)) {
    throw std::runtime_error(
        fmt::format("{}: no bench.json here; not a redproof bench results directory", dir));
  }
  BenchRecord record;
  record.directory = d.string();
  record.bench = read_json_object((d / "bench.json").string());
  if (fs::exists(d / "run.json", ec)) record.run = read_json_object((d / "run.json").string());
  if (fs::exists(d / "latency.hgrm", ec))
    record.hgrm = read_text_file((d / "latency.hgrm").string());
  return record;
}

std::string seconds_csv(const nlohmann::json& bench) {
  // A run with --fault adds the fault open in each second (empty when none was).
  const bool faulted = bench.contains("fault_windows");
  std::string out = "second,throughput,errors,p50_ms,p90_ms,p99_ms,p99.9_ms,max_ms";
  out += faulted ? ",fault\n" : "\n";
  const auto series = bench.find("series");
  if (series == bench.end() || !series->is_array()) return out;
  for (const auto& s : *series) {
    const std::uint64_t errors = s.value("errors", std::uint64_t{0}) +
                                 s.value("timeouts", std::uint64_t{0}) +
                                 s.value("connection_errors", std::uint64_t{0});
    const int second = s.value("second", 0);
    out += fmt::format("{},{},{},{},{},{},{},{}", second, s.value("completed", std::uint64_t{0}),
                       errors, ms(s, "p50_ns"), ms(s, "p90_ns"), ms(s, "p99_ns"), ms(s, "p999_ns"),
                       ms(s, "max_ns"));
    if (faulted) out += "," + faults_open_between(bench, second, second + 1.0);
    out += "\n";
  }
  return out;
}

void write_bench_directory(const BenchRecord& record, const std::string& uncorrected_hgrm,
                           const BenchBaseline* baseline) {
  const fs::path dir(record.directory);
  write_run_json(record.directory, record.run);
  write_file_atomically((dir / "bench.json").string(), record.bench.dump(2) + "\n");
  write_file_atomically((dir / "latency.hgrm").string(), record.hgrm);
  write_file_atomically((dir / "latency-uncorrected.hgrm").string(), uncorrected_hgrm);
  write_file_atomically((dir / "seconds.csv").string(), seconds_csv(record.bench));
  write_file_atomically((dir / "report.html").string(), bench_report_html(record, baseline));
}

void write_bench_report(const BenchRecord& record) {
  std::optional<BenchBaseline> baseline;
  const auto named = record.run.find("baseline");
  if (named != record.run.end() && named->is_object() &&
      is_bench_directory(named->value("directory", ""))) {
    baseline = BenchBaseline{read_bench_directory(named->value("directory", "")),
                             named->value("tolerance_pct", 10.0)};
  }
  write_file_atomically((fs::path(record.directory) / "report.html").string(),
                        bench_report_html(record, baseline ? &*baseline : nullptr));
}

}  // namespace redproof
