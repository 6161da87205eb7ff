// Where a pause-client fault may strike a lock holder: the typed hook points of the lock
// workload's variants (core/hook.hpp).
#pragma once

#include "core/hook.hpp"

namespace redproof::lock {

// A GC pause after the careful client checked its validity and before it writes.
inline constexpr Hook kHookBeforeWrite{"before-write",
                                       "after the holder checked its validity, before it writes"};
// get-del's window: the GET said "mine", the DEL has not run yet.
inline constexpr Hook kHookBetweenGetAndDel{
    "between-get-and-del", "release: after GET matched the owner, before DEL", HookEffect::kPause,
    /*between_requests=*/true};
// setnx-expire's window: the lock exists with no TTL. A crash here leaves it held for ever.
inline constexpr Hook kHookBetweenSetnxAndExpire{
    "between-setnx-and-expire", "acquire: after SETNX, before PEXPIRE (the process dies here)",
    HookEffect::kCrash};

}  // namespace redproof::lock
