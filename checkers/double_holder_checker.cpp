#include "checkers/double_holder_checker.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "checkers/anomaly_collector.hpp"

namespace redproof {

namespace {

// One period during which a process held (or believed it held) a lock.
struct Holding {
  std::string lock;
  std::int64_t process = 0;
  std::string owner;
  std::optional<std::int64_t> fence;
  std::int64_t acquire_invoke_ns = 0;
  std::int64_t acquired_ns = 0;  // the acquire's ok
  std::int64_t until_ns = 0;     // end of the believed interval, extended by late writes
  std::string ended_by;          // "release", "validity", "write", "end"
  std::int64_t acquire_index = 0;
};

nlohmann::json holding_json(const Holding& h) {
  nlohmann::json j = {{"process", h.process},         {"owner", h.owner},
                      {"acquired_ns", h.acquired_ns}, {"until_ns", h.until_ns},
                      {"ended_by", h.ended_by},       {"acquire_index", h.acquire_index}};
  if (h.fence) j["fence"] = *h.fence;
  return j;
}

nlohmann::json parse_value(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, false);
}

std::optional<std::int64_t> int_field(const nlohmann::json& v, const char* name) {
  if (v.is_object() && v.contains(name) && v[name].is_number_integer()) {
    return v[name].get<std::int64_t>();
  }
  return std::nullopt;
}

std::string string_field(const nlohmann::json& v, const char* name) {
  if (v.is_object() && v.contains(name) && v[name].is_string()) return v[name];
  return {};
}

struct Write {
  std::string lock;
  std::int64_t process = 0;
  std::optional<std::int64_t> fence;
  std::int64_t invoke_ns = 0;
  std::int64_t complete_ns = 0;
  std::int64_t index = 0;
};

// What one pass over the history learns: every holding, every accepted write, the counts.
struct Holdings {
  std::vector<Holding> all;
  std::vector<Write> accepted_writes;
  std::vector<Write> rejected_writes;  // refused by the resource as stale
  std::int64_t acquisitions = 0, releases = 0, writes_accepted = 0, writes_rejected = 0,
               writes_skipped = 0;
};

class HoldingTracker {
 public:
  void invoke(const Op& op) {
    in_flight_[op.process] = &op;
    if (op.f == "release") close(op.process, op.time, "release");
  }

  void complete(const Op& op) {
    auto it = in_flight_.find(op.process);
    if (it == in_flight_.end()) return;
    const Op& invoke = *it->second;
    in_flight_.erase(it);
    if (op.f == "acquire" && op.type == OpType::kOk) acquired(invoke, op);
    if (op.f == "release" && op.type == OpType::kOk) ++out_.releases;
    if (op.f == "write") wrote(invoke, op);
    if (op.f == "renew") renewed(invoke, op);
  }

  Holdings finish(std::int64_t end_ns) {
    for (auto& h : out_.all) {
      if (h.until_ns == INT64_MAX) {
        h.until_ns = end_ns;
        h.ended_by = "end";
      }
    }
    return std::move(out_);
  }

 private:
  void close(std::int64_t process, std::int64_t at_ns, const char* why) {
    auto it = open_.find(process);
    if (it == open_.end()) return;
    Holding& h = out_.all[it->second];
    if (at_ns < h.until_ns) {
      h.until_ns = std::max(at_ns, h.acquired_ns);
      h.ended_by = why;
    }
    open_.erase(it);
  }

  void acquired(const Op& invoke, const Op& op) {
    close(op.process, op.time, "release");  // a second acquire without release ends the first
    auto v = parse_value(op.value);
    Holding h;
    h.lock = op.key.value_or("");
    h.process = op.process;
    h.owner = string_field(v, "owner");
    h.fence = int_field(v, "fence");
    h.acquire_invoke_ns = invoke.time;
    h.acquired_ns = op.time;
    h.acquire_index = op.index;
    auto validity_ms = int_field(v, "validity_ms");
    // No validity given: the holder believes it holds until it releases.
    h.until_ns = validity_ms ? invoke.time + *validity_ms * 1000000 : INT64_MAX;
    h.ended_by = "validity";
    out_.all.push_back(std::move(h));
    open_[op.process] = out_.all.size() - 1;
    ++out_.acquisitions;
  }

  // A watchdog's renewal. ok: the holder now believes in its lease until the renewal's invoke +
  // validity_ms (the new TTL started after that invoke); if its belief had already lapsed, the
  // renewal starts a new holding at its ok (nobody can say it held in between). fail: the lease
  // was gone, and the holder knows it from the failure on at the latest. info: nothing changes
  // (the holder never learnt the outcome, and its process is retired).
  void renewed(const Op& invoke, const Op& op) {
    auto it = open_.find(op.process);
    if (it == open_.end() || op.type == OpType::kInfo) return;
    if (op.type == OpType::kFail) {
      close(op.process, op.time, "renew-failed");
      return;
    }
    auto validity_ms = int_field(parse_value(op.value), "validity_ms");
    if (!validity_ms) return;
    const std::int64_t until = invoke.time + *validity_ms * 1000000;
    Holding& h = out_.all[it->second];
    if (invoke.time <= h.until_ns) {
      if (until > h.until_ns) {
        h.until_ns = until;
        h.ended_by = "validity";
      }
      return;
    }
    Holding again = h;  // lapsed: a new period of belief from this renewal's ok
    again.acquired_ns = op.time;
    again.acquire_invoke_ns = invoke.time;
    again.acquire_index = op.index;
    again.until_ns = until;
    again.ended_by = "validity";
    out_.all.push_back(std::move(again));
    it->second = out_.all.size() - 1;
  }

  void wrote(const Op& invoke, const Op& op) {
    const bool rejected = op.type == OpType::kFail && op.error == "stale-fence";
    const bool reached_resource = op.type == OpType::kOk || rejected;
    if (op.type == OpType::kOk) ++out_.writes_accepted;
    if (rejected) ++out_.writes_rejected;
    if (op.type == OpType::kFail && !reached_resource) ++out_.writes_skipped;
    if (!reached_resource) return;
    // A holder that acted on the resource held the lock in fact until the write completed.
    if (auto h = open_.find(op.process); h != open_.end()) {
      Holding& holding = out_.all[h->second];
      if (op.time > holding.until_ns) {
        holding.until_ns = op.time;
        holding.ended_by = "write";
      }
    }
    Write w{op.key.value_or(""), op.process, int_field(parse_value(invoke.value), "fence"),
            invoke.time,         op.time,    op.index};
    (op.type == OpType::kOk ? out_.accepted_writes : out_.rejected_writes).push_back(std::move(w));
  }

  Holdings out_;
  std::unordered_map<std::int64_t, std::size_t> open_;  // process -> its current holding
  std::unordered_map<std::int64_t, const Op*> in_flight_;
};

Holdings collect_holdings(const std::vector<Op>& history) {
  HoldingTracker tracker;
  std::int64_t end_ns = 0;
  for (const Op& op : history) {
    end_ns = std::max(end_ns, op.time);
    if (op.is_nemesis()) continue;
    if (op.is_invoke()) {
      tracker.invoke(op);
    } else {
      tracker.complete(op);
    }
  }
  return tracker.finish(end_ns);
}

using ByLock = std::map<std::string, std::vector<const Holding*>>;

// Holdings per lock, in the order of their acquires' oks.
ByLock by_lock(const std::vector<Holding>& holdings) {
  ByLock out;
  for (const auto& h : holdings) out[h.lock].push_back(&h);
  for (auto& [lock, list] : out) {
    std::sort(list.begin(), list.end(),
              [](const Holding* a, const Holding* b) { return a->acquired_ns < b->acquired_ns; });
  }
  return out;
}

std::string held(const Holding& h) {
  return fmt::format("process {} (owner {}, from {:.3f} s)", h.process, h.owner,
                     h.acquired_ns / 1e9);
}

Anomaly pair_anomaly(const char* name, const std::string& lock, const Holding& a,
                     const Holding& b) {
  Anomaly x;
  x.name = name;
  x.key = lock;
  x.ops = {a.acquire_index, b.acquire_index};
  // Faults during either holding: the cause often ends just before the overlap (a pause
  // between GET and DEL whose DEL then frees another's lock).
  x.from_ns = a.acquired_ns;
  x.magnitude = {{"first", holding_json(a)}, {"second", holding_json(b)}};
  return x;
}

// Two holders of one lock at once; returns how many overlaps there were (with fencing they are
// expected and only counted: the tokens are what make them safe).
std::int64_t check_overlaps(const ByLock& locks, bool fencing, AnomalyCollector& out) {
  std::int64_t overlaps = 0;
  for (const auto& [lock, list] : locks) {
    std::vector<const Holding*> active;  // sweep by start, keeping those still open
    for (const Holding* h : list) {
      std::erase_if(active, [&](const Holding* a) { return a->until_ns <= h->acquired_ns; });
      for (const Holding* a : active) {
        if (a->process == h->process) continue;
        const std::int64_t overlap = std::min(a->until_ns, h->until_ns) - h->acquired_ns;
        if (overlap < 1) continue;
        ++overlaps;
        if (fencing) continue;
        Anomaly x = pair_anomaly("double-holder", lock, *a, *h);
        x.to_ns = h->acquired_ns + overlap;
        x.magnitude["overlap_ns"] = overlap;
        x.magnitude["overlap_ms"] = overlap / 1e6;
        x.sentence = fmt::format("{} and {} both held {} for {:.1f} ms", held(*a), held(*h), lock,
                                 overlap / 1e6);
        out.add(std::move(x));
      }
      active.push_back(h);
    }
  }
  return overlaps;
}

// Fencing tokens: unique per lock, and increasing in the real-time order of acquisition (an
// acquire that began after another's ok must get a larger token). Returns the holdings whose
// token regressed.
std::vector<const Holding*> check_tokens(const ByLock& locks, AnomalyCollector& out) {
  std::vector<const Holding*> regressed;
  for (const auto& [lock, list] : locks) {
    std::map<std::int64_t, const Holding*> seen;
    for (const Holding* h : list) {
      if (!h->fence) continue;
      auto [it, fresh] = seen.emplace(*h->fence, h);
      if (fresh) continue;
      Anomaly x = pair_anomaly("duplicate-token", lock, *it->second, *h);
      x.to_ns = h->acquired_ns;
      x.magnitude["fence"] = *h->fence;
      x.sentence = fmt::format("{} and {} were both given fencing token {} on {}",
                               held(*it->second), held(*h), *h->fence, lock);
      out.add(std::move(x));
    }
    // `list` is sorted by ok time, so the running maximum of those acknowledged before this
    // one's invoke is the bound.
    std::vector<const Holding*> by_invoke(list.begin(), list.end());
    std::sort(by_invoke.begin(), by_invoke.end(), [](const Holding* a, const Holding* b) {
      return a->acquire_invoke_ns < b->acquire_invoke_ns;
    });
    std::size_t next_acked = 0;
    const Holding* highest = nullptr;
    for (const Holding* h : by_invoke) {
      while (next_acked < list.size() && list[next_acked]->acquired_ns < h->acquire_invoke_ns) {
        const Holding* a = list[next_acked++];
        if (a->fence && (!highest || *a->fence > *highest->fence)) highest = a;
      }
      if (!h->fence || !highest || *h->fence >= *highest->fence) continue;
      regressed.push_back(h);
      Anomaly x = pair_anomaly("token-regressed", lock, *highest, *h);
      x.to_ns = h->acquired_ns;
      x.magnitude["behind"] = *highest->fence - *h->fence;
      x.sentence = fmt::format("{} got fencing token {} on {} after {} had been given {}", held(*h),
                               *h->fence, lock, held(*highest), *highest->fence);
      out.add(std::move(x));
    }
  }
  return regressed;
}

// The matrix's "stall" (a restart without persistence: tokens restart lower): holders that
// rightly hold the lock, but whose token regressed, have every write refused by the resource,
// which stays safe and makes no progress. A note per lock (not a violation of its own: the
// regressed tokens are), with how many such writes were refused and the longest stretch, in
// completion order, of such refusals with no write accepted in between (from the first one's
// invoke to the last one's completion).
void note_stalls(const std::vector<const Holding*>& regressed, const Holdings& h,
                 AnomalyCollector& out) {
  std::set<std::tuple<std::string_view, std::int64_t, std::int64_t>> holders;
  for (const Holding* r : regressed) holders.emplace(r->lock, r->process, *r->fence);
  struct Seen {
    const Write* write;
    bool stalled;  // refused, from a regressed holder; otherwise accepted
  };
  std::map<std::string, std::vector<Seen>> by_lock;
  for (const Write& w : h.rejected_writes) {
    if (w.fence && holders.contains({w.lock, w.process, *w.fence}))
      by_lock[w.lock].push_back({&w, true});
  }
  for (const Write& w : h.accepted_writes) {
    if (auto it = by_lock.find(w.lock); it != by_lock.end()) it->second.push_back({&w, false});
  }
  for (auto& [lock, writes] : by_lock) {
    std::sort(writes.begin(), writes.end(), [](const Seen& a, const Seen& b) {
      return a.write->complete_ns < b.write->complete_ns;
    });
    std::size_t refused = 0, longest_from = 0, longest_to = 0, from = 0;
    std::int64_t longest_ns = -1;
    for (std::size_t i = 0; i < writes.size(); ++i) {
      if (!writes[i].stalled) continue;
      if (i == 0 || !writes[i - 1].stalled) from = i;
      ++refused;
      const std::int64_t span = writes[i].write->complete_ns - writes[from].write->invoke_ns;
      if (span > longest_ns)
        std::tie(longest_ns, longest_from, longest_to) = std::tuple(span, from, i);
    }
    Anomaly x;
    x.name = "stall";
    x.violation = false;
    x.key = lock;
    x.from_ns = writes[longest_from].write->invoke_ns;
    x.to_ns = writes[longest_to].write->complete_ns;
    for (std::size_t i = longest_from; i <= longest_to && x.ops.size() < 20; ++i) {
      x.ops.push_back(writes[i].write->index);
    }
    const double stalled_ms = longest_ns / 1e6;
    x.magnitude = {{"rejected_writes", refused}, {"longest_stall_ms", stalled_ms}};
    x.sentence = fmt::format(
        "the resource behind {} refused {} writes of holders whose fencing tokens had restarted "
        "lower, and accepted none for {:.1f} ms: no stale write got in, but the lock's holders "
        "made no progress",
        lock, refused, stalled_ms);
    out.add(std::move(x));
  }
}

// No stale write accepted: a write accepted with token t must see no write with a token > t (or
// == t from another holder) accepted before it began.
void check_stale_writes(const std::vector<Write>& accepted, AnomalyCollector& out) {
  std::map<std::string, std::vector<const Write*>> writes_by_lock;
  for (const auto& w : accepted) writes_by_lock[w.lock].push_back(&w);
  for (auto& [lock, list] : writes_by_lock) {
    std::vector<const Write*> by_complete = list;
    std::sort(by_complete.begin(), by_complete.end(),
              [](const Write* a, const Write* b) { return a->complete_ns < b->complete_ns; });
    std::vector<const Write*> by_invoke = list;
    std::sort(by_invoke.begin(), by_invoke.end(),
              [](const Write* a, const Write* b) { return a->invoke_ns < b->invoke_ns; });
    std::size_t next_done = 0;
    const Write* highest = nullptr;
    for (const Write* w : by_invoke) {
      while (next_done < by_complete.size() && by_complete[next_done]->complete_ns < w->invoke_ns) {
        const Write* d = by_complete[next_done++];
        if (d->fence && (!highest || *d->fence > *highest->fence)) highest = d;
      }
      const bool stale =
          !w->fence ||
          (highest && (*w->fence < *highest->fence ||
                       (*w->fence == *highest->fence && w->process != highest->process)));
      if (!stale) continue;
      Anomaly x;
      x.name = "stale-write-accepted";
      x.key = lock;
      x.from_ns = w->invoke_ns;
      x.to_ns = w->complete_ns;
      x.magnitude["write"] = {{"process", w->process}, {"index", w->index}};
      if (w->fence) x.magnitude["write"]["fence"] = *w->fence;
      if (highest) {
        x.ops.push_back(highest->index);
        x.magnitude["newer"] = {
            {"process", highest->process}, {"index", highest->index}, {"fence", *highest->fence}};
      }
      x.ops.push_back(w->index);
      x.sentence = fmt::format(
          "the resource behind {} accepted a write by process {} with token {} after a write "
          "with token {} had been accepted",
          lock, w->process, w->fence ? std::to_string(*w->fence) : std::string("none"),
          highest ? std::to_string(*highest->fence) : std::string("none"));
      out.add(std::move(x));
    }
  }
}

}  // namespace

CheckResult DoubleHolderChecker::check(const std::vector<Op>& history) {
  const Holdings h = collect_holdings(history);
  const ByLock locks = by_lock(h.all);
  AnomalyCollector anomalies(history, options_.max_reported);
  const std::int64_t overlaps = check_overlaps(locks, options_.fencing, anomalies);
  if (options_.fencing) {
    note_stalls(check_tokens(locks, anomalies), h, anomalies);
    check_stale_writes(h.accepted_writes, anomalies);
  }
  CheckResult result;
  result.details["stats"] = {{"acquisitions", h.acquisitions},
                             {"releases", h.releases},
                             {"writes_accepted", h.writes_accepted},
                             {"writes_rejected", h.writes_rejected},
                             {"writes_skipped", h.writes_skipped},
                             {"overlaps", overlaps},
                             {"holders", static_cast<std::int64_t>(h.all.size())}};
  result.details["fencing"] = options_.fencing;
  anomalies.store_into(result);
  return result;
}

}  // namespace redproof
