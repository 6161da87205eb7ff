// Where the pause-client fault strikes a queue consumer (core/hook.hpp): after it took a job from
// Redis and before it reports it. The process dies there: for LPUSH + BRPOP the job is gone with
// it (at-most-once); a processing list or a stream's pending entries keep it for a reaper.
#pragma once

#include "core/hook.hpp"

namespace redproof::queue {

inline constexpr Hook kHookAfterTake{
    "after-take", "consumer: after it took a job, before it reports it (the process dies here)",
    HookEffect::kCrash};

}  // namespace redproof::queue
