// Time series that a checker puts in its details, found by a naming convention so that the
// report draws them without knowing any checker: every array of numbers whose key ends in
// "_per_second" is one series, element i being second i of the run (from its start), and one
// whose key ends in "_per_<N>ms" (say "db_loads_per_100ms") is one with element i covering
// [i·N, (i+1)·N) ms, fine enough to show a burst that a second would average away. The cache
// checker's db_loads_per_second and ops_per_second are two such series, so a herd of database
// loads shows as a spike beside Redis's throughput.
//
// Discrete moments are marked the same way: a top-level "markers" array of objects
// {"t_s": seconds since the run started, "label": what happened}, drawn as a vertical tick on
// each of that checker's series charts, and "markers_left_out", the number of markers a
// checker did not list (it caps them; the report says so). The cache checkers mark the expiries
// their history shows, so a herd of loads stands right after its tick.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace redproof {

struct DetailSeries {
  std::string key;             // the details key, e.g. "db_loads_per_second"
  std::string title;           // for a reader: "db loads per second"
  double step_s = 1;           // the time one value covers: 1, or 0.1 for "_per_100ms"
  std::vector<double> values;  // value i: [i·step_s, (i+1)·step_s) s of the run
};

// The series at the top level of `details`, in the details' key order. Arrays holding anything
// but numbers, and empty arrays, are not series.
std::vector<DetailSeries> detail_series(const nlohmann::json& details);

struct DetailMarker {
  double t_s = 0;
  std::string label;
};

struct DetailMarkers {
  std::vector<DetailMarker> marks;  // in the details' order
  std::int64_t left_out = 0;        // "markers_left_out", when a whole number >= 0
};

// The markers of `details`. Entries without a finite, non-negative number t_s are skipped; a
// missing or non-string label is empty.
DetailMarkers detail_markers(const nlohmann::json& details);

}  // namespace redproof
