// Small text formatters every reporter shares, so that a number or a name reads the same in the
// console summary, the HTML report and a counterexample page.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace redproof {

// Everything that reaches a page from a run (names, values, error text) goes through here: a
// workload knob or a Redis error could hold markup.
std::string html_escape(std::string_view s);

// Numbers and strings as a reader writes them: 3, lock:0 (not "lock:0"); null as "?".
std::string plain(const nlohmann::json& j);

// "1.204 s": a time on the history's clock (ns since the run started).
std::string seconds_text(std::int64_t ns);

// "a, b, c" with `sep` between the items.
std::string join(const std::vector<std::string>& items, std::string_view sep);

// The wall clock now as "2026-11-29T21:43:18Z": for labels and run.json, never for latencies.
std::string utc_now_iso();

}  // namespace redproof
