// The cache workload's generators: the load (zipf-chosen items, reads and writes mixed, each
// write with the item's next version), write-behind's flusher, and the final phase (drain the
// flusher's to-do list, then read every written row straight from the database).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "workloads/cache/cache_options.hpp"
#include "workloads/cache/flush_queue.hpp"
#include "workloads/cache/version_allocator.hpp"
#include "workloads/cache/zipf.hpp"
#include "workloads/generator.hpp"

namespace redproof::cache {

struct CacheGenerators {
  CacheOptions options;
  std::shared_ptr<const Zipf> zipf;
  std::shared_ptr<VersionAllocator> versions;
  std::shared_ptr<FlushQueue> flushes;
  int clients = 1;

  // Worker 0 records the `init` first; the others start a little later.
  std::unique_ptr<Generator> load(int worker, Random rng, std::int64_t end_ns) const;
  std::unique_ptr<Generator> final_reads(int worker) const;
  // write-behind: the last worker is the flusher.
  bool is_flusher(int worker) const {
    return options.variant == CacheVariant::kWriteBehind && worker == clients - 1;
  }
};

// Every `interval`, flushes what the to-do list held when it woke (a write-behind batch); with
// `drain`, flushes until the list is empty and then ends (the final phase).
class FlusherGenerator : public Generator {
 public:
  FlusherGenerator(std::shared_ptr<FlushQueue> queue, std::int64_t interval_ns, bool drain)
      : queue_(std::move(queue)), interval_ns_(interval_ns), drain_(drain) {}
  GeneratorStep next(std::int64_t now_ns) override;
  void update(const Op&) override {}

 private:
  std::shared_ptr<FlushQueue> queue_;
  std::int64_t interval_ns_;
  bool drain_;
  std::size_t batch_left_ = 0;
  bool slept_ = false;
};

// A `db-read` of every item some write was started on (chosen when it first runs, after the
// load), then done.
class DbReadGenerator : public Generator {
 public:
  explicit DbReadGenerator(std::shared_ptr<VersionAllocator> versions)
      : versions_(std::move(versions)) {}
  GeneratorStep next(std::int64_t now_ns) override;
  void update(const Op&) override {}

 private:
  std::shared_ptr<VersionAllocator> versions_;
  std::int64_t next_item_ = 0;
};

// The init operation's value: every item at version 0.
std::string init_value(std::int64_t items);

}  // namespace redproof::cache
