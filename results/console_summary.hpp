// The human summary `redproof run` prints: the verdict, each checker's verdict with its
// anomalies in words ("double holder on lock:0: process 3 and process 7 overlapped 212.4 ms
// during pause-client (pause 3)"), operation counts, latency percentiles, and where the report is.
#pragma once

#include <ostream>

#include "results/run_record.hpp"

namespace redproof {

void print_console_summary(std::ostream& out, const RunRecord& record);

}  // namespace redproof
