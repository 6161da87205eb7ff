// Presents a load run: the terminal summary, strict JSON (no NaN or Infinity), and the
// progress line shown while it runs.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "driver/load/load_options.hpp"
#include "driver/load/load_result.hpp"

namespace redproof::load {

struct SloOutcome {
  std::string slo;  // as written
  std::int64_t observed_ns = 0;
  std::int64_t limit_ns = 0;
  bool met = true;
};

void print_bench_summary(std::ostream& out, const LoadOptions& options, const LoadResult& result,
                         const std::vector<SloOutcome>& slos);
nlohmann::json bench_json(const LoadOptions& options, const LoadResult& result,
                          const std::vector<SloOutcome>& slos);
// "  12.0s  98,120 ops/s  errors 0" (no newline).
std::string progress_line(double elapsed_s, double total_s, double ops_per_second,
                          std::uint64_t errors);

}  // namespace redproof::load
