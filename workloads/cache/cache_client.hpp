// The cache workload's client: one application process in front of the backing database. It
// turns `read`, `write`, `flush` (write-behind's flusher), `db-read` (final) and `init` into
// Redis commands and database queries as the variant does them.
#pragma once

#include <memory>
#include <optional>

#include "redis/connection.hpp"
#include "workloads/backing_db/db_access.hpp"
#include "workloads/cache/cache_options.hpp"
#include "workloads/cache/flush_queue.hpp"
#include "workloads/client.hpp"
#include "workloads/user_script.hpp"

namespace redproof::cache {

// What every client of one run shares.
struct CacheShared {
  CacheOptions options;
  std::shared_ptr<db::DbAccess> db;
  std::shared_ptr<FlushQueue> flushes;
  std::optional<UserScript> script;  // --script: replaces the set-if-newer fill
};

class CacheClient : public Client {
 public:
  CacheClient(const ClientSetup& setup, std::shared_ptr<const CacheShared> shared);

  boost::asio::awaitable<Completion> invoke(const Op& invoke) override;

 private:
  boost::asio::awaitable<Completion> read(const std::string& key);
  boost::asio::awaitable<Completion> write(const std::string& key, std::int64_t version);
  boost::asio::awaitable<Completion> flush(const std::string& key, std::int64_t version);
  boost::asio::awaitable<Completion> db_read(const std::string& key);
  boost::asio::awaitable<Completion> init(const std::string& value);
  // The variant's cache fill after a miss; an error text when it could not tell what happened.
  boost::asio::awaitable<std::string> fill(const std::string& key, std::int64_t version);
  // After the row was written: DEL, tombstone or SET as the variant invalidates.
  boost::asio::awaitable<redis::Result> after_row_write(const std::string& key,
                                                        std::int64_t version);
  boost::asio::awaitable<redis::Result> set_if_newer(const std::string& key, std::int64_t version,
                                                     const std::string& entry);

  std::shared_ptr<const CacheShared> shared_;
  const CacheOptions& options_;
  redis::Connection connection_;
  HookPoint hook_;
  std::function<std::int64_t()> now_ns_;
};

// {"version": V, "source": S}
std::string read_value(std::int64_t version, std::string_view source);
// The version in an invoke value {"version": V}; nullopt when it has none.
std::optional<std::int64_t> version_of(const std::string& value);

}  // namespace redproof::cache
