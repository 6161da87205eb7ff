// Where a pause-client fault strikes the stampede workload (core/hook.hpp).
#pragma once

#include "core/hook.hpp"

namespace redproof::stampede {

// The rebuilder decided (or took the lock) and has not loaded the row yet: paused past the
// lock's TTL, a second reader takes the lock and rebuilds too (a duplicate rebuild).
inline constexpr Hook kHookDuringRebuild{
    "during-rebuild", "after deciding to rebuild (and taking the lock), before loading the row"};

}  // namespace redproof::stampede
