#include "workloads/backing_db/sqlite_database.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace redproof::db {

namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS items (item TEXT PRIMARY KEY, version INTEGER NOT NULL, "
    "value TEXT NOT NULL)";
constexpr const char* kRead = "SELECT version, value FROM items WHERE item = ?1";
// The row moves only forward: an older version (a writer that lost a race) changes nothing.
constexpr const char* kWrite =
    "INSERT INTO items (item, version, value) VALUES (?1, ?2, ?3) ON CONFLICT (item) DO UPDATE "
    "SET version = excluded.version, value = excluded.value WHERE excluded.version > "
    "items.version";
constexpr const char* kSeed =
    "INSERT OR IGNORE INTO items (item, version, value) VALUES (?1, 0, '')";

[[noreturn]] void fail(sqlite3* db, const std::string& path, const std::string& what) {
  throw std::runtime_error("sqlite " + path + ": " + what + ": " +
                           (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

struct SqliteDatabase::Connection {
  sqlite3* db = nullptr;
  sqlite3_stmt* read = nullptr;
  sqlite3_stmt* write = nullptr;
  ~Connection() {
    sqlite3_finalize(read);
    sqlite3_finalize(write);
    sqlite3_close(db);
  }
};

SqliteDatabase::SqliteDatabase(std::string path) : path_(std::move(path)) {
  auto c = borrow();  // creates the file, the schema and WAL mode
  give_back(std::move(c));
}

SqliteDatabase::~SqliteDatabase() = default;

std::unique_ptr<SqliteDatabase::Connection> SqliteDatabase::borrow() {
  {
    std::lock_guard lock(mu_);
    if (!free_.empty()) {
      auto c = std::move(free_.back());
      free_.pop_back();
      return c;
    }
  }
  auto c = std::make_unique<Connection>();
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path_.c_str(), &c->db, flags, nullptr) != SQLITE_OK) {
    fail(c->db, path_, "cannot open");
  }
  sqlite3_busy_timeout(c->db, 5000);  // writers queue behind each other instead of failing
  // synchronous=NORMAL: durable across a process crash in WAL mode, which is all a run needs.
  for (const char* sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", kSchema}) {
    if (sqlite3_exec(c->db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(c->db, path_, sql);
  }
  if (sqlite3_prepare_v2(c->db, kRead, -1, &c->read, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(c->db, kWrite, -1, &c->write, nullptr) != SQLITE_OK) {
    fail(c->db, path_, "cannot prepare");
  }
  return c;
}

void SqliteDatabase::give_back(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mu_);
  free_.push_back(std::move(c));
}

Row SqliteDatabase::read(const std::string& item) {
  auto c = borrow();
  sqlite3_reset(c->read);
  sqlite3_bind_text(c->read, 1, item.data(), static_cast<int>(item.size()), SQLITE_TRANSIENT);
  Row row;
  const int rc = sqlite3_step(c->read);
  if (rc == SQLITE_ROW) {
    row.version = sqlite3_column_int64(c->read, 0);
    const auto* text = sqlite3_column_text(c->read, 1);
    if (text) row.value = reinterpret_cast<const char*>(text);
  } else if (rc != SQLITE_DONE) {
    fail(c->db, path_, "read " + item);
  }
  sqlite3_reset(c->read);
  give_back(std::move(c));
  return row;
}

bool SqliteDatabase::write(const std::string& item, std::int64_t version,
                           const std::string& value) {
  auto c = borrow();
  sqlite3_reset(c->write);
  sqlite3_bind_text(c->write, 1, item.data(), static_cast<int>(item.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(c->write, 2, version);
  sqlite3_bind_text(c->write, 3, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(c->write) != SQLITE_DONE) fail(c->db, path_, "write " + item);
  const bool stored = sqlite3_changes(c->db) > 0;
  sqlite3_reset(c->write);
  give_back(std::move(c));
  return stored;
}

void SqliteDatabase::seed(const std::vector<std::string>& items) {
  auto c = borrow();
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_exec(c->db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(c->db, kSeed, -1, &stmt, nullptr) != SQLITE_OK) {
    fail(c->db, path_, "seed");
  }
  for (const auto& item : items) {
    sqlite3_reset(stmt);
    sqlite3_bind_text(stmt, 1, item.data(), static_cast<int>(item.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(stmt) != SQLITE_DONE) {
      sqlite3_finalize(stmt);
      fail(c->db, path_, "seed " + item);
    }
  }
  sqlite3_finalize(stmt);
  if (sqlite3_exec(c->db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    fail(c->db, path_, "commit seed");
  }
  give_back(std::move(c));
}

TempDirectory::TempDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "redproof-db-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temp directory");
  path_ = pattern;
}

TempDirectory::~TempDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace redproof::db
