#include "results/hgrm_writer.hpp"

#include "checkers/latency_slo.hpp"
#include "checkers/operation_latency.hpp"

namespace redproof {

// The same operations the latency checker judges (ok and fail), so the file and the verdict
// never disagree.
std::string hgrm_text(const RunRecord& record) {
  return latency_histogram(operation_latencies(record.history)).to_hgrm();
}

}  // namespace redproof
