// Cache expiries as the history alone shows them, for the cache-staleness and stampede reports.
//
// An expiry is observed when a read of key k did not get the entry from the cache (source `db`
// or `stale`) although the last thing known about k before the read was invoked — the ok read
// of k that completed last — showed the entry in the cache (a hit, or a `db` read, which filled
// it), and no write of k that may have taken effect in between (ok, or of unknown outcome,
// whose interval reaches past that read's invoke) could have deleted or replaced the entry.
// Misses that share that last-known read are one episode, counted once at its first miss: a
// herd clusters right after it.
//
// What the history cannot tell apart, and the marker's label therefore does not claim: a TTL
// expiry, an eviction under maxmemory, an entry lost with a restarted server (under a fault,
// shaded on the same chart), a fill whose SET failed, and XFetch's early recomputation (a `db`
// read while the entry was still there; the stampede checker's label says so). Writes are always
// treated as possible invalidations, so a write-through write followed by an expiry is not counted:
// the count is a lower bound.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "checkers/cache_staleness_checker.hpp"
#include "checkers/fault_windows.hpp"

namespace redproof {

struct ObservedExpiry {
  int key = -1;              // index into CacheHistory::keys
  std::int64_t at_ns = 0;    // invoke of the first read that found the entry gone
  std::int64_t index = 0;    // that read's invoke index
  std::int64_t seen_ns = 0;  // invoke of the read that last saw the entry
};

// Every observed expiry, in time order.
std::vector<ObservedExpiry> observed_expiries(const CacheHistory& h);

// Puts the expiries into a checker's details, in results/details_chart.hpp's conventions:
// "expiries_observed" (the count), "expiries_per_second" (at least `seconds` long, so it lines
// up with the checker's other series) and "markers" (one per expiry, the first kMaxMarkers,
// labelled "<what>: <key>"; "markers_left_out" counts the rest). `what` says what the pattern's
// history cannot tell apart: kExpiryOrEviction, or kExpiryEvictionOrEarlyRebuild where a
// variant rebuilds early (XFetch). A fault window between the last sighting and the miss is
// named in the label ("(kill-restart since it was last seen)"): the entry may be its loss.
void add_expiry_details(const CacheHistory& h, const std::vector<ObservedExpiry>& expiries,
                        const std::vector<FaultWindow>& windows, std::size_t seconds,
                        std::string_view what, nlohmann::json& details);

inline constexpr std::string_view kExpiryOrEviction = "expiry or eviction";
inline constexpr std::string_view kExpiryEvictionOrEarlyRebuild =
    "expiry, eviction or early rebuild";

inline constexpr std::size_t kMaxExpiryMarkers = 200;

}  // namespace redproof
