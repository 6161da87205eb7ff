// latency.hgrm: the latency distribution of every completed client operation, in HdrHistogram's
// percentile-distribution text format.
#pragma once

#include <string>

#include "results/run_record.hpp"

namespace redproof {

std::string hgrm_text(const RunRecord& record);

}  // namespace redproof
