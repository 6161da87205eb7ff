// Where a pause-client fault may stop a buyer (core/hook.hpp).
#pragma once

#include "core/hook.hpp"

namespace redproof::inventory {

// get-decr's window: the GET said there is enough stock, the DECRBY has not run yet.
inline constexpr Hook kHookBetweenGetAndDecr{"between-get-and-decr",
                                             "buy: after GET found enough stock, before DECRBY"};
// Any variant: a buyer stalled before it sends its purchase (harmless for an atomic buy).
inline constexpr Hook kHookBeforeBuy{"before-buy", "buy: before the purchase is sent"};

}  // namespace redproof::inventory
