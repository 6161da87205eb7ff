// The search's memo structures against brute force: LinearizedSet's window and hash as bits come
// and go, ConfigurationCache's exact membership across growth, IdTable's lookups.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "checkers/linearizability/id_table.hpp"
#include "checkers/linearizability/search_memo.hpp"

namespace redproof::linearizability {
namespace {

// The window as the search used to find it: by scanning the whole bitset.
struct Scanned {
  std::size_t first_word;
  std::vector<std::uint64_t> window;
};

Scanned scan(const std::vector<bool>& bits) {
  std::vector<std::uint64_t> words((bits.size() + 63) / 64, 0);
  for (std::size_t i = 0; i < bits.size(); ++i) {
    if (bits[i]) words[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  std::size_t lo = 0, hi = words.size();
  while (lo < hi && words[lo] == ~std::uint64_t{0}) ++lo;
  while (hi > lo && words[hi - 1] == 0) --hi;
  return {lo, std::vector<std::uint64_t>(words.begin() + lo, words.begin() + hi)};
}

void expect_matches(const LinearizedSet& set, const std::vector<bool>& bits) {
  const Scanned s = scan(bits);
  ASSERT_EQ(set.first_word(), s.first_word);
  const auto w = set.window();
  ASSERT_EQ(std::vector<std::uint64_t>(w.begin(), w.end()), s.window);
  for (std::size_t i = 0; i < bits.size(); ++i) ASSERT_EQ(set.test(i), bits[i]) << i;
}

TEST(LinearizedSet, WindowMatchesAScanOfTheWholeBitset) {
  for (std::size_t n : {1, 63, 64, 65, 128, 200, 1000}) {
    std::mt19937_64 rng(n);
    LinearizedSet set(n);
    std::vector<bool> bits(n, false);
    expect_matches(set, bits);
    // Mostly in order (as the search linearizes), with undos and random flips.
    std::size_t frontier = 0;
    for (int step = 0; step < 20000; ++step) {
      std::size_t i;
      const auto roll = rng() % 10;
      if (roll < 6 && frontier < n) {
        i = frontier++;
      } else {
        i = rng() % n;
      }
      if (bits[i]) {
        set.clear(i);
        bits[i] = false;
      } else {
        set.set(i);
        bits[i] = true;
      }
      if (roll == 9 && frontier > 0) frontier = rng() % frontier;
      expect_matches(set, bits);
    }
    // Everything, then nothing.
    for (std::size_t i = 0; i < n; ++i) {
      if (!bits[i]) set.set(i), bits[i] = true;
    }
    expect_matches(set, bits);
    // All ones up to a last partial word: only that word stays in the window.
    EXPECT_EQ(set.window().size(), n % 64 ? 1u : 0u);
    for (std::size_t i = 0; i < n; ++i) set.clear(i), bits[i] = false;
    expect_matches(set, bits);
    EXPECT_EQ(set.hash(), LinearizedSet(n).hash());
  }
}

TEST(LinearizedSet, EqualSetsHaveEqualHashesWhateverTheOrder) {
  LinearizedSet a(300), b(300);
  for (std::size_t i : {3, 70, 299, 128}) a.set(i);
  for (std::size_t i : {128, 5, 299, 3, 70}) b.set(i);
  EXPECT_NE(a.hash(), b.hash());
  b.clear(5);
  EXPECT_EQ(a.hash(), b.hash());
}

TEST(ConfigurationCache, KnowsExactlyTheConfigurationsAdded) {
  const std::size_t n = 150;
  ConfigurationCache cache;
  std::set<std::pair<std::vector<bool>, std::vector<std::int64_t>>> added;
  std::mt19937_64 rng(7);
  LinearizedSet set(n);
  std::vector<bool> bits(n, false);
  for (int step = 0; step < 200000; ++step) {
    const std::size_t i = rng() % n;
    bits[i] ? set.clear(i) : set.set(i);
    bits[i] = !bits[i];
    // States of zero, one and three words, few values: many repeats.
    std::vector<std::int64_t> state(rng() % 2 ? 1 : (rng() % 2 ? 0 : 3));
    for (auto& s : state) s = static_cast<std::int64_t>(rng() % 3);
    const bool fresh = added.insert({bits, state}).second;
    ASSERT_EQ(cache.insert(set, state), fresh) << "step " << step;
  }
  EXPECT_EQ(cache.size(), added.size());
  EXPECT_GT(cache.bytes(), added.size() * 16);
}

TEST(ConfigurationCache, StoresAWindowLargerThanABlock) {
  const std::size_t n = std::size_t{64} << 17;  // a window of 2^17 words
  LinearizedSet set(n);
  for (std::size_t i = 1; i < n; i += 2) set.set(i);
  ConfigurationCache cache;
  const std::int64_t state = 4;
  EXPECT_TRUE(cache.insert(set, std::span<const std::int64_t>(&state, 1)));
  EXPECT_FALSE(cache.insert(set, std::span<const std::int64_t>(&state, 1)));
  set.clear(n - 1);
  EXPECT_TRUE(cache.insert(set, std::span<const std::int64_t>(&state, 1)));
  set.set(n - 1);
  EXPECT_FALSE(cache.insert(set, std::span<const std::int64_t>(&state, 1)));
}

TEST(IdTable, FindsWhatWasAddedThroughGrowth) {
  IdTable t;
  EXPECT_EQ(t.find(42), -1);
  for (std::int64_t i = 0; i < 100000; ++i) t.add(static_cast<std::uint64_t>(i) * 7919, i);
  EXPECT_EQ(t.size(), 100000u);
  for (std::int64_t i = 0; i < 100000; ++i) {
    ASSERT_EQ(t.find(static_cast<std::uint64_t>(i) * 7919), i);
  }
  EXPECT_EQ(t.find(1), -1);
}

TEST(IdTable, ASharedKeyIsConfirmedByThePredicate) {
  IdTable t;
  t.add(5, 10);
  t.add(5, 11);
  t.add(6, 12);
  EXPECT_EQ(t.find(5), 10);
  EXPECT_EQ(t.find(5, [](std::int64_t id) { return id == 11; }), 11);
  EXPECT_EQ(t.find(5, [](std::int64_t id) { return id == 12; }), -1);
  EXPECT_EQ(t.find(6, [](std::int64_t id) { return id == 12; }), 12);
}

}  // namespace
}  // namespace redproof::linearizability
