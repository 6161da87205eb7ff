// One benchmark's results directory as the reporter sees it (results/bench/<label>/<UTC
// timestamp>/): run.json (configuration, server version and INFO figures), bench.json (what
// `bench --json` prints, with the per-second series), and latency.hgrm (corrected latency).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace redproof {

struct BenchRecord {
  std::string directory;
  nlohmann::json run = nlohmann::json::object();
  nlohmann::json bench = nlohmann::json::object();
  std::string hgrm;  // latency.hgrm's text
};

// A baseline to compare with: its record and the tolerance in percent.
struct BenchBaseline {
  BenchRecord record;
  double tolerance_pct = 10;
};

}  // namespace redproof
