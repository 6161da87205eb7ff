#include "checkers/cache_expiries.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

namespace redproof {

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

bool ok_read(const CacheOp& c) {
  return c.kind == CacheOp::Kind::kRead && c.type == OpType::kOk;
}
// The entry was in the cache during the read: it hit, or it filled the entry after its load.
bool shows_entry(const CacheOp& c) {
  return c.source == 'c' || c.source == 'd';
}
// The read's GET found no entry.
bool missed(const CacheOp& c) {
  return c.source == 'd' || c.source == 's';
}

// The writes of one key that may have deleted or replaced its entry (all but certain failures),
// in invoke order, each with the latest moment it or an earlier one may have taken effect: an
// unknown outcome may take effect any time after its invoke.
struct WriteReach {
  std::vector<std::int64_t> invoke_ns, reach_ns;

  bool may_invalidate(std::int64_t after_ns, std::int64_t before_ns) const {
    const auto n =
        std::lower_bound(invoke_ns.begin(), invoke_ns.end(), before_ns) - invoke_ns.begin();
    return n > 0 && reach_ns[static_cast<std::size_t>(n - 1)] > after_ns;
  }
};

WriteReach write_reach(const CacheHistory& h, const std::vector<std::size_t>& idx) {
  WriteReach w;
  std::int64_t reach = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i : idx) {
    const CacheOp& c = h.ops[i];
    if (c.kind != CacheOp::Kind::kWrite || c.type == OpType::kFail) continue;
    reach = std::max(reach, c.type == OpType::kOk ? c.done_ns : kNever);
    w.invoke_ns.push_back(c.invoke_ns);
    w.reach_ns.push_back(reach);
  }
  return w;
}

// The two latest-completing misses seen so far, so that "the latest but the read P" is O(1).
struct LatestMisses {
  const CacheOp* first = nullptr;
  const CacheOp* second = nullptr;

  void add(const CacheOp* c) {
    if (!first || c->done_ns > first->done_ns) {
      second = first;
      first = c;
    } else if (!second || c->done_ns > second->done_ns) {
      second = c;
    }
  }
  std::int64_t latest_done_other_than(const CacheOp* p) const {
    const CacheOp* m = first == p ? second : first;
    return m ? m->done_ns : std::numeric_limits<std::int64_t>::min();
  }
};

void key_expiries(const CacheHistory& h, int key, std::vector<ObservedExpiry>& out) {
  const std::vector<std::size_t>& idx = h.by_key[static_cast<std::size_t>(key)];
  // The ok reads by completion; the times are copied in so the sort does not chase pointers.
  struct Done {
    std::int64_t done_ns, invoke_ns;
    const CacheOp* op;
  };
  std::vector<Done> by_done;
  for (std::size_t i : idx) {
    const CacheOp& c = h.ops[i];
    if (ok_read(c)) by_done.push_back({c.done_ns, c.invoke_ns, &c});
  }
  if (by_done.empty()) return;
  std::sort(by_done.begin(), by_done.end(), [](const Done& a, const Done& b) {
    return a.done_ns != b.done_ns ? a.done_ns < b.done_ns : a.invoke_ns < b.invoke_ns;
  });
  const WriteReach writes = write_reach(h, idx);
  LatestMisses earlier;
  std::size_t known = 0;       // reads of by_done completed before the current read's invoke
  for (std::size_t i : idx) {  // invoke order
    const CacheOp& m = h.ops[i];
    if (!ok_read(m) || !missed(m)) continue;
    while (known < by_done.size() && by_done[known].done_ns < m.invoke_ns) ++known;
    const CacheOp* last = known ? by_done[known - 1].op : nullptr;
    // The entry was last seen at `last`; no write may have removed it since, and no earlier
    // miss may already have seen this same absence (its GET possibly after `last` began).
    const bool expiry = last && shows_entry(*last) &&
                        !writes.may_invalidate(last->invoke_ns, m.done_ns) &&
                        earlier.latest_done_other_than(last) <= last->invoke_ns;
    if (expiry) out.push_back({key, m.invoke_ns, m.invoke_index, last->invoke_ns});
    earlier.add(&m);
  }
}

// The first fault window that overlaps [from_ns, to_ns], if any.
const FaultWindow* fault_between(const std::vector<FaultWindow>& windows, std::int64_t from_ns,
                                 std::int64_t to_ns) {
  for (const FaultWindow& w : windows) {
    if (w.start_ns <= to_ns && w.end_ns >= from_ns) return &w;
  }
  return nullptr;
}

}  // namespace

std::vector<ObservedExpiry> observed_expiries(const CacheHistory& h) {
  std::vector<ObservedExpiry> out;
  for (std::size_t key = 0; key < h.keys.size(); ++key) {
    key_expiries(h, static_cast<int>(key), out);
  }
  std::sort(out.begin(), out.end(), [](const ObservedExpiry& a, const ObservedExpiry& b) {
    return a.at_ns != b.at_ns ? a.at_ns < b.at_ns : a.index < b.index;
  });
  return out;
}

void add_expiry_details(const CacheHistory& h, const std::vector<ObservedExpiry>& expiries,
                        const std::vector<FaultWindow>& windows, std::size_t seconds,
                        std::string_view what, nlohmann::json& details) {
  std::vector<std::int64_t> per_second(seconds, 0);
  nlohmann::json markers = nlohmann::json::array();
  for (const ObservedExpiry& e : expiries) {
    count_in_bin(per_second, e.at_ns);
    if (markers.size() == kMaxExpiryMarkers) continue;
    // Milliseconds are as fine as a chart can show; the key names what expired.
    const double t_s = std::round(static_cast<double>(e.at_ns) / 1e6) / 1e3;
    std::string label = fmt::format("{}: {}", what, h.keys[static_cast<std::size_t>(e.key)]);
    if (const FaultWindow* w = fault_between(windows, e.seen_ns, e.at_ns)) {
      label += fmt::format(" ({} since it was last seen)", w->fault);
    }
    markers.push_back({{"t_s", t_s}, {"label", std::move(label)}});
  }
  details["expiries_observed"] = expiries.size();
  details["expiries_per_second"] = per_second;
  details["markers"] = std::move(markers);
  if (expiries.size() > kMaxExpiryMarkers) {
    details["markers_left_out"] = expiries.size() - kMaxExpiryMarkers;
  }
}

}  // namespace redproof
