#include "checkers/linearizability/fifo_queue_search.hpp"

#include <algorithm>
#include <climits>
#include <unordered_map>

namespace redproof::linearizability {

namespace {

// A spare enqueue: one of unknown outcome, invoked, not used (reduction 4 of the header).
struct Spare {
  std::int64_t value;
  std::size_t ahead;  // values now in the queue that were enqueued before its invoke
  bool operator==(const Spare&) const = default;
  auto operator<=>(const Spare&) const = default;
};

struct Configuration {
  std::vector<std::uint32_t> early;    // open operations already linearized, sorted
  std::vector<std::int64_t> contents;  // front first
  std::vector<Spare> spares;           // sorted
  std::size_t wildcards = 0;           // dequeues of unknown outcome, invoked, not spent

  bool same_queue(const Configuration& o) const {
    return early == o.early && contents == o.contents;
  }
  // Reduction 5: with the same queue, more wildcards and spares that can stand in for each of
  // `o`'s (as many of each value, each with as few values ahead) this one can do all `o` can.
  bool dominates(const Configuration& o) const {
    if (wildcards < o.wildcards) return false;
    std::size_t i = 0;
    for (const auto& need : o.spares) {  // both sorted: match the k-th of a value with the k-th
      while (i < spares.size() && spares[i].value < need.value) ++i;
      if (i == spares.size() || spares[i].value != need.value || spares[i].ahead > need.ahead) {
        return false;
      }
      ++i;
    }
    return true;
  }
};

std::size_t hash_of_queue(const Configuration& c) {
  std::size_t h = 0xcbf29ce484222325ULL;
  auto mix = [&](std::uint64_t x) { h = (h ^ x) * 0x100000001b3ULL; };
  for (auto e : c.early) mix(e);
  mix(~0ULL);
  for (auto v : c.contents) mix(static_cast<std::uint64_t>(v));
  return h;
}

// A set of configurations with none dominated by another (reduction 5).
class ConfigurationSet {
 public:
  // False when one already there dominates `c`; else `c` replaces those it dominates.
  bool add(Configuration&& c) {
    auto& bucket = buckets_[hash_of_queue(c)];
    for (const auto& x : bucket) {
      if (x.same_queue(c) && x.dominates(c)) return false;
    }
    std::erase_if(bucket,
                  [&](const Configuration& x) { return x.same_queue(c) && c.dominates(x); });
    bucket.push_back(std::move(c));
    return true;
  }
  std::vector<Configuration> take() {
    std::vector<Configuration> out;
    for (auto& [h, bucket] : buckets_) {
      for (auto& c : bucket) out.push_back(std::move(c));
    }
    buckets_.clear();
    return out;
  }

 private:
  std::unordered_map<std::size_t, std::vector<Configuration>> buckets_;
};

// Removes `n` values from the front: the spares' counts of values ahead shrink with them.
void pop_front(Configuration& c, std::size_t n) {
  c.contents.erase(c.contents.begin(), c.contents.begin() + static_cast<std::ptrdiff_t>(n));
  for (auto& s : c.spares) s.ahead = s.ahead > n ? s.ahead - n : 0;  // stays sorted
}

bool has(const std::vector<std::uint32_t>& sorted, std::uint32_t op) {
  return std::binary_search(sorted.begin(), sorted.end(), op);
}

void mark_early(Configuration& c, std::uint32_t op) {
  c.early.insert(std::upper_bound(c.early.begin(), c.early.end(), op), op);
}

class Search {
 public:
  Search(const std::vector<FifoOperation>& ops, const FifoSearchLimits& limits)
      : ops_(ops), limits_(limits) {}

  FifoSearchResult run(const std::vector<std::int64_t>& init) {
    FifoSearchResult out;
    std::vector<Configuration> frontier(1);
    frontier[0].contents = init;
    for (const auto& [at, event] : events()) {
      const auto op = static_cast<std::uint32_t>(event / 2);
      if (event % 2 == 0) {
        on_invoke(op, frontier);
        continue;
      }
      std::vector<Configuration> next = on_return(op, frontier);
      if (gave_up_) return out;
      if (next.empty()) {
        out.kind = FifoSearchResult::Kind::kNotLinearizable;
        out.stuck = op;
        out.contents = frontier.front().contents;
        return out;
      }
      frontier = std::move(next);
    }
    out.kind = FifoSearchResult::Kind::kLinearizable;
    return out;
  }

 private:
  bool known(std::uint32_t op) const { return ops_[op].ret != INT64_MAX && ops_[op].known; }

  // (position, 2 op + is_return), in history order; operations of unknown outcome never return.
  std::vector<std::pair<std::int64_t, std::size_t>> events() const {
    std::vector<std::pair<std::int64_t, std::size_t>> out;
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      out.push_back({ops_[i].invoke, 2 * i});
      if (known(static_cast<std::uint32_t>(i))) out.push_back({ops_[i].ret, 2 * i + 1});
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  void on_invoke(std::uint32_t op, std::vector<Configuration>& frontier) {
    const auto& o = ops_[op];
    if (known(op)) {
      open_.insert(std::upper_bound(open_.begin(), open_.end(), op), op);
      return;
    }
    for (auto& c : frontier) {
      if (o.enqueue) {
        const Spare s{o.value, c.contents.size()};
        c.spares.insert(std::upper_bound(c.spares.begin(), c.spares.end(), s), s);
      } else {
        ++c.wildcards;
      }
    }
  }

  // The configurations after `op` returned: from each, every order of open operations that
  // ends with `op` linearized (reduction 2: those after it wait for the next return).
  std::vector<Configuration> on_return(std::uint32_t op, const std::vector<Configuration>& from) {
    ConfigurationSet seen, done;
    bytes_ = 0;
    std::vector<Configuration> stack;
    for (const auto& c : from) {
      Configuration x = c;
      if (has(c.early, op)) {  // linearized at an earlier return already
        std::erase(x.early, op);
        done.add(std::move(x));
      } else if (seen.add(Configuration(c))) {
        stack.push_back(std::move(x));
      }
    }
    while (!stack.empty() && !gave_up_) {
      Configuration c = std::move(stack.back());
      stack.pop_back();
      for (auto next : open_) {
        if (has(c.early, next)) continue;
        for (auto& after : linearize(c, next)) {
          count_one(after);
          if (next == op) {
            std::erase(after.early, op);
            done.add(std::move(after));
          } else if (seen.add(Configuration(after))) {
            stack.push_back(std::move(after));
          }
        }
      }
    }
    std::erase(open_, op);
    return done.take();
  }

  // The configurations `op` linearized after `c` can give (several for a dequeue: how many
  // wildcards to spend, a spare enqueue or the queue's copy).
  std::vector<Configuration> linearize(const Configuration& c, std::uint32_t op) const {
    const auto& o = ops_[op];
    std::vector<Configuration> out;
    if (o.enqueue) {
      out.push_back(c);
      out.back().contents.push_back(o.value);
    } else if (o.value == 0) {  // empty: wildcards take whatever is there
      if (c.contents.size() > c.wildcards) return out;
      out.push_back(c);
      out.back().wildcards -= c.contents.size();
      pop_front(out.back(), c.contents.size());
    } else {
      // Reduction 6: the first copy within reach, and a spare only before it.
      const std::size_t reach = std::min(c.wildcards, c.contents.size());
      std::size_t first = reach + 1;
      for (std::size_t k = 0; k <= reach && k < c.contents.size(); ++k) {
        if (c.contents[k] == o.value) {
          first = k;
          break;
        }
      }
      if (first <= reach) {
        out.push_back(c);
        out.back().wildcards -= first;
        pop_front(out.back(), first + 1);
      }
      // Spares are sorted: the first of the value has the fewest values ahead.
      auto spare = std::find_if(c.spares.begin(), c.spares.end(),
                                [&](const Spare& x) { return x.value == o.value; });
      if (spare != c.spares.end() && spare->ahead < first) {
        const std::size_t k = spare->ahead;
        out.push_back(c);
        Configuration& x = out.back();
        x.spares.erase(x.spares.begin() + (spare - c.spares.begin()));
        x.wildcards -= k;
        pop_front(x, k);
      }
    }
    for (auto& x : out) mark_early(x, op);
    return out;
  }

  void count_one(const Configuration& c) {
    bytes_ += sizeof(Configuration) + c.contents.size() * sizeof(std::int64_t) +
              c.early.size() * sizeof(std::uint32_t) + c.spares.size() * sizeof(Spare);
    if (++built_ % 4096 != 0) return;
    gave_up_ = built_ > limits_.max_configurations || bytes_ > limits_.max_bytes_per_return ||
               std::chrono::steady_clock::now() >= limits_.deadline ||
               (limits_.stop && limits_.stop->load(std::memory_order_relaxed));
  }

  const std::vector<FifoOperation>& ops_;
  const FifoSearchLimits& limits_;
  std::size_t built_ = 0;
  std::size_t bytes_ = 0;  // built since the last return
  bool gave_up_ = false;
  std::vector<std::uint32_t> open_;  // operations of known outcome invoked, not returned
};

}  // namespace

FifoSearchResult search_fifo_queue(const std::vector<FifoOperation>& ops,
                                   const std::vector<std::int64_t>& init,
                                   const FifoSearchLimits& limits) {
  return Search(ops, limits).run(init);
}

}  // namespace redproof::linearizability
