// The command that replays a stored run: the same workload, variant, faults, knobs and seed, so a
// failing run in a suite or a report is one paste away from being seen again.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace redproof {

// From run.json's content; values quoted for a POSIX shell where they need it.
std::string replay_command(const nlohmann::json& config);

// 'it''s' style single quoting, only when the word holds anything but [A-Za-z0-9_./:=,+-].
std::string shell_word(const std::string& word);

}  // namespace redproof
