// cache-staleness (../shared/spec/patterns.md): judges a cache in front of a database from its
// history alone. stale-read: a read returned version v although a write of w > v completed ok
// before the read was invoked; lost-write: the final db-read of an item is older than a write
// acknowledged before it; db-lag (write-behind): no flush of a write's version (or a newer one)
// was even invoked until more than max-lag after the write's ok. Also the hit ratio, the
// database's loads per second, and consistency in Meta Polaris's terms: the fraction of
// acknowledged writes whose value (or a newer one) was served by every read invoked more than W
// after the write's ok, for W = 100 ms, 1 s and 10 s, as nines. Expiries the history shows
// (cache_expiries.hpp) go in as expiries_per_second and as markers on the report's charts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checkers/checker.hpp"

namespace redproof {

// One operation of a cache history, invoke and completion paired (also used by stampede).
struct CacheOp {
  enum class Kind : std::uint8_t { kRead, kWrite, kFlush, kDbRead, kOther };
  Kind kind = Kind::kOther;
  int key = -1;                 // index into CacheHistory::keys
  OpType type = OpType::kInfo;  // kInfo also for an invoke that never completed
  std::int64_t invoke_index = 0, invoke_ns = 0;
  std::int64_t done_index = -1, done_ns = 0;  // -1: never completed
  std::int64_t version = -1;  // write/flush: the invoke's; read/db-read: the result's
  char source = 0;            // reads: 'c' cache, 'd' db, 's' stale
};

struct CacheHistory {
  std::vector<std::string> keys;
  std::vector<CacheOp> ops;  // in invoke order
  std::vector<std::vector<std::size_t>> by_key;
  std::int64_t end_ns = 0;  // the last event's time
};

// Pairs a history's cache operations. Values are read with a small scanner (no JSON tree), so a
// million operations parse in well under a second.
CacheHistory collect_cache_ops(const std::vector<Op>& history);
// Adds one to the element of `series` that `ns` falls in (element i: [i·bin, (i+1)·bin) ns of
// the run), growing it as needed.
void count_in_bin(std::vector<std::int64_t>& series, std::int64_t ns,
                  std::int64_t bin_ns = 1'000'000'000);
// The integer field `name` of a JSON object text ({"version":3,...}); nullopt when absent.
std::optional<std::int64_t> json_int_field(std::string_view text, std::string_view name);
// The string field `name` ({"source":"db"}); empty when absent.
std::string_view json_string_field(std::string_view text, std::string_view name);

struct CacheStalenessOptions {
  std::int64_t max_lag_ns = 5'000'000'000;  // --param max-lag
  bool write_behind = false;                // db-lag is judged when the history has flushes
};

class CacheStalenessChecker : public Checker {
 public:
  explicit CacheStalenessChecker(CacheStalenessOptions options = {}) : options_(options) {}
  std::string name() const override { return "cache-staleness"; }
  CheckResult check(const std::vector<Op>& history) override;

 private:
  CacheStalenessOptions options_;
};

}  // namespace redproof
