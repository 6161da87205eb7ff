// Where a pause-client fault may stop a transfer (core/hook.hpp).
#pragma once

#include "core/hook.hpp"

namespace redproof::transfer {

// After both balances were read, before anything is written: no-watch's lost-update window;
// watch-multi's EXEC then aborts and the transfer retries.
inline constexpr Hook kHookBetweenReadsAndWrites{
    "between-reads-and-writes", "transfer: after reading both balances, before writing them"};

}  // namespace redproof::transfer
