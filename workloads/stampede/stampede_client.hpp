// The stampede workload's client: reads of a few hot keys whose entries expire often, rebuilt
// from the backing database as the variant does it (every missing reader; the holder of a
// SET NX PX lock; or, with XFetch, a reader that decides to recompute early).
#pragma once

#include <memory>

#include "core/random.hpp"
#include "redis/connection.hpp"
#include "workloads/backing_db/db_access.hpp"
#include "workloads/client.hpp"
#include "workloads/stampede/stampede_options.hpp"

namespace redproof::stampede {

struct StampedeShared {
  StampedeOptions options;
  std::shared_ptr<db::DbAccess> db;
  std::uint64_t seed = 0;
};

class StampedeClient : public Client {
 public:
  StampedeClient(const ClientSetup& setup, std::shared_ptr<const StampedeShared> shared);
  boost::asio::awaitable<Completion> invoke(const Op& invoke) override;

 private:
  boost::asio::awaitable<Completion> read(const std::string& key);
  // A miss under mutex or xfetch: one reader rebuilds under the lock; the others serve the old
  // copy (mutex) or wait for the new entry.
  boost::asio::awaitable<Completion> miss_with_lock(const std::string& key);
  // Loads the row and stores the entry (and the old copy); the version served.
  boost::asio::awaitable<std::int64_t> rebuild(const std::string& key);
  boost::asio::awaitable<bool> try_lock(const std::string& key);
  boost::asio::awaitable<void> unlock(const std::string& key);
  boost::asio::awaitable<void> sleep(std::chrono::milliseconds d);
  bool xfetch_early(const std::string& payload);

  std::shared_ptr<const StampedeShared> shared_;
  const StampedeOptions& options_;
  boost::asio::any_io_executor executor_;
  redis::Connection connection_;
  HookPoint hook_;
  std::function<std::int64_t()> now_ns_;
  Random rng_;
  std::string token_;  // this process's lock owner id
};

}  // namespace redproof::stampede
