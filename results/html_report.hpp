// report.html: one self-contained page (inline CSS and SVG, no scripts fetched from anywhere):
// the run's configuration, the verdicts with anomalies explained, latency and throughput per
// second with fault windows shaded, and the latency percentiles.
#pragma once

#include <string>

#include "results/run_record.hpp"

namespace redproof {

std::string html_report(const RunRecord& record);

}  // namespace redproof
