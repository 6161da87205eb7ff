// Where a pause-client fault strikes the cache workload (core/hook.hpp).
#pragma once

#include "core/hook.hpp"

namespace redproof::cache {

// The classic stale-set race: a reader has loaded the row and not yet filled the cache; a writer
// updates the row and invalidates meanwhile; the late fill puts the old row back.
inline constexpr Hook kHookBetweenDbReadAndFill{
    "between-db-read-and-fill", "read miss: after the row was loaded, before the cache fill"};
// write-behind: the flusher took an entry from the buffer and has not written the row yet.
inline constexpr Hook kHookInFlusher{
    "in-flusher", "write-behind flusher: after reading the buffered entry, before the row write"};

}  // namespace redproof::cache
