// The bank checker (../shared/spec/patterns.md), for money moved between accounts.
//
// From `init` (invoke value {account: balance}), every `transfer` ({from, to, amount}; ok, fail,
// or unknown) and every `read` (ok value {account: balance or null}, read atomically):
//   total-not-conserved - a read whose balances do not sum to the initial total (transfers only
//                         move money, so every atomic read must see the same total);
//   negative-balance    - a read with a balance below 0;
//   lost-transfer       - an account outside [initial + in_ok − out_maybe, initial + in_maybe −
//                         out_ok], where *_ok counts acknowledged transfers that completed before
//                         the read began and *_maybe every transfer, acknowledged or unknown,
//                         invoked before the read completed. For the final read, after every
//                         transfer completed, this is the spec's interval [initial + ok in − ok
//                         out − unknown out, initial + ok in + unknown in − ok out].
// A balance read as null (the account is gone) counts as 0. Failed transfers moved nothing.
#pragma once

#include "checkers/checker.hpp"

namespace redproof {

class BankChecker : public Checker {
 public:
  std::string name() const override { return "bank"; }
  // details: {"accounts", "total", "transfers": {"ok", "fail", "unknown"}, "reads",
  //           "final": {account: balance}, "anomaly_counts"}. Unknown without an ok init.
  CheckResult check(const std::vector<Op>& history) override;
};

}  // namespace redproof
