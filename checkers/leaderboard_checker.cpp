#include "checkers/leaderboard_checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string_view>
#include <unordered_map>

#include "checkers/anomaly_collector.hpp"

namespace redproof {

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// One member's increments: ok ones by completion, possible ones (not fail) by invoke, each with
// the running sum of `by`, so that a read's bounds are two binary searches.
struct MemberIncrements {
  std::vector<std::pair<std::int64_t, double>> ok_done;   // (completion index, sum so far)
  std::vector<std::pair<std::int64_t, double>> possible;  // (invoke index, sum so far)
  std::int64_t unknown = 0;

  static double sum_before(const std::vector<std::pair<std::int64_t, double>>& v,
                           std::int64_t index) {
    auto it = std::lower_bound(v.begin(), v.end(), std::make_pair(index, -HUGE_VAL));
    return it == v.begin() ? 0 : std::prev(it)->second;
  }
  double certain_before(std::int64_t invoke) const { return sum_before(ok_done, invoke); }
  double possible_before(std::int64_t done) const { return sum_before(possible, done); }
};

struct Read {
  const Op* invoke = nullptr;
  const Op* done = nullptr;
};

struct Board {
  std::unordered_map<std::string, MemberIncrements> members;
  std::vector<Read> reads;  // ok top and read operations, in completion order
};

struct Increment {
  const Op* invoke = nullptr;
  std::string member;
  double by = 0;
};

// The workload's own shape, {"member":"m3","by":2}, read without building a JSON tree (one per
// increment is most of a history); anything else goes through the JSON parser.
bool parse_increment_fast(const std::string& v, Increment& out) {
  constexpr std::string_view head = R"({"member":")";
  constexpr std::string_view mid = R"(","by":)";
  if (v.compare(0, head.size(), head) != 0) return false;
  const auto end = v.find('"', head.size());
  if (end == std::string::npos || v.compare(end, mid.size(), mid) != 0) return false;
  std::int64_t by = 0;
  std::size_t i = end + mid.size();
  const std::size_t digits = i;
  for (; i < v.size() && v[i] >= '0' && v[i] <= '9'; ++i) by = by * 10 + (v[i] - '0');
  if (i == digits || i + 1 != v.size() || v[i] != '}') return false;
  if (v.find('\\', head.size()) < end) return false;  // escapes: leave to the parser
  out.member.assign(v, head.size(), end - head.size());
  out.by = static_cast<double>(by);
  return true;
}

bool parse_increment(const Op& invoke, Increment& out) {
  out.invoke = &invoke;
  if (parse_increment_fast(invoke.value, out)) return true;
  auto v = nlohmann::json::parse(invoke.value, nullptr, false);
  if (!v.is_object() || !v.contains("member") || !v.contains("by")) return false;
  if (!v["by"].is_number()) return false;
  out.member = v["member"].is_string() ? v["member"].get<std::string>() : v["member"].dump();
  out.by = v["by"].get<double>();
  return true;
}

void add_increment(Board& b, const Increment& inc, const Op* done) {
  MemberIncrements& m = b.members[inc.member];
  const OpType t = done ? done->type : OpType::kInfo;
  if (t == OpType::kFail) return;
  if (t == OpType::kOk) m.ok_done.push_back({done->index, inc.by});
  if (t == OpType::kInfo) ++m.unknown;
  m.possible.push_back({inc.invoke->index, inc.by});
}

// Sorts each member's increments and turns `by` into running sums.
void finish(Board& b) {
  for (auto& [name, m] : b.members) {
    for (auto* v : {&m.ok_done, &m.possible}) {
      std::sort(v->begin(), v->end());
      double sum = 0;
      for (auto& [index, by] : *v) by = (sum += by);
    }
  }
}

std::map<std::string, Board> collect(const std::vector<Op>& history) {
  std::map<std::string, Board> boards;
  std::unordered_map<std::int64_t, Increment> open_incr;
  std::unordered_map<std::int64_t, const Op*> open_read;
  for (const Op& e : history) {
    if (e.is_nemesis() || !e.key) continue;
    if (e.f == "incr") {
      if (e.is_invoke()) {
        Increment inc;
        if (parse_increment(e, inc)) open_incr[e.process] = std::move(inc);
      } else if (auto it = open_incr.find(e.process); it != open_incr.end()) {
        add_increment(boards[*e.key], it->second, &e);
        open_incr.erase(it);
      }
    } else if (e.f == "top" || e.f == "read") {
      if (e.is_invoke()) {
        open_read[e.process] = &e;
      } else if (auto it = open_read.find(e.process); it != open_read.end()) {
        if (e.type == OpType::kOk) boards[*e.key].reads.push_back({it->second, &e});
        open_read.erase(it);
      }
    }
  }
  for (auto& [process, inc] : open_incr) add_increment(boards[*inc.invoke->key], inc, nullptr);
  for (auto& [key, b] : boards) finish(b);
  return boards;
}

// The (member, score) pairs of a read ({m: s}) or a top ([[m, s], ...]).
std::vector<std::pair<std::string, double>> scores_of(const Op& done) {
  std::vector<std::pair<std::string, double>> out;
  auto v = nlohmann::json::parse(done.value, nullptr, false);
  if (v.is_object()) {
    for (auto& [m, s] : v.items()) {
      if (s.is_number()) out.push_back({m, s.get<double>()});
    }
  } else if (v.is_array()) {
    for (auto& pair : v) {
      if (pair.is_array() && pair.size() == 2 && pair[1].is_number()) {
        out.push_back({pair[0].is_string() ? pair[0].get<std::string>() : pair[0].dump(),
                       pair[1].get<double>()});
      }
    }
  }
  return out;
}

constexpr double kEpsilon = 1e-6;  // scores are sums of integers sent as doubles

class BoardJudge {
 public:
  BoardJudge(const std::string& key, const Board& board, AnomalyCollector& anomalies)
      : key_(key), board_(board), anomalies_(anomalies) {}

  void judge_final(const Read& r) {
    auto scores = scores_of(*r.done);
    std::unordered_map<std::string, double> seen(scores.begin(), scores.end());
    for (const auto& [member, incs] : board_.members) {
      auto it = seen.find(member);
      const double score = it == seen.end() ? 0 : it->second;
      const double low = incs.certain_before(r.invoke->index);
      const double high = incs.possible_before(r.done->index);
      if (score < low - kEpsilon) report("lost-increment", r, member, score, low, high);
      if (score > high + kEpsilon) report("double-count", r, member, score, low, high);
      if (it != seen.end()) seen.erase(it);
    }
    for (const auto& [member, score] : seen) {
      if (score > kEpsilon) report("double-count", r, member, score, 0, 0);
    }
  }

  void judge_during(const Read& r) {
    for (const auto& [member, score] : scores_of(*r.done)) {
      auto it = board_.members.find(member);
      const double low =
          it == board_.members.end() ? 0 : it->second.certain_before(r.invoke->index);
      const double high =
          it == board_.members.end() ? 0 : it->second.possible_before(r.done->index);
      if (score < low - kEpsilon || score > high + kEpsilon) {
        report("impossible-score", r, member, score, low, high);
      }
    }
  }

 private:
  void report(const char* name, const Read& r, const std::string& member, double score, double low,
              double high) {
    Anomaly a;
    a.name = name;
    a.key = key_;
    a.ops = {r.invoke->index, r.done->index};
    a.from_ns = r.invoke->time;
    a.to_ns = r.done->time;
    a.magnitude = {{"member", member}, {"score", score}, {"acknowledged", low}, {"possible", high}};
    const bool below = score < low;
    a.sentence = fmt::format(
        "a {} of {} during the run showed {} at {:g}, {} the {:g} its increments allow then "
        "({:g} certainly applied, at most {:g} possible)",
        r.invoke->f, key_, member, score, below ? "below" : "above", below ? low : high, low, high);
    if (std::string(name) != "impossible-score") {
      a.sentence = fmt::format(
          "the final read of {} found {} at {:g}, {} the {:g} its increments allow ({:g} "
          "acknowledged, {:g} at most with unknown ones)",
          key_, member, score, below ? "below" : "above", below ? low : high, low, high);
    }
    anomalies_.add(std::move(a));
  }

  const std::string& key_;
  const Board& board_;
  AnomalyCollector& anomalies_;
};

}  // namespace

CheckResult LeaderboardChecker::check(const std::vector<Op>& history) {
  auto boards = collect(history);
  AnomalyCollector anomalies(history);
  bool decided = true;
  std::int64_t increments = 0, unknown = 0, reads = 0;
  for (const auto& [key, board] : boards) {
    for (const auto& [m, incs] : board.members) {
      increments += static_cast<std::int64_t>(incs.possible.size());
      unknown += incs.unknown;
    }
    BoardJudge judge(key, board, anomalies);
    const Read* final_read = nullptr;
    for (const Read& r : board.reads) {
      if (r.invoke->f == "read") final_read = &r;
    }
    for (const Read& r : board.reads) {
      ++reads;
      if (&r != final_read) judge.judge_during(r);
    }
    if (final_read) judge.judge_final(*final_read);
    if (!final_read && !board.members.empty()) decided = false;
  }
  CheckResult r;
  r.details["boards"] = boards.size();
  r.details["increments"] = increments;
  r.details["unknown_increments"] = unknown;
  r.details["reads"] = reads;
  anomalies.store_into(r, decided);
  return r;
}

}  // namespace redproof
