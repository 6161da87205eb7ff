// Operations that cannot constrain a register's linearizability, dropped before the search so
// that a run full of unknown outcomes (a proxy resetting connections) stays cheap to decide:
//  - a read whose outcome is unknown (info, or never completed) constrains nothing: it may be
//    placed anywhere and return whatever the register held;
//  - when every written value is unique, a write (or cas) whose outcome is unknown and whose
//    value nobody observed (no ok read returned it, no cas expected it) may be taken never to
//    have happened: "never" is one of the choices an unknown outcome allows, and since nothing
//    saw its value, taking effect could only have made other operations harder to place.
// Only for the register and cas-register models; other models' histories pass unchanged.
#pragma once

#include <string>
#include <vector>

#include "core/op.hpp"

namespace redproof {

struct UnobservableDrop {
  std::vector<Op> history;  // what is left, events in their original order and indexes
  std::size_t reads = 0;    // unknown reads dropped
  std::size_t writes = 0;   // unknown, unobserved writes and cas dropped
};

UnobservableDrop drop_unobservable_operations(const std::vector<Op>& history,
                                              const std::string& model);

}  // namespace redproof
