#include "workloads/backing_db/db_access.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace redproof::db {

namespace asio = boost::asio;

namespace {

// Runs the blocking `f` on `pool` and resumes the awaiting coroutine on `ex` with its result (or
// its exception). Not a coroutine itself: GCC 12 mishandles lambdas captured into coroutine
// frames, so the work travels as plain handlers.
template <class R, class F>
auto offload(asio::thread_pool& pool, asio::any_io_executor ex, F f) {
  auto initiate = [&pool, ex](auto handler, F work) {
    asio::post(pool, [handler = std::move(handler), work = std::move(work), ex]() mutable {
      std::exception_ptr error;
      R result{};
      try {
        result = work();
      } catch (...) {
        error = std::current_exception();
      }
      asio::post(ex, [handler = std::move(handler), error, result = std::move(result)]() mutable {
        std::move(handler)(error, std::move(result));
      });
    });
  };
  return asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr, R)>(
      std::move(initiate), asio::use_awaitable, std::move(f));
}

}  // namespace

DbAccess::DbAccess(std::unique_ptr<BackingDatabase> database, std::chrono::milliseconds latency,
                   int threads)
    : database_(std::move(database)), latency_(latency), pool_(static_cast<std::size_t>(threads)) {}

DbAccess::~DbAccess() {
  pool_.join();
}

asio::awaitable<void> DbAccess::delay() {
  if (latency_.count() <= 0) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(latency_);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<Row> DbAccess::load(std::string item, std::int64_t now_ns) {
  // The latency comes before the query: the request travels to the database, then the row is
  // read as it is at that moment and returned at once (a round trip's second half would only
  // widen every read-then-fill window, including in runs meant to be fault-free).
  co_await delay();
  BackingDatabase* db = database_.get();
  auto ex = co_await asio::this_coro::executor;
  // Named, not a temporary inside the co_await: GCC 12 destroys such temporaries twice.
  auto work = [db, item] { return db->read(item); };
  Row row = co_await offload<Row>(pool_, ex, std::move(work));
  database_->counter().load(item, now_ns);
  co_return row;
}

asio::awaitable<bool> DbAccess::write(std::string item, std::int64_t version, std::string value) {
  co_await delay();
  BackingDatabase* db = database_.get();
  auto ex = co_await asio::this_coro::executor;
  auto work = [db, item, version, value] { return db->write(item, version, value); };
  const bool stored = co_await offload<bool>(pool_, ex, std::move(work));
  database_->counter().write(stored);
  co_return stored;
}

asio::awaitable<Row> DbAccess::inspect(std::string item) {
  BackingDatabase* db = database_.get();
  auto ex = co_await asio::this_coro::executor;
  auto work = [db, item] { return db->read(item); };
  co_return co_await offload<Row>(pool_, ex, std::move(work));
}

asio::awaitable<void> DbAccess::seed(std::vector<std::string> items) {
  BackingDatabase* db = database_.get();
  auto ex = co_await asio::this_coro::executor;
  auto work = [db, items = std::move(items)] {
    db->seed(items);
    return 0;
  };
  co_await offload<int>(pool_, ex, std::move(work));
}

nlohmann::json DbAccess::describe() const {
  nlohmann::json j = database_->counter().to_json();
  j["kind"] = database_->kind();
  j["location"] = database_->location();
  j["latency_ms"] = latency_.count();
  return j;
}

OpenedDatabase open_sqlite(const std::string& directory, const std::string& file_name) {
  OpenedDatabase out;
  std::string dir = directory;
  if (dir.empty()) {
    out.temp = std::make_shared<TempDirectory>();
    dir = out.temp->path();
  }
  out.database = std::make_unique<SqliteDatabase>(dir + "/" + file_name);
  return out;
}

}  // namespace redproof::db
