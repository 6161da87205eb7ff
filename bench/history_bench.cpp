// What recording a load run's history costs per event, apart from the network: formats invoke
// and ok events for SET requests in batches of 16 (a pipeline's worth, as the load engine does)
// and writes them to a file, then prints user and system CPU nanoseconds per event.
//
//   build/bench/history_bench [EVENTS] [PATH]   (default 2,000,000 events to ./history_bench.jsonl)
//
// `bash bench/compare.sh` measures the same cost end to end, network included; this isolates the
// formatting (user) and the file system (system) so that a change to either can be judged.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/cpu_time.hpp"
#include "core/random.hpp"
#include "driver/load/command_mix.hpp"
#include "driver/load/load_history.hpp"

using namespace redproof;
using namespace redproof::load;

int main(int argc, char** argv) {
  const long events = argc > 1 ? std::atol(argv[1]) : 2'000'000;
  const std::string path = argc > 2 ? argv[2] : "history_bench.jsonl";
  if (events <= 0) {
    std::fprintf(stderr, "history_bench: EVENTS must be a positive number, not %s\n", argv[1]);
    return 2;
  }
  TemplateOptions options;
  CommandMix mix({builtin_command("set", options)});
  Random rng(1);
  const CpuTime before = process_cpu_time();
  {
    LoadHistory history(path, mix, options);
    LoadHistoryBatch batch(history);
    std::int64_t time = 5'000'000;
    constexpr int kPipeline = 16;
    for (long done = 0; done < events; done += 2 * kPipeline) {
      KeyDigits keys[kPipeline];
      for (int i = 0; i < kPipeline; ++i) {
        keys[i] = key_digits(static_cast<std::uint64_t>(rng.uniform(0, 99'999)));
        batch.add(time, i, EventType::kInvoke, 0, keys[i]);
      }
      batch.flush();
      time += 40'000;
      for (int i = 0; i < kPipeline; ++i) batch.add(time, i, EventType::kOk, 0, keys[i]);
      batch.flush();
      time += 1'000;
    }
  }  // the writer flushes and closes here
  const CpuTime used = process_cpu_time() - before;
  std::printf("%ld events to %s: user %.1f ns/event, system %.1f ns/event, total %.1f ns/event\n",
              events, path.c_str(), used.user_seconds * 1e9 / events,
              used.system_seconds * 1e9 / events, used.total() * 1e9 / events);
  std::remove(path.c_str());
  return 0;
}
