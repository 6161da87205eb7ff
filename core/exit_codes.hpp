// The exit codes of ../shared/spec/cli.md, in one place for every command and the verdicts.
#pragma once

namespace redproof {

inline constexpr int kExitValid = 0;    // every checker passed (suite: every run as expected)
inline constexpr int kExitInvalid = 1;  // an anomaly or an SLO breach (suite: a run missed)
inline constexpr int kExitUsage = 2;    // bad flag or input: nothing was run or checked
inline constexpr int kExitUnknown = 3;  // could not decide, or the run could not be carried out

}  // namespace redproof
