#include "workloads/cache/cache_client.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "redis/command_encoder.hpp"
#include "workloads/cache/cache_entry.hpp"
#include "workloads/cache/cache_hooks.hpp"

namespace redproof::cache {

namespace {

// The set-if-newer fill (and tombstone) of cache-aside-versioned: KEYS item key, ARGV version,
// the entry to store (it begins with "<version>:"), TTL in ms; 1 stored, 0 older than what is
// there. An equal version is stored: it turns a tombstone into the value of that version.
const redis::Script& set_if_newer_script() {
  static const redis::Script script(
      "local cur = redis.call('get', KEYS[1]) "
      "if cur then local v = tonumber(string.match(cur, '^(%d+):')) "
      "if v and v > tonumber(ARGV[1]) then return 0 end end "
      "redis.call('set', KEYS[1], ARGV[2], 'px', ARGV[3]) return 1");
  return script;
}

std::string ms(std::chrono::milliseconds d) {
  return std::to_string(d.count());
}

}  // namespace

std::string read_value(std::int64_t version, std::string_view source) {
  return fmt::format("{{\"version\":{},\"source\":\"{}\"}}", version, source);
}

std::optional<std::int64_t> version_of(const std::string& value) {
  auto j = nlohmann::json::parse(value, nullptr, false);
  if (!j.is_object() || !j.contains("version") || !j["version"].is_number_integer()) {
    return std::nullopt;
  }
  return j["version"].get<std::int64_t>();
}

CacheClient::CacheClient(const ClientSetup& setup, std::shared_ptr<const CacheShared> shared)
    : shared_(std::move(shared)),
      options_(shared_->options),
      connection_(setup.executor, setup.endpoint, setup.connection),
      hook_(setup.hook),
      now_ns_(setup.now_ns) {}

boost::asio::awaitable<Completion> CacheClient::invoke(const Op& invoke) {
  if (invoke.f == "init") co_return co_await init(invoke.value);
  if (!invoke.key) co_return Completion::fail("no key");
  const std::string& key = *invoke.key;
  if (invoke.f == "read") co_return co_await read(key);
  if (invoke.f == "db-read") co_return co_await db_read(key);
  const auto version = version_of(invoke.value);
  if (!version) co_return Completion::fail("no version in " + invoke.value);
  if (invoke.f == "write") co_return co_await write(key, *version);
  if (invoke.f == "flush") co_return co_await flush(key, *version);
  co_return Completion::fail("unknown operation " + invoke.f);
}

boost::asio::awaitable<Completion> CacheClient::init(const std::string& value) {
  auto j = nlohmann::json::parse(value, nullptr, false);
  std::vector<std::string> items;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) items.push_back(it.key());
  }
  try {
    co_await shared_->db->seed(std::move(items));
  } catch (const std::exception& e) {
    co_return Completion::info(std::string("seeding the database: ") + e.what());
  }
  co_return Completion::ok();
}

// GET; a hit (not a tombstone) is served; a miss loads the row, fills, and serves the row.
boost::asio::awaitable<Completion> CacheClient::read(const std::string& key) {
  auto r = co_await connection_.exec(redis::command("GET", key));
  if (!r.ok()) co_return Completion::fail(r.error.empty() ? r.reply.describe() : r.error);
  if (!r.reply.is_nil()) {
    auto entry = parse_entry(r.reply.str);
    if (!entry) co_return Completion::fail("not a cache entry: " + r.reply.describe());
    if (!entry->tombstone()) co_return Completion::ok(read_value(entry->version, "cache"));
  }
  db::Row row;
  try {
    row = co_await shared_->db->load(key, now_ns_());
  } catch (const std::exception& e) {
    co_return Completion::fail(std::string("database: ") + e.what());
  }
  co_await hook_(kHookBetweenDbReadAndFill);
  const std::string error = co_await fill(key, row.version);
  if (!error.empty()) co_return Completion::info(error);
  // Served from the row whatever became of the fill: that is what the application returned.
  co_return Completion::ok(read_value(row.version, "db"));
}

boost::asio::awaitable<std::string> CacheClient::fill(const std::string& key,
                                                      std::int64_t version) {
  const std::string entry = entry_text(version, payload_for(key, version));
  redis::Result r;
  switch (options_.variant) {
    case CacheVariant::kCacheAsideVersioned: {
      r = co_await set_if_newer(key, version, entry);
      // The user's script must answer 1 or 0; anything else (an error reply included) makes
      // the read `info` with the reply, so a broken script is not judged as a slow one.
      const bool replied = r.certainty == redis::Certainty::kReplied;
      if (shared_->script && replied && !user_script_decision(r.reply)) {
        co_return "the set-if-newer script replied " + r.reply.describe();
      }
      co_return std::string();
    }
    case CacheVariant::kReadThrough:
      r = co_await connection_.exec(
          redis::command("SET", key, entry, "NX", "PX", ms(options_.ttl)));
      break;
    case CacheVariant::kWriteBehind:  // no TTL: the buffer must outlive the flush
      r = co_await connection_.exec(redis::command("SET", key, entry, "NX"));
      break;
    default:
      r = co_await connection_.exec(redis::command("SET", key, entry, "PX", ms(options_.ttl)));
  }
  co_return std::string();  // a failed fill leaves a miss behind: the next reader loads again
}

boost::asio::awaitable<redis::Result> CacheClient::set_if_newer(const std::string& key,
                                                                std::int64_t version,
                                                                const std::string& entry) {
  if (!shared_->script) {
    co_return co_await connection_.eval(
        set_if_newer_script(), redis::command(key),
        redis::command(std::to_string(version), entry, ms(options_.ttl)));
  }
  static const std::vector<std::string> order = {"version", "value", "ttl"};
  const auto argv = user_script_argv(
      shared_->script->argv_template, order,
      {{"version", std::to_string(version)}, {"value", entry}, {"ttl", ms(options_.ttl)}});
  const redis::Script user(shared_->script->source);
  co_return co_await connection_.eval(user, redis::command(key), argv);
}

boost::asio::awaitable<Completion> CacheClient::write(const std::string& key,
                                                      std::int64_t version) {
  if (options_.variant == CacheVariant::kWriteBehind) {
    const std::string entry = entry_text(version, payload_for(key, version));
    auto r = co_await connection_.exec(redis::command("SET", key, entry));
    if (!r.ok()) co_return completion_for_failure(r);
    auto d = co_await connection_.exec(redis::command("SADD", std::string(kDirtySet), key));
    if (!d.ok()) co_return Completion::info("buffered, but the dirty set: " + d.error);
    shared_->flushes->push(key, version);
    co_return Completion::ok();
  }
  bool stored = false;
  try {
    stored = co_await shared_->db->write(key, version, payload_for(key, version));
  } catch (const std::exception& e) {
    co_return Completion::fail(std::string("database: ") + e.what());
  }
  // write-through: a row that already held a newer version was overwritten by a later writer,
  // whose own SET follows; putting this older value in the cache would only make it stale.
  if (options_.variant == CacheVariant::kWriteThrough && !stored) co_return Completion::ok();
  auto r = co_await after_row_write(key, version);
  const bool user_script =
      shared_->script && options_.variant == CacheVariant::kCacheAsideVersioned;
  if (user_script && r.certainty == redis::Certainty::kReplied && !user_script_decision(r.reply)) {
    co_return Completion::info("the set-if-newer script replied " + r.reply.describe());
  }
  if (!r.ok()) {
    co_return Completion::info("row written, cache not updated: " +
                               (r.error.empty() ? r.reply.describe() : r.error));
  }
  co_return Completion::ok();
}

boost::asio::awaitable<redis::Result> CacheClient::after_row_write(const std::string& key,
                                                                   std::int64_t version) {
  switch (options_.variant) {
    case CacheVariant::kCacheAsideVersioned:  // a tombstone: older fills are refused
      co_return co_await set_if_newer(key, version, entry_text(version, ""));
    case CacheVariant::kWriteThrough:
      co_return co_await connection_.exec(redis::command(
          "SET", key, entry_text(version, payload_for(key, version)), "PX", ms(options_.ttl)));
    default:
      co_return co_await connection_.exec(redis::command("DEL", key));
  }
}

// write-behind's flusher: the buffered entry of `key` is written to its row when the buffer
// still holds exactly `version`; a buffer that lost it, or holds a newer write (flushed under its
// own notification), means this flush certainly wrote nothing: fail.
boost::asio::awaitable<Completion> CacheClient::flush(const std::string& key,
                                                      std::int64_t version) {
  auto r = co_await connection_.exec(redis::command("GET", key));
  if (!r.ok()) {
    shared_->flushes->retry(key, version);
    co_return Completion::fail("buffer unreachable: " +
                               (r.error.empty() ? r.reply.describe() : r.error));
  }
  auto entry = r.reply.is_nil() ? std::nullopt : parse_entry(r.reply.str);
  if (!entry) co_return Completion::fail("not in the buffer");
  if (entry->version != version) {
    co_return Completion::fail(fmt::format("the buffer holds version {}", entry->version));
  }
  co_await hook_(kHookInFlusher);
  try {
    co_await shared_->db->write(key, version, entry->payload);
  } catch (const std::exception& e) {
    shared_->flushes->retry(key, version);
    co_return Completion::fail(std::string("database: ") + e.what());
  }
  co_await connection_.exec(redis::command("SREM", std::string(kDirtySet), key));
  co_return Completion::ok();
}

boost::asio::awaitable<Completion> CacheClient::db_read(const std::string& key) {
  try {
    const db::Row row = co_await shared_->db->inspect(key);
    co_return Completion::ok(fmt::format("{{\"version\":{}}}", row.version));
  } catch (const std::exception& e) {
    co_return Completion::fail(std::string("database: ") + e.what());
  }
}

}  // namespace redproof::cache
