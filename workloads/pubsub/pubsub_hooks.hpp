// Where a pause-client fault may strike a subscriber: it stops reading, its output buffer on
// the server grows past the pubsub limit, and the server drops it.
#pragma once

#include "core/hook.hpp"

namespace redproof::pubsub {

inline constexpr Hook kHookBeforeReceive{"before-receive",
                                         "a subscriber, before it reads its next message"};

}  // namespace redproof::pubsub
