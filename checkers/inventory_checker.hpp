// The inventory checker (../shared/spec/patterns.md): first-come-first-served stock.
//
// From the `init` operation (invoke value {item: stock}) and every `buy` (quantity; ok true
// sold, false sold out) and `read` (remaining stock, or null when the key is gone), per item:
//   oversell         - the units sold (ok true) exceed the initial stock, or a read is below 0;
//   lost-purchase    - a read above stock − (units of ok sales completed before the read began):
//                      an acknowledged sale was undone (a restart, a reloaded stock);
//   double-decrement - a read below stock − (units of ok or unknown sales invoked before the
//                      read completed): more was taken than any sale could explain.
// For the final read, after every sale completed, these are the spec's bounds: stock − sold and
// stock − sold − unknown. A sale whose outcome is unknown (`info`, or no completion) may count
// or not; a sold-out or failed buy took nothing. Nothing is reported that some choice of the
// instants at which operations took effect would explain.
#pragma once

#include "checkers/checker.hpp"

namespace redproof {

class InventoryChecker : public Checker {
 public:
  std::string name() const override { return "inventory"; }
  // details: {"items": {item: {"stock", "sold", "unknown", "sold_out", "final"}}, "sold",
  //           "unknown", "reads", "anomaly_counts"}. Unknown when there is no ok init.
  CheckResult check(const std::vector<Op>& history) override;
};

}  // namespace redproof
