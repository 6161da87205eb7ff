#include "workloads/stampede/stampede_client.hpp"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>

#include "redis/command_encoder.hpp"
#include "workloads/cache/cache_client.hpp"
#include "workloads/cache/cache_entry.hpp"
#include "workloads/stampede/stampede_hooks.hpp"

namespace redproof::stampede {

namespace asio = boost::asio;
using cache::parse_entry;
using cache::read_value;

namespace {

// XFetch's flag outlives the recompute by the recompute's own duration: a reader that fetched the
// entry just before it was renewed (and, by the formula's tail, decides early even on a fresh
// entry) finds the flag still held instead of recomputing right behind the first.
const redis::Script& linger_script() {
  static const redis::Script script(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], "
      "ARGV[2]) end return 0");
  return script;
}

const redis::Script& unlock_script() {
  static const redis::Script script(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end "
      "return 0");
  return script;
}

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ms(std::chrono::milliseconds d) {
  return std::to_string(d.count());
}

}  // namespace

StampedeClient::StampedeClient(const ClientSetup& setup,
                               std::shared_ptr<const StampedeShared> shared)
    : shared_(std::move(shared)),
      options_(shared_->options),
      executor_(setup.executor),
      connection_(setup.executor, setup.endpoint, setup.connection),
      hook_(setup.hook),
      now_ns_(setup.now_ns),
      rng_(Random(shared_->seed).fork("xfetch", static_cast<std::uint64_t>(setup.process))),
      token_(fmt::format("p{}", setup.process)) {}

asio::awaitable<Completion> StampedeClient::invoke(const Op& invoke) {
  std::string error;
  try {
    if (invoke.f == "init") {
      auto j = nlohmann::json::parse(invoke.value, nullptr, false);
      std::vector<std::string> items;
      if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) items.push_back(it.key());
      }
      co_await shared_->db->seed(std::move(items));
      co_return Completion::ok();
    }
    if (invoke.f == "read" && invoke.key) co_return co_await read(*invoke.key);
    error = "unknown operation " + invoke.f;
  } catch (const std::exception& e) {
    error = std::string("database: ") + e.what();  // the row was not loaded: nothing served
  }
  co_return Completion::fail(error);
}

asio::awaitable<Completion> StampedeClient::read(const std::string& key) {
  auto r = co_await connection_.exec(redis::command("GET", key));
  if (!r.ok()) co_return Completion::fail(r.error.empty() ? r.reply.describe() : r.error);
  if (!r.reply.is_nil()) {
    auto entry = parse_entry(r.reply.str);
    if (!entry) co_return Completion::fail("not a cache entry: " + r.reply.describe());
    // XFetch: the earlier the decision, the likelier as expiry nears; one early recomputer
    // at a time (the lock), the others keep serving the entry, which is still valid.
    if (options_.variant == StampedeVariant::kXfetch && xfetch_early(entry->payload) &&
        co_await try_lock(key)) {
      // Double-checked: a recomputer that finished between our GET and the lock has renewed
      // the entry already; recomputing again would be a second rebuild for one expiry.
      auto again = co_await connection_.exec(redis::command("GET", key));
      if (again.ok() && !again.reply.is_nil() && again.reply.str != r.reply.str) {
        co_await unlock(key);
        co_return Completion::ok(read_value(entry->version, "cache"));
      }
      const std::int64_t v = co_await rebuild(key);
      co_return Completion::ok(read_value(v, "db"));
    }
    co_return Completion::ok(read_value(entry->version, "cache"));
  }
  if (options_.variant == StampedeVariant::kNone) {
    const std::int64_t v = co_await rebuild(key);
    co_return Completion::ok(read_value(v, "db"));
  }
  co_return co_await miss_with_lock(key);
}

// payload "<delta ms>/<expiry unix ms>": recompute when now − δ·β·ln(rand) ≥ expiry.
bool StampedeClient::xfetch_early(const std::string& payload) {
  const auto slash = payload.find('/');
  if (slash == std::string::npos) return false;
  const double delta = std::atof(payload.substr(0, slash).c_str());
  const double expiry = std::atof(payload.substr(slash + 1).c_str());
  const double u = std::max(rng_.uniform01(), 1e-12);
  return static_cast<double>(unix_ms()) - delta * options_.beta * std::log(u) >= expiry;
}

asio::awaitable<Completion> StampedeClient::miss_with_lock(const std::string& key) {
  const auto deadline = std::chrono::steady_clock::now() + options_.lock_ttl +
                        4 * options_.db_latency + std::chrono::milliseconds(500);
  while (std::chrono::steady_clock::now() < deadline) {
    if (co_await try_lock(key)) {
      // Double-checked: the entry may have been rebuilt between our GET and the lock.
      auto again = co_await connection_.exec(redis::command("GET", key));
      if (again.ok() && !again.reply.is_nil()) {
        co_await unlock(key);
        if (auto e = parse_entry(again.reply.str))
          co_return Completion::ok(read_value(e->version, "cache"));
      }
      const std::int64_t v = co_await rebuild(key);
      co_return Completion::ok(read_value(v, "db"));
    }
    if (options_.variant == StampedeVariant::kMutex) {
      auto old = co_await connection_.exec(redis::command("GET", old_key(key)));
      if (old.ok() && !old.reply.is_nil()) {
        if (auto e = parse_entry(old.reply.str))
          co_return Completion::ok(read_value(e->version, "stale"));
      }
    }
    co_await sleep(options_.wait);
    auto now = co_await connection_.exec(redis::command("GET", key));
    if (now.ok() && !now.reply.is_nil()) {
      if (auto e = parse_entry(now.reply.str))
        co_return Completion::ok(read_value(e->version, "cache"));
    }
  }
  co_return Completion::fail("no entry and no rebuild within the wait");
}

asio::awaitable<std::int64_t> StampedeClient::rebuild(const std::string& key) {
  co_await hook_(kHookDuringRebuild);
  const auto started = std::chrono::steady_clock::now();
  const db::Row row = co_await shared_->db->load(key, now_ns_());
  const auto delta = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  std::string payload = cache::payload_for(key, row.version);
  if (options_.variant == StampedeVariant::kXfetch) {
    payload = fmt::format("{}/{}", std::max<std::int64_t>(delta.count(), 1),
                          unix_ms() + options_.ttl.count());
  }
  const std::string entry = cache::entry_text(row.version, payload);
  co_await connection_.exec(redis::command("SET", key, entry, "PX", ms(options_.ttl)));
  if (options_.variant == StampedeVariant::kMutex) {
    co_await connection_.exec(
        redis::command("SET", old_key(key), entry, "PX", ms(options_.ttl * 20)));
  }
  if (options_.variant == StampedeVariant::kMutex) co_await unlock(key);
  if (options_.variant == StampedeVariant::kXfetch) {
    const auto linger = std::max(delta, std::chrono::milliseconds(1));
    co_await connection_.eval(linger_script(), redis::command(lock_key(key)),
                              redis::command(token_, ms(linger)));
  }
  co_return row.version;
}

asio::awaitable<bool> StampedeClient::try_lock(const std::string& key) {
  auto r = co_await connection_.exec(
      redis::command("SET", lock_key(key), token_, "NX", "PX", ms(options_.lock_ttl)));
  co_return r.ok() && r.reply.is_status("OK");
}

asio::awaitable<void> StampedeClient::unlock(const std::string& key) {
  co_await connection_.eval(unlock_script(), redis::command(lock_key(key)), redis::command(token_));
}

asio::awaitable<void> StampedeClient::sleep(std::chrono::milliseconds d) {
  asio::steady_timer timer(executor_);
  timer.expires_after(d);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace redproof::stampede
