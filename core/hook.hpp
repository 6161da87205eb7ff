// A hook: a declared point inside a client's operation where a fault may strike (a GC pause
// between checking a lock and using it, a worker that dies after popping a job). Hooks are
// values a workload declares, not free strings, so a client can only await a hook that exists
// and the pause-client fault can only arm one a workload offers (a hook awaited but never
// declared is refused at run time and caught by the workload's tests).
#pragma once

#include <string_view>

namespace redproof {

// What the pause-client fault does to the worker that reaches an armed hook.
enum class HookEffect {
  kPause,  // stop for the fault's length, then go on (a GC pause, a slow disk)
  kCrash,  // the process dies there: its connection closes and what it held stays behind
};

struct Hook {
  std::string_view name;
  std::string_view summary;
  HookEffect effect = HookEffect::kPause;
  // The client is here between a server's reply and its next request to that server, with no
  // look at the clock in between: a server pause aimed here may hold the client until the
  // server answers again, as if the reply had waited in the stopped server. Elsewhere (after a
  // validity check, say) holding the client would be a client pause, not a server pause.
  bool between_requests = false;

  friend constexpr bool operator==(const Hook& a, const Hook& b) { return a.name == b.name; }
};

// Thrown out of a hook point when a crash strikes there: the worker records the operation as
// `info` ("crashed at hook ...") and carries on under a fresh process, as a restarted worker.
struct ClientCrashed {
  std::string_view hook;
};

}  // namespace redproof
