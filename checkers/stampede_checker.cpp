#include "checkers/stampede_checker.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "checkers/anomaly_collector.hpp"
#include "checkers/cache_expiries.hpp"
#include "checkers/cache_staleness_checker.hpp"

namespace redproof {

namespace {

// A herd lasts about one rebuild (tens of ms): a second averages it away, 100 ms shows it. Up
// to ten minutes of run, so the series stays a few thousand numbers.
constexpr std::int64_t kFineBinNs = 100'000'000;
constexpr std::int64_t kFineSeriesUpToNs = 600'000'000'000;

// One expiry's rebuild: db reads of one key whose intervals chain into one overlap.
struct Rebuild {
  std::vector<const CacheOp*> reads;
  std::int64_t from_ns = 0, to_ns = 0;
};

std::vector<Rebuild> rebuilds_of(const CacheHistory& h, std::size_t key) {
  std::vector<const CacheOp*> loads;
  for (std::size_t i : h.by_key[key]) {
    const CacheOp& c = h.ops[i];
    if (c.kind == CacheOp::Kind::kRead && c.type == OpType::kOk && c.source == 'd') {
      loads.push_back(&c);
    }
  }
  std::sort(loads.begin(), loads.end(),
            [](const CacheOp* a, const CacheOp* b) { return a->invoke_ns < b->invoke_ns; });
  std::vector<Rebuild> out;
  for (const CacheOp* c : loads) {
    // Strictly inside: one that starts the instant another ended did not overlap it.
    if (!out.empty() && c->invoke_ns < out.back().to_ns) {
      out.back().reads.push_back(c);
      out.back().to_ns = std::max(out.back().to_ns, c->done_ns);
      continue;
    }
    out.push_back({{c}, c->invoke_ns, c->done_ns});
  }
  return out;
}

void report_herd(const CacheHistory& h, std::size_t key, const Rebuild& r,
                 AnomalyCollector& anomalies) {
  Anomaly a;
  a.name = "herd";
  // Past the hundred the collector keeps in detail, a herd is only counted: no sentence.
  if (anomalies.count("herd") >= 100) {
    anomalies.add(std::move(a));
    return;
  }
  a.key = h.keys[key];
  for (const CacheOp* c : r.reads) {
    a.ops.push_back(c->invoke_index);
    a.ops.push_back(c->done_index);
  }
  a.from_ns = r.from_ns;
  a.to_ns = r.to_ns;
  const double ms = (r.to_ns - r.from_ns) / 1e6;
  a.magnitude = {{"rebuilds", r.reads.size()}, {"window_ms", ms}};
  a.sentence = fmt::format(
      "{} readers of {} rebuilt it from the database at once (overlapping within {:.1f} ms): "
      "{} rebuilds for one expiry",
      r.reads.size(), a.key, ms, r.reads.size());
  anomalies.add(std::move(a));
}

struct Latencies {
  std::vector<double> around, rest;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

nlohmann::json latency_json(std::vector<double>& v) {
  return {{"reads", v.size()},
          {"p50_ms", percentile(v, 0.5)},
          {"p99_ms", percentile(v, 0.99)},
          {"max_ms", v.empty() ? 0.0 : *std::max_element(v.begin(), v.end())}};
}

// A read is "around an expiry" when its interval overlaps a rebuild of its key.
void split_latencies(const CacheHistory& h, std::size_t key, const std::vector<Rebuild>& rebuilds,
                     Latencies& out) {
  for (std::size_t i : h.by_key[key]) {
    const CacheOp& c = h.ops[i];
    if (c.kind != CacheOp::Kind::kRead || c.type != OpType::kOk) continue;
    auto it = std::lower_bound(rebuilds.begin(), rebuilds.end(), c.invoke_ns,
                               [](const Rebuild& r, std::int64_t t) { return r.to_ns <= t; });
    const bool around = it != rebuilds.end() && it->from_ns < c.done_ns;
    (around ? out.around : out.rest).push_back((c.done_ns - c.invoke_ns) / 1e6);
  }
}

}  // namespace

CheckResult StampedeChecker::check(const std::vector<Op>& history) {
  const CacheHistory h = collect_cache_ops(history);
  AnomalyCollector anomalies(history);
  Latencies latencies;
  std::int64_t expiries = 0, loads = 0, worst = 0;
  nlohmann::json per_key = nlohmann::json::object();
  std::vector<std::int64_t> loads_ps, loads_fine;
  for (std::size_t key = 0; key < h.keys.size(); ++key) {
    const std::vector<Rebuild> rebuilds = rebuilds_of(h, key);
    std::int64_t key_loads = 0, key_worst = 0;
    for (const Rebuild& r : rebuilds) {
      const auto n = static_cast<std::int64_t>(r.reads.size());
      key_loads += n;
      key_worst = std::max(key_worst, n);
      for (const CacheOp* c : r.reads) {
        count_in_bin(loads_ps, c->done_ns);
        count_in_bin(loads_fine, c->done_ns, kFineBinNs);
      }
      if (n > 1) report_herd(h, key, r, anomalies);
    }
    split_latencies(h, key, rebuilds, latencies);
    expiries += static_cast<std::int64_t>(rebuilds.size());
    loads += key_loads;
    worst = std::max(worst, key_worst);
    if (!rebuilds.empty()) {
      per_key[h.keys[key]] = {{"expiries", rebuilds.size()},
                              {"db_loads", key_loads},
                              {"max_rebuilds_per_expiry", key_worst}};
    }
  }
  // Redis's side beside the database's: every ok read by its completion second.
  std::vector<std::int64_t> reads_ps;
  for (const CacheOp& c : h.ops) {
    if (c.kind == CacheOp::Kind::kRead && c.type == OpType::kOk) count_in_bin(reads_ps, c.done_ns);
  }
  loads_ps.resize(std::max(loads_ps.size(), reads_ps.size()), 0);
  CheckResult r;
  r.details["expiries"] = expiries;
  r.details["db_loads"] = loads;
  r.details["rebuilds_per_expiry_mean"] = expiries ? static_cast<double>(loads) / expiries : 0.0;
  r.details["rebuilds_per_expiry_max"] = worst;
  r.details["per_key"] = per_key;
  r.details["db_loads_per_second"] = loads_ps;
  r.details["reads_per_second"] = reads_ps;
  if (h.end_ns <= kFineSeriesUpToNs) {
    loads_fine.resize(static_cast<std::size_t>(h.end_ns / kFineBinNs) + 1, 0);
    r.details["db_loads_per_100ms"] = loads_fine;
  }
  add_expiry_details(h, observed_expiries(h), anomalies.windows(), loads_ps.size(),
                     kExpiryEvictionOrEarlyRebuild, r.details);
  r.details["read_latency_around_expiries"] = latency_json(latencies.around);
  r.details["read_latency_otherwise"] = latency_json(latencies.rest);
  anomalies.store_into(r);
  return r;
}

}  // namespace redproof
