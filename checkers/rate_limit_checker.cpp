#include "checkers/rate_limit_checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>

#include "checkers/anomaly_collector.hpp"

namespace redproof {

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
// Ops listed in detail per anomaly: enough to draw the window, not the whole run.
constexpr std::size_t kMaxOpsReported = 64;
// Bounds with a fractional part (C + r*s) are compared with this much room, so that a set
// exactly at the bound is never reported because of floating-point rounding.
constexpr double kEpsilon = 1e-9;

// One request: its invoke and its completion (kNever: unknown, it may take effect any time later).
struct Request {
  std::int64_t inv = 0;
  std::int64_t end = kNever;
  std::int64_t inv_index = -1;
  std::int64_t end_index = -1;
};

struct KeyRequests {
  std::vector<Request> admitted;  // in completion order
  std::vector<Request> rejected;  // in completion order
  std::vector<Request> unknown;
};

struct Counts {
  std::int64_t requests = 0, admitted = 0, rejected = 0, unknown = 0;
  std::int64_t over_windows = 0, under_requests = 0;
};

using ByKey = std::unordered_map<std::string, KeyRequests>;

struct Pending {
  Request request;
  KeyRequests* key = nullptr;
};

// Sorts each request into admitted / rejected / unknown by its completion; `fail` never happened.
ByKey collect(const std::vector<Op>& history, Counts& counts) {
  ByKey by_key;
  std::unordered_map<std::int64_t, Pending> pending;
  for (const Op& op : history) {
    if (op.is_nemesis() || op.f != "request" || !op.key) continue;
    if (op.is_invoke()) {
      ++counts.requests;
      pending[op.process] = {{op.time, kNever, op.index, -1}, &by_key[*op.key]};
      continue;
    }
    auto it = pending.find(op.process);
    if (it == pending.end()) continue;
    Request r = it->second.request;
    KeyRequests& k = *it->second.key;
    pending.erase(it);
    if (op.type == OpType::kFail) continue;
    if (op.type == OpType::kOk && (op.value == "true" || op.value == "false")) {
      r.end = op.time;
      r.end_index = op.index;
      (op.value == "true" ? k.admitted : k.rejected).push_back(r);
    } else {
      // info, or an ok whose value is no decision: it may have been admitted at any time.
      k.unknown.push_back(r);
    }
  }
  for (auto& [process, p] : pending) p.key->unknown.push_back(p.request);
  for (auto& [key, k] : by_key) {
    counts.admitted += static_cast<std::int64_t>(k.admitted.size());
    counts.rejected += static_cast<std::int64_t>(k.rejected.size());
    counts.unknown += static_cast<std::int64_t>(k.unknown.size());
    const auto by_end = [](const Request& a, const Request& b) { return a.end < b.end; };
    if (!std::is_sorted(k.admitted.begin(), k.admitted.end(), by_end))
      std::stable_sort(k.admitted.begin(), k.admitted.end(), by_end);
  }
  return by_key;
}

std::vector<std::int64_t> sorted_invokes(const std::vector<Request>& rs) {
  std::vector<std::int64_t> out;
  out.reserve(rs.size());
  for (const Request& r : rs) out.push_back(r.inv);
  std::sort(out.begin(), out.end());
  return out;
}

// The window found worst on one key: the admitted requests with invoke >= from and ok <= to.
struct Window {
  bool found = false;
  std::int64_t from = 0, to = 0;
  double score = -1e300;  // admissions minus the bound, as the sweep measured it
  std::int64_t over = 0;  // sweep positions where the bound was exceeded
};

// Window kinds: for each admitted ok time y, the admissions with ok <= y and invoke > y - W
// (a set with span < W). Requests lasting W or more cannot belong to such a set and are left
// out, which makes (admitted so far) - (invokes <= y - W) exact.
Window worst_window(const std::vector<Request>& admitted, std::int64_t w, std::int64_t bound) {
  std::vector<Request> short_ones;
  short_ones.reserve(admitted.size());
  for (const Request& r : admitted)
    if (r.end - r.inv < w) short_ones.push_back(r);
  const std::vector<std::int64_t> invs = sorted_invokes(short_ones);
  Window best;
  std::size_t q = 0;
  for (std::size_t j = 0; j < short_ones.size(); ++j) {
    const std::int64_t y = short_ones[j].end;
    while (q < invs.size() && invs[q] <= y - w) ++q;
    const auto n = static_cast<std::int64_t>(j + 1 - q);
    if (n > bound) ++best.over;
    if (static_cast<double>(n) > best.score) {
      best = {true, y - w + 1, y, static_cast<double>(n), best.over};
    }
  }
  return best;
}

// Bucket kinds: maximise (ok <= y) - (invoke < x) - C - r(y - x) over invoke times x <= ok
// times y, a lower bound of |S| - bound for S = {invoke >= x, ok <= y}: a running minimum of
// (invokes before x) - r*x while sweeping y.
Window worst_bucket(const std::vector<Request>& admitted, double capacity, double rate_per_ns) {
  const std::vector<std::int64_t> invs = sorted_invokes(admitted);
  Window best;
  double min_g = std::numeric_limits<double>::infinity();
  std::int64_t min_x = 0;
  std::size_t k = 0;
  for (std::size_t j = 0; j < admitted.size(); ++j) {
    const std::int64_t y = admitted[j].end;
    for (; k < invs.size() && invs[k] <= y; ++k) {
      const double g = static_cast<double>(k) - rate_per_ns * static_cast<double>(invs[k]);
      if (g < min_g) min_g = g, min_x = invs[k];
    }
    const double score =
        static_cast<double>(j + 1) - min_g - capacity - rate_per_ns * static_cast<double>(y);
    if (score > kEpsilon) ++best.over;
    if (score > best.score) best = {true, min_x, y, score, best.over};
  }
  return best;
}

// The admitted requests of a window, and the span they really cover.
struct Members {
  std::vector<const Request*> requests;
  std::int64_t first_invoke = kNever, last_ok = 0;
};

Members members_of(const std::vector<Request>& admitted, const Window& w) {
  Members m;
  for (const Request& r : admitted) {
    if (r.inv < w.from || r.end > w.to) continue;
    m.requests.push_back(&r);
    m.first_invoke = std::min(m.first_invoke, r.inv);
    m.last_ok = std::max(m.last_ok, r.end);
  }
  return m;
}

std::vector<std::int64_t> op_indexes(const Members& m) {
  std::vector<std::int64_t> ops;
  for (const Request* r : m.requests) {
    if (ops.size() >= kMaxOpsReported) break;
    ops.push_back(r->inv_index);
    ops.push_back(r->end_index);
  }
  return ops;
}

double ms(std::int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

// For a fixed window: the earliest invoke among admitted requests that completed at or after a
// time (any of them may have opened the window still counting then: INCR at some instant
// after its invoke, PEXPIRE before its ok). A suffix minimum over the admissions by ok time.
class OpenerReach {
 public:
  explicit OpenerReach(const std::vector<Request>& admitted) : admitted_(admitted) {
    suffix_min_.assign(admitted.size() + 1, kNever);
    for (std::size_t i = admitted.size(); i-- > 0;)
      suffix_min_[i] = std::min(suffix_min_[i + 1], admitted[i].inv);
  }
  std::int64_t earliest_invoke(std::int64_t completed_from) const {
    const auto it = std::lower_bound(admitted_.begin(), admitted_.end(), completed_from,
                                     [](const Request& r, std::int64_t t) { return r.end < t; });
    return suffix_min_[static_cast<std::size_t>(it - admitted_.begin())];
  }

 private:
  const std::vector<Request>& admitted_;
  std::vector<std::int64_t> suffix_min_;
};

class KeyChecker {
 public:
  KeyChecker(const RateLimitOptions& o, const std::string& key, const KeyRequests& k,
             AnomalyCollector& anomalies, Counts& counts)
      : o_(o), key_(key), k_(k), anomalies_(anomalies), counts_(counts) {}

  void over_admission() {
    if (o_.kind == RateLimitKind::kTokenBucket) return over_bucket();
    const bool fixed = o_.kind == RateLimitKind::kFixedWindow;
    const std::int64_t bound = fixed ? 2 * o_.limit : o_.limit;
    const Window w = worst_window(k_.admitted, o_.window_ns, bound);
    counts_.over_windows += w.over;
    if (!w.found) return;
    const Members m = members_of(k_.admitted, w);
    const auto n = static_cast<std::int64_t>(m.requests.size());
    if (fixed && n > o_.limit) boundary_burst(m);
    if (n <= bound) return;
    Anomaly a = window_anomaly("over-admission", m, static_cast<double>(bound));
    a.sentence = fmt::format(
        "{} requests on {} were admitted within {:.1f} ms, more than the {} that {} allows in "
        "any {:.0f} ms",
        n, key_, ms(m.last_ok - m.first_invoke), bound,
        fixed ? fmt::format("a fixed window of {}", o_.limit) : fmt::format("a limit of {}", bound),
        ms(o_.window_ns));
    anomalies_.add(std::move(a));
  }

  void under_admission() {
    const bool bucket = o_.kind == RateLimitKind::kTokenBucket;
    const std::int64_t lookback =
        (bucket ? static_cast<std::int64_t>(o_.capacity / o_.rate_per_s * 1e9) : o_.window_ns) +
        o_.under_slack_ns;
    const std::int64_t needed = bucket ? 1 : o_.limit;
    std::vector<std::int64_t> invs, ends;
    for (const auto* list : {&k_.admitted, &k_.unknown}) {
      for (const Request& r : *list) invs.push_back(r.inv), ends.push_back(r.end);
    }
    std::sort(invs.begin(), invs.end());
    std::sort(ends.begin(), ends.end());
    const auto overlapping = [&](std::int64_t from, std::int64_t to) {
      const auto started = std::upper_bound(invs.begin(), invs.end(), to) - invs.begin();
      const auto ended = std::lower_bound(ends.begin(), ends.end(), from) - ends.begin();
      return static_cast<std::int64_t>(started - ended);
    };
    const OpenerReach reach(k_.admitted);
    const Request* worst = nullptr;
    std::int64_t worst_overlap = needed, certain = 0;
    for (const Request& r : k_.rejected) {
      const std::int64_t overlap = overlapping(r.inv - lookback, r.end);
      if (overlap >= needed) continue;
      // A fixed window runs from its opener's INCR to its PEXPIRE + W: an opener that completed
      // within the look-back may have counted requests from as early as its own invoke.
      if (o_.kind == RateLimitKind::kFixedWindow) {
        const std::int64_t earliest = reach.earliest_invoke(r.inv - lookback);
        if (earliest < r.inv - lookback && overlapping(earliest, r.end) >= needed) continue;
      }
      ++certain;
      if (!worst || overlap < worst_overlap) worst = &r, worst_overlap = overlap;
    }
    counts_.under_requests += certain;
    if (worst) report_under(*worst, worst_overlap, certain, lookback, needed);
  }

 private:
  Anomaly window_anomaly(const char* name, const Members& m, double bound) const {
    Anomaly a;
    a.name = name;
    a.key = key_;
    a.ops = op_indexes(m);
    a.from_ns = m.first_invoke;
    a.to_ns = m.last_ok;
    const auto n = static_cast<std::int64_t>(m.requests.size());
    a.magnitude = {{"admitted", n},
                   {"bound", bound},
                   {"excess", static_cast<double>(n) - bound},
                   {"span_ms", ms(m.last_ok - m.first_invoke)}};
    if (o_.kind == RateLimitKind::kTokenBucket) {
      a.magnitude["capacity"] = o_.capacity;
      a.magnitude["rate_per_s"] = o_.rate_per_s;
    } else {
      a.magnitude["limit"] = o_.limit;
      a.magnitude["window_ms"] = ms(o_.window_ns);
    }
    return a;
  }

  void over_bucket() {
    const double rate_per_ns = o_.rate_per_s / 1e9;
    const Window w = worst_bucket(k_.admitted, o_.capacity, rate_per_ns);
    counts_.over_windows += w.over;
    if (!w.found || w.score <= kEpsilon) return;
    const Members m = members_of(k_.admitted, w);
    const double bound =
        o_.capacity + rate_per_ns * static_cast<double>(m.last_ok - m.first_invoke);
    if (static_cast<double>(m.requests.size()) <= bound + kEpsilon) return;  // cannot happen
    Anomaly a = window_anomaly("over-admission", m, bound);
    a.sentence = fmt::format(
        "{} requests on {} were admitted within {:.1f} ms; a bucket of {} refilled at {}/s "
        "admits at most {:.2f} in that time",
        m.requests.size(), key_, ms(m.last_ok - m.first_invoke), o_.capacity, o_.rate_per_s, bound);
    anomalies_.add(std::move(a));
  }

  void boundary_burst(const Members& m) {
    Anomaly a = window_anomaly("boundary-burst", m, static_cast<double>(o_.limit));
    a.violation = false;
    const double factor = static_cast<double>(m.requests.size()) / static_cast<double>(o_.limit);
    a.magnitude["factor"] = factor;
    a.sentence = fmt::format(
        "{} requests on {} were admitted within {:.1f} ms across a window boundary: {:.2f}x the "
        "limit of {} (a fixed window allows up to 2x by design)",
        m.requests.size(), key_, ms(m.last_ok - m.first_invoke), factor, o_.limit);
    anomalies_.add(std::move(a));
  }

  void report_under(const Request& r, std::int64_t overlap, std::int64_t certain,
                    std::int64_t lookback, std::int64_t needed) {
    Anomaly a;
    a.name = "under-admission";
    a.key = key_;
    a.ops = {r.inv_index, r.end_index};
    a.from_ns = r.inv - lookback;
    a.to_ns = r.end;
    a.magnitude = {{"overlapping", overlap},
                   {"needed", needed},
                   {"lookback_ms", ms(lookback)},
                   {"rejections", certain}};
    a.sentence = fmt::format(
        "a request on {} was rejected although only {} admitted or unknown requests overlap the "
        "{:.0f} ms before it (a rejection needs {}); {} such rejections on this key",
        key_, overlap, ms(lookback), needed, certain);
    anomalies_.add(std::move(a));
  }

  const RateLimitOptions& o_;
  const std::string& key_;
  const KeyRequests& k_;
  AnomalyCollector& anomalies_;
  Counts& counts_;
};

}  // namespace

CheckResult RateLimitChecker::check(const std::vector<Op>& history) {
  Counts counts;
  const ByKey by_key = collect(history, counts);
  // Keys in name order, so that reports are the same from run to run.
  std::map<std::string, const KeyRequests*> keys;
  for (const auto& [key, k] : by_key) keys.emplace(key, &k);
  AnomalyCollector anomalies(history);
  for (const auto& [key, k] : keys) {
    KeyChecker c(options_, key, *k, anomalies, counts);
    c.over_admission();
    c.under_admission();
  }
  CheckResult r;
  r.details = {{"requests", counts.requests},
               {"admitted", counts.admitted},
               {"rejected", counts.rejected},
               {"unknown", counts.unknown},
               {"keys", keys.size()},
               {"over_admission_windows", counts.over_windows},
               {"under_admission_requests", counts.under_requests}};
  anomalies.store_into(r);
  return r;
}

}  // namespace redproof
