// Per-second series that a checker puts in its details, found by a naming convention so that the
// report draws them without knowing any checker: every array of numbers whose key ends in
// "_per_second" is one series, element i being second i of the run (from its start). The cache
// checker's db_loads_per_second and ops_per_second are two such series, so a herd of database
// loads shows as a spike beside Redis's throughput.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace redproof {

struct DetailSeries {
  std::string key;             // the details key, e.g. "db_loads_per_second"
  std::string title;           // for a reader: "db loads per second"
  std::vector<double> values;  // one per second of the run
};

// The series at the top level of `details`, in the details' key order. Arrays holding anything
// but numbers, and empty arrays, are not series.
std::vector<DetailSeries> per_second_series(const nlohmann::json& details);

}  // namespace redproof
