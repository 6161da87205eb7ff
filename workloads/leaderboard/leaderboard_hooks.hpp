// Where a pause-client fault may strike a leaderboard client.
#pragma once

#include "core/hook.hpp"

namespace redproof::leaderboard {

inline constexpr Hook kHookBeforeIncrement{"before-increment",
                                           "a player's client, before it sends its ZINCRBY"};

}  // namespace redproof::leaderboard
