// `bench --fault` in the results directory: the fault windows bench.json records
// ("fault_windows": [{"fault", "start_s", "end_s"}]) as shaded periods on the report's charts,
// as the CSV's fault column, and the latency inside each fault and outside every window
// ("latency_by_window") as a table.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/report_html.hpp"

namespace redproof {

// One band per window, labelled with its fault.
std::vector<ChartBand> fault_window_bands(const nlohmann::json& bench);

// The faults whose windows overlap [from_s, to_s), joined by "+"; empty when none does.
std::string faults_open_between(const nlohmann::json& bench, double from_s, double to_s);

// The report's section: the windows and the percentiles per fault; empty without windows.
std::string fault_windows_html(const nlohmann::json& bench);

}  // namespace redproof
