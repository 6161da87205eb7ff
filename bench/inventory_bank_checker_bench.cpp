// How long the inventory and bank checkers take on a 1,000,000-operation history (2,000,000
// events), parsing included: each history is generated valid by construction, written to a temp
// file, then read and checked three times; the median is printed.
//
//   build/bench/inventory_bank_checker_bench [OPERATIONS]   (default 1,000,000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bench/run_timing.hpp"
#include "checkers/bank_checker.hpp"
#include "checkers/inventory_checker.hpp"
#include "core/history_reader.hpp"

using namespace redproof;

namespace {

struct Writer {
  std::ofstream out;
  long index = 0, time = 0;
  void event(int p, const char* type, const char* f, const std::string& key, const std::string& v) {
    out << "{\"index\":" << index++ << ",\"time\":" << (time += 1000) << ",\"process\":" << p
        << ",\"type\":\"" << type << "\",\"f\":\"" << f << '"';
    if (!key.empty()) out << ",\"key\":\"" << key << '"';
    out << ",\"value\":" << v << "}\n";
  }
};

void inventory_history(const std::string& path, long ops) {
  Writer w{std::ofstream(path)};
  std::mt19937_64 rng(1);
  const int items = 8;
  std::vector<long> stock(items, ops / 4);  // sells out about half way
  std::string init = "{";
  for (int i = 0; i < items; ++i)
    init += (i ? "," : "") + std::string("\"item:{") + std::to_string(i) +
            "}\":" + std::to_string(ops / 4);
  init += "}";
  w.event(0, "invoke", "init", "", init);
  w.event(0, "ok", "init", "", "null");
  for (long i = 0; i < ops - items - 1; ++i) {
    const int item = static_cast<int>(rng() % items), p = static_cast<int>(i % 16);
    const long q = 1 + static_cast<long>(rng() % 3);
    const std::string key = "item:{" + std::to_string(item) + "}";
    w.event(p, "invoke", "buy", key, std::to_string(q));
    const bool sold = stock[item] >= q;
    if (sold) stock[item] -= q;
    w.event(p, "ok", "buy", key, sold ? "true" : "false");
  }
  for (int i = 0; i < items; ++i) {
    const std::string key = "item:{" + std::to_string(i) + "}";
    w.event(100, "invoke", "read", key, "null");
    w.event(100, "ok", "read", key, std::to_string(stock[i]));
  }
}

void bank_history(const std::string& path, long ops) {
  Writer w{std::ofstream(path)};
  std::mt19937_64 rng(2);
  const int accounts = 5;
  std::vector<long> balance(accounts, 100);
  auto name = [](int a) { return "\"{bank}:acct:" + std::to_string(a) + "\""; };
  auto all = [&] {
    std::string v = "{";
    for (int a = 0; a < accounts; ++a)
      v += (a ? "," : "") + name(a) + ":" + std::to_string(balance[a]);
    return v + "}";
  };
  w.event(0, "invoke", "init", "", all());
  w.event(0, "ok", "init", "", "null");
  for (long i = 0; i < ops - 1; ++i) {
    const int p = static_cast<int>(i % 16);
    if (rng() % 10 == 0) {
      w.event(p, "invoke", "read", "", "null");
      w.event(p, "ok", "read", "", all());
      continue;
    }
    const int from = static_cast<int>(rng() % accounts),
              to = (from + 1 + static_cast<int>(rng() % (accounts - 1))) % accounts;
    const long amount = 1 + static_cast<long>(rng() % 20);
    w.event(p, "invoke", "transfer", "",
            "{\"from\":" + name(from) + ",\"to\":" + name(to) +
                ",\"amount\":" + std::to_string(amount) + "}");
    if (balance[from] < amount) {
      w.event(p, "fail", "transfer", "", "null");
    } else {
      balance[from] -= amount, balance[to] += amount;
      w.event(p, "ok", "transfer", "", "null");
    }
  }
}

void time_checker(const char* name, Checker& checker, const std::string& path, long ops) {
  std::vector<bench::RunTiming> runs;
  std::string verdict;
  for (int run = 0; run < 3; ++run) {
    runs.push_back(bench::time_run([&] {
      const std::vector<Op> history = read_history_file(path);
      verdict = std::string(validity_name(checker.check(history).valid));
    }));
  }
  std::size_t events = 0;
  const bench::RunTiming parse = bench::time_run([&] { events = read_history_file(path).size(); });
  std::printf("%s: parsing alone %zu events ", name, events);
  bench::print_timing("", parse, "");
  std::printf("%s: %ld operations, %s, parse + check median ", name, ops, verdict.c_str());
  bench::print_timing("", bench::median_of(runs), "");
}

}  // namespace

int main(int argc, char** argv) {
  const long ops = argc > 1 ? std::atol(argv[1]) : 1'000'000;
  if (ops < 100) {
    std::fprintf(stderr, "inventory_bank_checker_bench: OPERATIONS must be at least 100\n");
    return 2;
  }
  const std::string inventory = "/tmp/redproof_inventory_bench.jsonl";
  const std::string bank = "/tmp/redproof_bank_bench.jsonl";
  inventory_history(inventory, ops);
  bank_history(bank, ops);
  InventoryChecker ic;
  BankChecker bc;
  time_checker("inventory", ic, inventory, ops);
  time_checker("bank", bc, bank, ops);
  std::remove(inventory.c_str());
  std::remove(bank.c_str());
  return 0;
}
