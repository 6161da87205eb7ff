// Where the pause-client fault strikes the rate-limit workload's clients (core/hook.hpp).
#pragma once

#include "core/hook.hpp"

namespace redproof::rate_limit {

// A GC pause in the application before it asks the limiter: harmless to every variant, since
// the decision is taken after it (the matrix's F1 "none").
inline constexpr Hook kHookBeforeRequest{
    "before-request", "before the limiter is asked (a pause in the application)"};
// fixed-window's gap: INCR made the count 1, PEXPIRE has not run. A crash here leaves a counter
// that never expires: the identity is throttled for ever once it reaches the limit.
inline constexpr Hook kHookBetweenIncrAndExpire{
    "between-incr-and-expire",
    "fixed-window: after INCR returned 1, before PEXPIRE (the process dies here)",
    HookEffect::kCrash};

}  // namespace redproof::rate_limit
