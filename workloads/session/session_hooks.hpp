// Where a pause-client fault may strike a web server of the session workload.
#pragma once

#include "core/hook.hpp"

namespace redproof::session {

// A web server stalls (a GC pause) before it refreshes a session it serves.
inline constexpr Hook kHookBeforeRefresh{"before-refresh",
                                         "a web server, before it refreshes a session"};

}  // namespace redproof::session
