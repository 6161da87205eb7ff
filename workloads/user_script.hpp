// The user's own Lua (`--script FILE.lua`, `--script-argv TEMPLATE`): it replaces the Lua core of
// the variants listed in ../shared/spec/patterns.md ("Your own Lua") so that a team's production
// script is judged by the same checkers as ours. Real scripts rarely take exactly our ARGV, so a
// template maps our named arguments onto theirs, and a reply that is an integer, or a table whose
// first element is the decision, is accepted (a positive number admits or succeeds).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "redis/reply.hpp"

namespace redproof {

struct UserScript {
  std::string path;
  std::string source;
  std::string argv_template;  // empty: our ARGV in the contract's order
};

// Reads FILE.lua. Throws std::invalid_argument with one line naming the file when it cannot be
// read, is empty, or is over 1 MiB.
UserScript load_user_script(const std::string& path, const std::string& argv_template);

// The ARGV to send: `ours` in `contract_order` when there is no template; otherwise the
// template's words, each `{name}` replaced by our argument of that name (literal words pass
// through). Throws std::invalid_argument naming an unknown `{name}`.
std::vector<std::string> user_script_argv(const std::string& argv_template,
                                          const std::vector<std::string>& contract_order,
                                          const std::map<std::string, std::string>& ours);

// The decision a reply carries: an integer, or an array whose first element is one; positive
// means admitted / succeeded. nullopt for anything else (the operation is then `info`, with the
// reply described in `error`).
std::optional<bool> user_script_decision(const redis::Reply& reply);

}  // namespace redproof
