// stampede (../shared/spec/patterns.md): a herd is more than one read with source `db` of one key
// whose intervals overlap — several readers rebuilding the same entry at once, one herd per
// expiry. Certain: each such read reports that it loaded the database itself. Also reported:
// rebuilds per key per expiry, the database's loads per second, and the latency of reads around
// expiries (overlapping a rebuild of their key) against the rest. "expiries" there counts
// rebuilds (chains of overlapping db reads, the first load included); "expiries_observed", its
// per-second series and the report's markers count only entries seen in the cache and then
// gone (cache_expiries.hpp), so that a herd shows right after its marker. Reads per second
// stand beside the database's loads per second, and for runs up to ten minutes the loads per
// 100 ms, where a herd is a spike.
#pragma once

#include "checkers/checker.hpp"

namespace redproof {

class StampedeChecker : public Checker {
 public:
  std::string name() const override { return "stampede"; }
  CheckResult check(const std::vector<Op>& history) override;
};

}  // namespace redproof
