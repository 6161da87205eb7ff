#include "checkers/double_holder_checker.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "checkers/fault_windows.hpp"

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

}  // namespace

CheckResult DoubleHolderChecker::check(const std::vector<Op>& history) {
  std::vector<Holding> holdings;
  std::unordered_map<std::int64_t, std::size_t> open;  // process -> its current holding
  std::unordered_map<std::int64_t, const Op*> in_flight;
  std::vector<Write> accepted_writes;
  std::int64_t acquisitions = 0, releases = 0, writes_accepted = 0, writes_rejected = 0,
               writes_skipped = 0;
  std::int64_t end_ns = 0;

  auto close = [&](std::int64_t process, std::int64_t at_ns, const char* why) {
    auto it = open.find(process);
    if (it == open.end()) return;
    Holding& h = holdings[it->second];
    if (at_ns < h.until_ns) {
      h.until_ns = std::max(at_ns, h.acquired_ns);
      h.ended_by = why;
    }
    open.erase(it);
  };

  for (const Op& op : history) {
    end_ns = std::max(end_ns, op.time);
    if (op.is_nemesis()) continue;
    if (op.is_invoke()) {
      in_flight[op.process] = &op;
      if (op.f == "release") close(op.process, op.time, "release");
      continue;
    }
    auto it = in_flight.find(op.process);
    if (it == in_flight.end()) continue;
    const Op& invoke = *it->second;
    in_flight.erase(it);
    const std::string lock = op.key.value_or("");
    if (op.f == "acquire" && op.type == OpType::kOk) {
      close(op.process, op.time, "release");  // a second acquire without release ends the first
      auto v = parse_value(op.value);
      Holding h;
      h.lock = lock;
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
      holdings.push_back(std::move(h));
      open[op.process] = holdings.size() - 1;
      ++acquisitions;
    } else if (op.f == "release" && op.type == OpType::kOk) {
      ++releases;
    } else if (op.f == "write") {
      const bool reached_resource =
          op.type == OpType::kOk || (op.type == OpType::kFail && op.error == "stale-fence");
      if (op.type == OpType::kOk) ++writes_accepted;
      if (op.type == OpType::kFail && op.error == "stale-fence") ++writes_rejected;
      if (op.type == OpType::kFail && !reached_resource) ++writes_skipped;
      if (!reached_resource) continue;
      auto h = open.find(op.process);
      if (h != open.end()) {
        Holding& holding = holdings[h->second];
        if (op.time > holding.until_ns) {
          holding.until_ns = op.time;
          holding.ended_by = "write";
        }
      }
      if (op.type == OpType::kOk) {
        auto v = parse_value(invoke.value);
        accepted_writes.push_back(
            {lock, op.process, int_field(v, "fence"), invoke.time, op.time, op.index});
      }
    }
  }
  for (auto& h : holdings) {
    if (h.until_ns == INT64_MAX) {
      h.until_ns = end_ns;
      h.ended_by = "end";
    }
  }

  const auto windows = fault_windows(history);
  nlohmann::json violations = nlohmann::json::array();
  std::int64_t violation_count = 0;
  auto report = [&](nlohmann::json v, std::int64_t from_ns, std::int64_t to_ns) {
    ++violation_count;
    if (violations.size() >= options_.max_reported) return;
    v["faults"] = active_faults(windows, from_ns, to_ns);
    violations.push_back(std::move(v));
  };

  // Overlaps, per lock: sweep intervals by start, keeping those still open.
  std::map<std::string, std::vector<const Holding*>> by_lock;
  for (const auto& h : holdings) by_lock[h.lock].push_back(&h);
  std::int64_t overlaps = 0;
  for (auto& [lock, list] : by_lock) {
    std::sort(list.begin(), list.end(),
              [](const Holding* a, const Holding* b) { return a->acquired_ns < b->acquired_ns; });
    std::vector<const Holding*> active;
    for (const Holding* h : list) {
      std::erase_if(active, [&](const Holding* a) { return a->until_ns <= h->acquired_ns; });
      for (const Holding* a : active) {
        if (a->process == h->process) continue;
        const std::int64_t overlap = std::min(a->until_ns, h->until_ns) - h->acquired_ns;
        if (overlap < 1) continue;
        ++overlaps;
        if (options_.fencing) continue;  // tokens make overlaps safe; checked below
        report({{"kind", "double-holder"},
                {"lock", lock},
                {"first", holding_json(*a)},
                {"second", holding_json(*h)},
                {"overlap_ns", overlap},
                {"overlap_ms", overlap / 1e6}},
               // Faults during either holding: the cause often ends just before the overlap
               // (a pause between GET and DEL whose DEL then frees another's lock).
               a->acquired_ns, h->acquired_ns + overlap);
      }
      active.push_back(h);
    }
  }

  if (options_.fencing) {
    for (auto& [lock, list] : by_lock) {
      // Unique tokens.
      std::map<std::int64_t, const Holding*> seen;
      for (const Holding* h : list) {
        if (!h->fence) continue;
        auto [it, fresh] = seen.emplace(*h->fence, h);
        if (!fresh) {
          report({{"kind", "duplicate-fence"},
                  {"lock", lock},
                  {"fence", *h->fence},
                  {"first", holding_json(*it->second)},
                  {"second", holding_json(*h)}},
                 it->second->acquired_ns, h->acquired_ns);
        }
      }
      // Increasing in real-time order: an acquire that began after another's ok must get a
      // larger token. Holdings are sorted by ok time, so the running maximum of those already
      // acknowledged before this one's invoke is the bound.
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
        if (h->fence && highest && *h->fence < *highest->fence) {
          report({{"kind", "fence-regression"},
                  {"lock", lock},
                  {"first", holding_json(*highest)},
                  {"second", holding_json(*h)}},
                 highest->acquired_ns, h->acquired_ns);
        }
      }
    }
    // No stale write accepted: a write accepted with token t must see no write with a token > t
    // (or == t from another holder) accepted before it began.
    std::map<std::string, std::vector<const Write*>> writes_by_lock;
    for (const auto& w : accepted_writes) writes_by_lock[w.lock].push_back(&w);
    for (auto& [lock, list] : writes_by_lock) {
      std::vector<const Write*> by_complete = list;
      std::sort(by_complete.begin(), by_complete.end(),
                [](const Write* a, const Write* b) { return a->complete_ns < b->complete_ns; });
      std::size_t next_done = 0;
      const Write* highest = nullptr;
      std::vector<const Write*> by_invoke = list;
      std::sort(by_invoke.begin(), by_invoke.end(),
                [](const Write* a, const Write* b) { return a->invoke_ns < b->invoke_ns; });
      for (const Write* w : by_invoke) {
        while (next_done < by_complete.size() &&
               by_complete[next_done]->complete_ns < w->invoke_ns) {
          const Write* d = by_complete[next_done++];
          if (d->fence && (!highest || *d->fence > *highest->fence)) highest = d;
        }
        const bool stale =
            !w->fence ||
            (highest && (*w->fence < *highest->fence ||
                         (*w->fence == *highest->fence && w->process != highest->process)));
        if (stale) {
          nlohmann::json v = {{"kind", "stale-write-accepted"},
                              {"lock", lock},
                              {"write", {{"process", w->process}, {"index", w->index}}}};
          if (w->fence) v["write"]["fence"] = *w->fence;
          if (highest) {
            v["newer"] = {{"process", highest->process},
                          {"index", highest->index},
                          {"fence", *highest->fence}};
          }
          report(std::move(v), w->invoke_ns, w->complete_ns);
        }
      }
    }
  }

  CheckResult result;
  result.valid = violation_count == 0 ? Validity::kValid : Validity::kInvalid;
  result.details["violations"] = std::move(violations);
  result.details["violation_count"] = violation_count;
  result.details["stats"] = {{"acquisitions", acquisitions},
                             {"releases", releases},
                             {"writes_accepted", writes_accepted},
                             {"writes_rejected", writes_rejected},
                             {"writes_skipped", writes_skipped},
                             {"overlaps", overlaps},
                             {"holders", static_cast<std::int64_t>(holdings.size())}};
  result.details["fencing"] = options_.fencing;
  return result;
}

}  // namespace redproof
