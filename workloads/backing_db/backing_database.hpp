// The backing database behind a cache: the seam between the cache workloads and whatever store
// holds the truth. One row per item with a version; a write stores only a newer version (the
// application's optimistic update), so the row never goes back. Calls are blocking: the
// workloads reach them through db_access.hpp, off the event loop. A PostgreSQL backend would be
// one more implementation of this class; the workloads never see which one runs.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace redproof::db {

struct Row {
  std::int64_t version = 0;  // 0: the item was never written (absent row)
  std::string value;
};

// The database's own operations, counted for the report (run.json "workload_config").
class LoadCounter {
 public:
  // `now_ns`: the history's clock, so the per-second series lines up with the run's.
  void load(const std::string& item, std::int64_t now_ns);
  void write(bool stored);
  nlohmann::json to_json() const;
  std::int64_t loads() const;

 private:
  mutable std::mutex mu_;
  std::int64_t loads_ = 0, writes_ = 0, writes_older_ = 0;
  std::map<std::string, std::int64_t> per_key_;
  std::vector<std::int64_t> per_second_;
};

class BackingDatabase {
 public:
  virtual ~BackingDatabase() = default;
  virtual std::string kind() const = 0;      // "sqlite"
  virtual std::string location() const = 0;  // a path or a connection string
  // The item's row (version 0 when absent). Throws std::runtime_error on a database error.
  virtual Row read(const std::string& item) = 0;
  // Stores version/value when `version` is newer than the row's; returns whether it did.
  virtual bool write(const std::string& item, std::int64_t version, const std::string& value) = 0;
  // Inserts every item at version 0 (the seed), in one transaction.
  virtual void seed(const std::vector<std::string>& items) = 0;

  LoadCounter& counter() { return counter_; }
  const LoadCounter& counter() const { return counter_; }

 private:
  LoadCounter counter_;
};

}  // namespace redproof::db
