// The results directory of ../shared/spec/cli.md:
//   <root>/<workload>/<variant>/<fault>/<UTC timestamp>/{run.json,history.jsonl,results.json,
//                                                       latency.hgrm,report.html,nodes/}
// and <root>/latest, a symlink to the newest run's directory.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/run_record.hpp"

namespace redproof {

// Creates the run's directory (and its parents) and points <root>/latest at it. Two runs started
// within the same second get distinct directories (a "-2", "-3" suffix). Throws
// std::runtime_error with a one-line message naming the path when it cannot.
std::string create_run_directory(const std::string& root, const std::string& workload,
                                 const std::string& variant, const std::string& fault_label);

// The same under <root>/<components...>/<UTC timestamp>/ (`bench`: {"bench", label}).
std::string create_results_directory(const std::string& root,
                                     const std::vector<std::string>& components);

// Readers (a browser on report.html, a script polling a JSON file) never see half a file: writes
// a temporary file beside `path`, then renames it over. Throws std::runtime_error naming it.
void write_file_atomically(const std::string& path, const std::string& content);

// A whole file; a JSON file holding an object. Throw std::runtime_error naming the file.
std::string read_text_file(const std::string& path);
nlohmann::json read_json_object(const std::string& path);

// Writes <dir>/run.json (pretty-printed), replacing it atomically (write, then rename).
void write_run_json(const std::string& dir, const nlohmann::json& config);

// Writes results.json, latency.hgrm and report.html into record.directory.
void write_results(const RunRecord& record);

// Writes only results.json: for a run that failed before it had a history to report on (its
// record.reason says why).
void write_results_json(const RunRecord& record);

// (Re)writes only report.html into record.directory (`redproof report`).
void write_report(const RunRecord& record);

// Why a results directory without results.json decides nothing for certain.
inline constexpr const char* kNoResultsReason =
    "the run stopped before it wrote results.json (killed or crashed): its history holds only "
    "what it recorded until then";

// Reads a results directory back (run.json, history.jsonl, results.json) for `redproof report`.
// A torn last line of the history (a killed run's) is ignored and counted in
// record.history_torn_lines. A missing results.json (a run that died before checking) gives no
// checks, an unknown verdict and kNoResultsReason. Throws std::runtime_error with a one-line
// message naming the file at fault.
RunRecord read_run_directory(const std::string& dir);

}  // namespace redproof
