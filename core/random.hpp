// Seeded randomness. Every random choice of a run (keys, hold times, fault times) derives from
// the run's seed through `fork`, so one seed replays one schedule, and adding a consumer of
// randomness in one place does not shift the choices made in another.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

namespace redproof {

class Random {
 public:
  explicit Random(std::uint64_t seed) : seed_(seed), engine_(seed) {}

  // An independent stream for a named consumer ("worker", "nemesis") and an index.
  Random fork(std::string_view name, std::uint64_t index = 0) const {
    std::uint64_t h = seed_ ^ 0x9e3779b97f4a7c15ULL;
    for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    h ^= index + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return Random(mix(h));
  }

  std::uint64_t next() { return engine_(); }
  // Uniform in [lo, hi].
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine_);
  }
  double uniform01() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }
  bool chance(double p) { return uniform01() < p; }
  std::uint64_t seed() const { return seed_; }
  std::mt19937_64& engine() { return engine_; }

 private:
  static std::uint64_t mix(std::uint64_t z) {  // splitmix64 finaliser
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t seed_;
  std::mt19937_64 engine_;
};

}  // namespace redproof
