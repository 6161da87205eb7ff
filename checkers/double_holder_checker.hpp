// The double-holder checker for locks (../shared/spec/anomalies.md).
//
// From the history, each holder's interval runs from its acquire's `ok` to the earlier of its
// release's invoke and the end of the validity the client was told (acquire invoke +
// validity_ms): the time during which the client believed it held the lock. A holder that acts
// on the resource after that (a write that completed ok, or that reached the resource and was
// rejected as stale) held it in fact until that write completed, so the interval extends to the
// write's completion. Writes the client itself refused ("validity-expired", "not-holder") do not
// extend it. Two intervals of different processes on one lock that overlap by at least 1 ns are a
// double holder; intervals that only touch are not.
//
// With fencing, overlaps are expected (the token is what makes them safe) and reported only as
// figures; instead the checker demands: every token unique (duplicate-token), tokens increasing
// in real-time order of acquisition (token-regressed), and no write accepted whose token is not
// above every token accepted before it began (stale-write-accepted). Writes the resource refused
// from holders whose token regressed are noted as a `stall` (not a violation by itself): what a
// restart without persistence does to a fenced lock (anomalies.md, F3: tokens restart lower).
//
// A watchdog's `renew` (ok value {"validity_ms"}) extends the believed interval to the renewal's
// invoke + validity_ms (a renewal after the belief had lapsed starts a new interval at its ok);
// a renewal that failed ends the interval at its completion at the latest.
//
// Operations: acquire (ok value {"owner", "validity_ms", "fence"?}), write (invoke value
// {"owner", "fence"}), renew, release. Acquires that end in `info` are not counted as holders: the
// client never believed it held the lock, and its process is retired.
#pragma once

#include "checkers/checker.hpp"

namespace redproof {

struct DoubleHolderOptions {
  bool fencing = false;
  std::size_t max_reported = 100;  // anomalies kept in detail; all are counted
};

class DoubleHolderChecker : public Checker {
 public:
  explicit DoubleHolderChecker(DoubleHolderOptions options = {}) : options_(options) {}
  std::string name() const override { return "double-holder"; }
  // anomalies: double-holder (magnitude: first, second, overlap_ns, overlap_ms),
  // duplicate-token, token-regressed, stale-write-accepted (magnitude: write, newer); note
  // stall (magnitude: rejected_writes, longest_stall_ms).
  // details: {"stats": {"acquisitions", "releases", "writes_accepted", "writes_rejected",
  //           "writes_skipped", "overlaps", "holders"}, "fencing", "anomaly_counts"}
  CheckResult check(const std::vector<Op>& history) override;

 private:
  DoubleHolderOptions options_;
};

}  // namespace redproof
