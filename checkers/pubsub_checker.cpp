#include "checkers/pubsub_checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <string_view>
#include <unordered_map>

#include "checkers/anomaly_collector.hpp"

namespace redproof {

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

struct Publish {
  const Op* invoke = nullptr;
  const Op* done = nullptr;  // null: never completed
  bool ok() const { return done && done->type == OpType::kOk; }
};

struct Subscription {
  std::int64_t process = 0;
  std::string_view channel;
  const Op* invoke = nullptr;
  const Op* confirmed = nullptr;       // the subscribe's ok
  const Op* unsubscribe = nullptr;     // its invoke; null: never asked to stop
  std::vector<std::int32_t> received;  // publishes (indexes into Collected::publishes)
};

struct Collected {
  std::vector<Publish> publishes;
  std::unordered_map<std::string_view, std::vector<std::int32_t>> by_channel;  // invoke order
  std::vector<Subscription> subscriptions;
  std::int64_t unexpected = 0;  // received ids no publish carried
};

// Indexes the publishes, the subscriptions and what each received, in one pass.
class Collector {
 public:
  Collected run(const std::vector<Op>& history) {
    ids_.reserve(history.size() / 4);
    for (const Op& e : history) {
      if (e.is_nemesis() || !e.key) continue;
      if (e.is_invoke()) {
        invoked(e);
      } else {
        completed(e);
      }
    }
    for (auto& [s, text] : receives_) {
      auto it = ids_.find(text);
      if (it == ids_.end()) {
        ++out_.unexpected;
      } else {
        out_.subscriptions[s].received.push_back(it->second);
      }
    }
    return std::move(out_);
  }

 private:
  void invoked(const Op& e) {
    open_[e.process] = &e;
    if (e.f == "publish") {
      open_publish_[e.process] = static_cast<std::int32_t>(out_.publishes.size());
      ids_.emplace(e.value, static_cast<std::int32_t>(out_.publishes.size()));
      out_.by_channel[*e.key].push_back(static_cast<std::int32_t>(out_.publishes.size()));
      out_.publishes.push_back({&e, nullptr});
    } else if (e.f == "unsubscribe") {
      auto it = current_.find({e.process, *e.key});
      if (it != current_.end()) out_.subscriptions[it->second].unsubscribe = &e;
    }
  }

  void completed(const Op& e) {
    auto open = open_.find(e.process);
    if (open == open_.end()) return;
    const Op& invoke = *open->second;
    open_.erase(open);
    if (e.f == "publish") {
      out_.publishes[open_publish_[e.process]].done = &e;
    } else if (e.f == "subscribe" && e.type == OpType::kOk) {
      const auto key = std::make_pair(e.process, std::string_view(*e.key));
      if (auto it = current_.find(key); it != current_.end()) {
        out_.subscriptions[it->second].unsubscribe = nullptr;  // merged: no end to judge by
      }
      current_[key] = out_.subscriptions.size();
      out_.subscriptions.push_back({e.process, *e.key, &invoke, &e, nullptr, {}});
    } else if (e.f == "receive" && e.type == OpType::kOk) {
      auto it = current_.find({e.process, *e.key});
      if (it != current_.end()) receives_.push_back({it->second, e.value});
    }
  }

  Collected out_;
  std::unordered_map<std::int64_t, const Op*> open_;
  std::unordered_map<std::int64_t, std::int32_t> open_publish_;
  std::unordered_map<std::string_view, std::int32_t> ids_;
  std::map<std::pair<std::int64_t, std::string_view>, std::size_t> current_;
  std::vector<std::pair<std::size_t, std::string_view>> receives_;
};

struct Tally {
  std::int64_t subscriptions = 0, expected = 0, received = 0, lost = 0, missed_before = 0;
};

// Judges one subscription against the publishes of its channel.
class SubscriptionJudge {
 public:
  SubscriptionJudge(const Collected& c, AnomalyCollector& anomalies)
      : c_(c), anomalies_(anomalies), mark_(c.publishes.size(), -1) {}

  void judge(std::size_t s_index, Tally& tally) {
    const Subscription& s = c_.subscriptions[s_index];
    const auto stamp = static_cast<std::int32_t>(s_index);
    // The invoke of the latest message received from each publisher process.
    std::unordered_map<std::int64_t, std::int64_t> last_from;
    std::int64_t limit = s.unsubscribe ? s.unsubscribe->index : -1;
    for (std::int32_t p : s.received) {
      mark_[p] = stamp;
      const Op& inv = *c_.publishes[p].invoke;
      auto& last = last_from[inv.process];
      last = std::max(last, inv.index);
      limit = std::max(limit, inv.index);
    }
    const std::int64_t end = s.unsubscribe ? s.unsubscribe->index : kNever;
    auto channel = c_.by_channel.find(s.channel);
    if (channel == c_.by_channel.end()) return;
    const auto& pubs = channel->second;
    auto first = std::lower_bound(
        pubs.begin(), pubs.end(), s.confirmed->index,
        [&](std::int32_t p, std::int64_t i) { return c_.publishes[p].invoke->index < i; });
    for (auto it = first; it != pubs.begin();) {  // in flight while subscribing
      const Publish& m = c_.publishes[*--it];
      if (m.invoke->index < s.invoke->index) break;
      if (m.ok() && mark_[*it] != stamp) ++tally.missed_before;
    }
    std::vector<std::int32_t> lost;
    std::int64_t expected = 0;
    for (auto it = first; it != pubs.end() && c_.publishes[*it].invoke->index <= limit; ++it) {
      const Publish& m = c_.publishes[*it];
      if (!m.ok()) continue;
      auto later = last_from.find(m.invoke->process);
      const bool before_later = later != last_from.end() && m.done->index < later->second;
      if (m.done->index >= end && !before_later) continue;
      ++expected;
      if (mark_[*it] != stamp) lost.push_back(*it);
    }
    ++tally.subscriptions;
    tally.expected += expected;
    tally.received += expected - static_cast<std::int64_t>(lost.size());
    tally.lost += static_cast<std::int64_t>(lost.size());
    if (!lost.empty()) report(s, lost, expected);
  }

 private:
  void report(const Subscription& s, const std::vector<std::int32_t>& lost, std::int64_t expected) {
    Anomaly a;
    a.name = "lost-while-subscribed";
    a.key = std::string(s.channel);
    a.ops.push_back(s.confirmed->index);
    for (std::size_t i = 0; i < lost.size() && i < 5; ++i) {
      a.ops.push_back(c_.publishes[lost[i]].invoke->index);
    }
    if (s.unsubscribe) a.ops.push_back(s.unsubscribe->index);
    a.from_ns = c_.publishes[lost.front()].invoke->time;
    a.to_ns = s.unsubscribe ? s.unsubscribe->time : c_.publishes[lost.back()].done->time;
    a.magnitude = {{"process", s.process},
                   {"lost", lost.size()},
                   {"expected", expected},
                   {"first_lost", nlohmann::json::parse(c_.publishes[lost.front()].invoke->value,
                                                        nullptr, false)}};
    a.sentence = fmt::format(
        "subscriber process {} on {} never received {} of the {} messages published while it "
        "was subscribed{}",
        s.process, s.channel, lost.size(), expected,
        s.unsubscribe && s.unsubscribe->index >= 0 ? "" : "");
    anomalies_.add(std::move(a));
  }

  const Collected& c_;
  AnomalyCollector& anomalies_;
  std::vector<std::int32_t> mark_;  // publish -> the subscription that received it last judged
};

nlohmann::json subscriber_json(const Tally& t) {
  return {{"subscriptions", t.subscriptions},
          {"expected", t.expected},
          {"received", t.received},
          {"lost", t.lost},
          {"delivery_ratio", t.expected ? static_cast<double>(t.received) / t.expected : 1.0}};
}

}  // namespace

CheckResult PubsubChecker::check(const std::vector<Op>& history) {
  Collected c = Collector().run(history);
  AnomalyCollector anomalies(history);
  SubscriptionJudge judge(c, anomalies);
  std::map<std::int64_t, Tally> per_process;
  Tally total;
  for (std::size_t s = 0; s < c.subscriptions.size(); ++s) {
    Tally& t = per_process[c.subscriptions[s].process];
    Tally one;
    judge.judge(s, one);
    for (Tally* into : {&t, &total}) {
      into->subscriptions += one.subscriptions;
      into->expected += one.expected;
      into->received += one.received;
      into->lost += one.lost;
      into->missed_before += one.missed_before;
    }
  }
  CheckResult r;
  r.details = subscriber_json(total);
  r.details["publishes"] = c.publishes.size();
  r.details["missed_before_subscribe"] = total.missed_before;
  r.details["unexpected"] = c.unexpected;
  nlohmann::json subscribers = nlohmann::json::object();
  for (const auto& [process, t] : per_process) {
    if (subscribers.size() >= 1000) break;  // a bound on results.json's size
    subscribers[std::to_string(process)] = subscriber_json(t);
  }
  r.details["subscribers"] = std::move(subscribers);
  if (total.missed_before > 0) {
    Anomaly note;
    note.name = "missed-before-subscribe";
    note.violation = false;
    note.magnitude = {{"messages", total.missed_before}};
    note.sentence = fmt::format(
        "{} messages published while a subscribe was still being confirmed did not reach it "
        "(expected: pub/sub keeps nothing for late subscribers)",
        total.missed_before);
    anomalies.add(std::move(note));
  }
  anomalies.store_into(r);
  return r;
}

}  // namespace redproof
