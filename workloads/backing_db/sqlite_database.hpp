// The embedded default backing database: one SQLite file in the run's results directory, in WAL
// mode (readers do not block the writer), one row per item with its version. Each calling thread
// borrows a connection of its own from a small pool: SQLite connections are not to be shared
// between threads at once.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "workloads/backing_db/backing_database.hpp"

struct sqlite3;

namespace redproof::db {

class SqliteDatabase : public BackingDatabase {
 public:
  // Creates (or reopens) the file at `path`. Throws std::runtime_error naming the file.
  explicit SqliteDatabase(std::string path);
  ~SqliteDatabase() override;

  std::string kind() const override { return "sqlite"; }
  std::string location() const override { return path_; }
  Row read(const std::string& item) override;
  bool write(const std::string& item, std::int64_t version, const std::string& value) override;
  void seed(const std::vector<std::string>& items) override;

 private:
  struct Connection;
  std::unique_ptr<Connection> borrow();
  void give_back(std::unique_ptr<Connection> c);

  std::string path_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> free_;
};

// A fresh directory under the system's temp directory for a database that belongs to no run
// (`bench --workload`); removed with the object.
class TempDirectory {
 public:
  TempDirectory();
  ~TempDirectory();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace redproof::db
