// A benchmark's report.html, in the run report's style (results/report_html): the figures first
// (median and spread over --repeat runs, the comparison with a baseline), then latency per
// second with its percentile lines and throughput per second, seconds with errors or connection
// errors shaded, the latency distribution (beside the baseline's), and the configuration.
#pragma once

#include <string>

#include "results/bench_record.hpp"

namespace redproof {

std::string bench_report_html(const BenchRecord& record, const BenchBaseline* baseline);

}  // namespace redproof
