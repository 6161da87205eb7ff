// The generated histories of the checker benchmarks (check_bench, linearizability_bench): a kv
// history over many keys and a single-key register history, linearizable by construction.
#pragma once

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace redproof::bench {

// Batches of `width` concurrent operations: all invoke, they take effect in a random order, and
// complete in another. Linearizable by construction; `crash` of them end in info (applied or
// not at random).
inline void generate(const std::string& path, const std::string& model, int ops, int keys,
                     int width, double crash, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::ofstream out(path);
  std::vector<std::string> kv(keys);
  std::vector<long> reg(keys, -1);  // -1: absent
  long index = 0, time = 0;
  int next_process = 0;
  std::vector<int> process(width);
  for (int w = 0; w < width; ++w) process[w] = next_process++;
  auto line = [&](int p, const char* type, const std::string& f, int key, const std::string& v,
                  const char* error = nullptr) {
    out << "{\"index\":" << index++ << ",\"time\":" << time++ << ",\"process\":" << p
        << ",\"type\":\"" << type << "\",\"f\":\"" << f << "\",\"key\":\"k" << key
        << "\",\"value\":" << v;
    if (error) out << ",\"error\":\"" << error << "\"";
    out << "}\n";
  };
  for (int done = 0; done < ops; done += width) {
    struct Pending {
      int w, key;
      std::string f, arg, result;
      bool crashed;
    };
    std::vector<Pending> batch;
    for (int w = 0; w < width; ++w) {
      Pending p{w, static_cast<int>(rng() % keys), "", "null", "null", false};
      int roll = rng() % 3;
      if (model == "kv") {
        p.f = roll == 0 ? "get" : roll == 1 ? "put" : "append";
        if (p.f != "get") p.arg = "\"" + std::to_string(rng() % 100) + " \"";
      } else {
        p.f = roll == 0 ? "read" : "write";
        if (p.f == "write") p.arg = std::to_string(rng() % 10);
      }
      p.crashed =
          p.f != "get" && p.f != "read" && std::uniform_real_distribution<>(0, 1)(rng) < crash;
      line(process[w], "invoke", p.f, p.key, p.arg);
      batch.push_back(p);
    }
    std::vector<int> order(width);
    for (int i = 0; i < width; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    for (int i : order) {
      Pending& p = batch[i];
      if (p.crashed && rng() % 2) continue;  // crashed and never applied
      if (model == "kv") {
        if (p.f == "get") p.result = nlohmann::json(kv[p.key]).dump();
        if (p.f == "put") kv[p.key] = nlohmann::json::parse(p.arg).get<std::string>();
        if (p.f == "append") kv[p.key] += nlohmann::json::parse(p.arg).get<std::string>();
      } else {
        if (p.f == "read") p.result = reg[p.key] < 0 ? "null" : std::to_string(reg[p.key]);
        if (p.f == "write") reg[p.key] = std::stol(p.arg);
      }
    }
    std::shuffle(order.begin(), order.end(), rng);
    for (int i : order) {
      Pending& p = batch[i];
      if (p.crashed) {
        line(process[p.w], "info", p.f, p.key, "null", "timed out");
        process[p.w] = next_process++;
      } else {
        line(process[p.w], "ok", p.f, p.key, p.f == "get" || p.f == "read" ? p.result : "null");
      }
    }
  }
}

}  // namespace redproof::bench
