// How a client reaches the backing database without blocking its event loop: the added latency
// (`--param db-latency=`) is an Asio timer on the client's own executor, so other clients on the
// loop keep running while one waits, and the blocking SQLite call runs on a small thread pool
// whose completion resumes the client's coroutine on its executor.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "workloads/backing_db/backing_database.hpp"
#include "workloads/backing_db/sqlite_database.hpp"

namespace redproof::db {

class DbAccess {
 public:
  // `latency`: added before every query of the application (not the harness's final reads).
  // One thread by default: the queries then complete in the order they were issued (as over one
  // database connection), so two writers of one item never swap their follow-up cache updates
  // because of the pool itself; SQLite answers these in microseconds, far below db-latency.
  DbAccess(std::unique_ptr<BackingDatabase> database, std::chrono::milliseconds latency,
           int threads = 1);
  ~DbAccess();

  // A load on a cache miss: counted as the database's load at `now_ns` (history clock).
  boost::asio::awaitable<Row> load(std::string item, std::int64_t now_ns);
  // The application's write of a row; whether the row took it (false: it held a newer one).
  boost::asio::awaitable<bool> write(std::string item, std::int64_t version, std::string value);
  // The harness's own read (final db-read): no added latency, not counted as a load.
  boost::asio::awaitable<Row> inspect(std::string item);
  // Every item at version 0, in one transaction (the init operation).
  boost::asio::awaitable<void> seed(std::vector<std::string> items);

  const BackingDatabase& database() const { return *database_; }
  std::chrono::milliseconds latency() const { return latency_; }
  nlohmann::json describe() const;

 private:
  boost::asio::awaitable<void> delay();
  std::unique_ptr<BackingDatabase> database_;
  std::chrono::milliseconds latency_;
  boost::asio::thread_pool pool_;
};

// The database of a run: SQLite in `directory`, or in a temp directory (kept alive by the
// returned holder) when `directory` is empty.
struct OpenedDatabase {
  std::shared_ptr<TempDirectory> temp;  // null for a run's directory
  std::unique_ptr<BackingDatabase> database;
};
OpenedDatabase open_sqlite(const std::string& directory, const std::string& file_name);

}  // namespace redproof::db
