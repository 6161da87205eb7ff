#include "checkers/session_checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "checkers/anomaly_collector.hpp"

namespace redproof {

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// One session operation, its invoke paired with its completion.
struct SessionOp {
  const Op* invoke = nullptr;
  const Op* done = nullptr;  // null: never completed (an info)
  std::int64_t ttl_ms = 0;
  // The state the sweep saw when the refresh began (what completed before its invoke).
  std::int64_t logout_invoke = -1;  // latest invoke among logouts that completed ok
  const SessionOp* setter = nullptr;

  OpType type() const { return done ? done->type : OpType::kInfo; }
  std::int64_t done_index() const {
    return done && done->type != OpType::kInfo ? done->index : kNever;
  }
  bool has_data() const { return done && done->type == OpType::kOk && done->value != "null"; }
  bool sets_ttl() const {
    return invoke->f == "login" || (invoke->f == "refresh" && type() == OpType::kOk && has_data());
  }
};

// ttl_ms from {"ttl_ms": T}, without building a JSON tree (one per operation).
std::int64_t ttl_of(const std::string& value, std::int64_t fallback) {
  const auto at = value.find("\"ttl_ms\"");
  if (at == std::string::npos) return fallback;
  const auto colon = value.find(':', at);
  if (colon == std::string::npos) return fallback;
  std::int64_t v = 0;
  bool any = false;
  for (std::size_t i = colon + 1; i < value.size(); ++i) {
    const char c = value[i];
    if (c == ' ') continue;
    if (c < '0' || c > '9') break;
    v = v * 10 + (c - '0');
    any = true;
  }
  return any ? v : fallback;
}

// Pairs each session invoke with its completion; indexed by the invoke's history index.
std::vector<SessionOp> pair_ops(const std::vector<Op>& history, std::int64_t default_ttl,
                                std::vector<std::int32_t>& by_index) {
  std::vector<SessionOp> ops;
  std::unordered_map<std::int64_t, std::int32_t> open;  // process -> op
  by_index.assign(history.size(), -1);
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Op& e = history[i];
    if (e.is_nemesis() || !e.key) continue;
    if (e.f != "login" && e.f != "refresh" && e.f != "logout") continue;
    if (e.is_invoke()) {
      SessionOp s;
      s.invoke = &e;
      s.ttl_ms = ttl_of(e.value, default_ttl);
      open[e.process] = static_cast<std::int32_t>(ops.size());
      by_index[i] = static_cast<std::int32_t>(ops.size());
      ops.push_back(s);
    } else if (auto it = open.find(e.process); it != open.end()) {
      ops[it->second].done = &e;
      by_index[i] = it->second;
      open.erase(it);
    }
  }
  return ops;
}

// What the sweep knows about one session at a point of the history.
struct SessionState {
  std::int64_t logout_invoke = -1;    // latest invoke of a logout that completed ok
  std::int64_t login_done_max = -1;   // latest completion of a login invoked so far
  std::int64_t logout_done_max = -1;  // latest completion of a logout invoked so far
  std::int64_t min_ttl_ms = kNever;   // smallest TTL any setter invoked so far asked for
  const SessionOp* setter = nullptr;  // completed ok, latest invoke
};

class Sweep {
 public:
  Sweep(const std::vector<Op>& history, AnomalyCollector& anomalies)
      : history_(history), anomalies_(anomalies) {}

  void invoked(SessionOp& op, SessionState& s) {
    const std::string& f = op.invoke->f;
    if (op.type() == OpType::kFail) return;  // never happened
    if (f == "login") s.login_done_max = std::max(s.login_done_max, op.done_index());
    if (f == "logout") s.logout_done_max = std::max(s.logout_done_max, op.done_index());
    if (f == "login" || f == "refresh") s.min_ttl_ms = std::min(s.min_ttl_ms, op.ttl_ms);
    if (f == "refresh") {
      op.logout_invoke = s.logout_invoke;
      op.setter = s.setter;
    }
  }

  void completed(SessionOp& op, SessionState& s) {
    if (op.type() != OpType::kOk) return;
    const std::string& f = op.invoke->f;
    if (f == "logout") s.logout_invoke = std::max(s.logout_invoke, op.invoke->index);
    if (op.sets_ttl() && (!s.setter || s.setter->invoke->index < op.invoke->index)) s.setter = &op;
    if (f != "refresh") return;
    ++refreshes_;
    if (op.has_data()) {
      check_resurrected(op, s);
    } else {
      check_forced_logout(op, s);
    }
  }

  std::int64_t refreshes() const { return refreshes_; }

 private:
  void check_resurrected(const SessionOp& r, const SessionState& s) {
    if (r.logout_invoke < 0) return;
    // A login that ended after the logout began may have taken effect after it.
    if (s.login_done_max > r.logout_invoke) return;
    const Op& logout = history_[static_cast<std::size_t>(r.logout_invoke)];
    Anomaly a;
    a.name = "resurrected-session";
    a.key = *r.invoke->key;
    a.ops = {logout.index, r.invoke->index, r.done->index};
    a.from_ns = logout.time;
    a.to_ns = r.done->time;
    a.magnitude = {{"after_logout_ms", (r.invoke->time - logout.time) / 1e6}};
    a.sentence = fmt::format(
        "session {} was logged out (process {}) yet a refresh begun {:.1f} ms later still found "
        "its data, with no login since",
        a.key, logout.process, (r.invoke->time - logout.time) / 1e6);
    anomalies_.add(std::move(a));
  }

  void check_forced_logout(const SessionOp& r, const SessionState& s) {
    const SessionOp* x = r.setter;
    if (!x) return;
    // A logout that ended after X began may have taken effect between X and this refresh.
    if (s.logout_done_max > x->invoke->index) return;
    const std::int64_t ttl_ms = std::min(x->ttl_ms, s.min_ttl_ms);
    const std::int64_t deadline = x->invoke->time + ttl_ms * 1'000'000;
    if (r.done->time >= deadline) return;
    Anomaly a;
    a.name = "forced-logout";
    a.key = *r.invoke->key;
    a.ops = {x->invoke->index, r.invoke->index, r.done->index};
    a.from_ns = x->invoke->time;
    a.to_ns = r.done->time;
    a.magnitude = {{"ttl_ms", ttl_ms}, {"before_expiry_ms", (deadline - r.done->time) / 1e6}};
    a.sentence = fmt::format(
        "session {} was gone {:.1f} ms before its TTL of {} ms could have expired it (last "
        "kept alive by a {} begun at {:.3f} s), with no logout since",
        a.key, (deadline - r.done->time) / 1e6, ttl_ms, x->invoke->f, x->invoke->time / 1e9);
    anomalies_.add(std::move(a));
  }

  const std::vector<Op>& history_;
  AnomalyCollector& anomalies_;
  std::int64_t refreshes_ = 0;
};

}  // namespace

CheckResult SessionChecker::check(const std::vector<Op>& history) {
  std::vector<std::int32_t> by_index;
  std::vector<SessionOp> ops = pair_ops(history, default_ttl_ms_, by_index);
  AnomalyCollector anomalies(history);
  Sweep sweep(history, anomalies);
  std::unordered_map<std::string_view, SessionState> sessions;
  for (std::size_t i = 0; i < history.size(); ++i) {
    if (by_index[i] < 0) continue;
    SessionOp& op = ops[static_cast<std::size_t>(by_index[i])];
    SessionState& s = sessions[*op.invoke->key];
    if (history[i].is_invoke()) {
      sweep.invoked(op, s);
    } else {
      sweep.completed(op, s);
    }
  }
  CheckResult r;
  r.details["sessions"] = sessions.size();
  r.details["refreshes"] = sweep.refreshes();
  anomalies.store_into(r);
  return r;
}

}  // namespace redproof
