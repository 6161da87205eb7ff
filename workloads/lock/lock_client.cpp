#include "workloads/lock/lock_client.hpp"

#include "redis/command_encoder.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/json_text.hpp"

namespace redproof::lock {

namespace {

// Deletes the lock only if it still holds our owner token, atomically.
const redis::Script& release_script() {
  static const redis::Script script(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
      "else return 0 end");
  return script;
}

// Takes the lock and, only if taken, draws the next fencing token, atomically.
const redis::Script& fenced_acquire_script() {
  static const redis::Script script(
      "if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then "
      "return redis.call('incr', KEYS[2]) end return false");
  return script;
}

// Extends the lease only while it is still ours: 1 extended, 0 gone or someone else's.
const redis::Script& renew_script() {
  static const redis::Script script(
      "if redis.call('get', KEYS[1]) == ARGV[1] then "
      "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end");
  return script;
}

std::string owner_of(const Op& invoke) {
  auto v = nlohmann::json::parse(invoke.value, nullptr, false);
  if (v.is_object() && v.contains("owner") && v["owner"].is_string()) return v["owner"];
  return {};
}

std::string released_value(bool released) {
  return released ? "{\"released\":true}" : "{\"released\":false}";
}

}  // namespace

LockClient::LockClient(const ClientSetup& setup, const LockOptions& options,
                       std::shared_ptr<FencedResource> resource)
    : setup_(setup),
      options_(options),
      resource_(std::move(resource)),
      connection_(setup.executor, setup.endpoint, setup.connection) {
  if (options_.release_script) user_release_.emplace(options_.release_script->source);
  if (options_.variant == LockVariant::kRedlock) {
    for (const auto& [name, endpoint] : setup.all_nodes) {
      masters_.push_back(
          std::make_unique<redis::Connection>(setup.executor, endpoint, setup.connection));
    }
    if (masters_.empty()) {
      masters_.push_back(
          std::make_unique<redis::Connection>(setup.executor, setup.endpoint, setup.connection));
    }
  }
}

// Redlock as its description gives it: try every master in turn with a short time-out, and hold
// the lock only if a majority said yes before the validity ran out; otherwise undo everywhere.
boost::asio::awaitable<Completion> LockClient::redlock_acquire(const Op& invoke,
                                                               const std::string& owner) {
  const std::string& key = *invoke.key;
  const std::string ttl = std::to_string(options_.ttl.count());
  // Each master gets a small share of the TTL, so that one slow or dead master cannot use up
  // the validity on its own.
  const auto per_master = std::chrono::milliseconds(std::max<std::int64_t>(
      5, std::min<std::int64_t>(50, options_.ttl.count() / (2 * (masters_.size() + 1)))));
  const std::int64_t start_ns = setup_.now_ns();
  std::size_t agreed = 0;
  for (auto& m : masters_) {
    auto r = co_await m->exec(redis::command("SET", key, owner, "NX", "PX", ttl), per_master);
    if (r.ok() && !r.reply.is_nil()) ++agreed;
  }
  // validity = TTL − elapsed − drift (drift = 1% of the TTL + 2 ms), elapsed rounded up to
  // whole ms so that the client never believes in more than it has; held only with a quorum of
  // ⌊N/2⌋+1 and validity left.
  const std::int64_t elapsed_ms = (setup_.now_ns() - start_ns + 999999) / 1000000;
  const auto validity = options_.ttl - std::chrono::milliseconds(elapsed_ms) - options_.drift();
  const bool majority = agreed >= masters_.size() / 2 + 1;
  if (majority && validity.count() > 0) {
    co_return acquired(invoke, owner, std::nullopt, validity);
  }
  co_await redlock_release(key, owner);
  co_return Completion::fail(majority ? "validity-expired" : "busy");
}

boost::asio::awaitable<bool> LockClient::redlock_release(const std::string& key,
                                                         const std::string& owner) {
  bool released = false;
  for (auto& m : masters_) {
    auto r = co_await m->eval(release_script(), redis::command(key), redis::command(owner));
    released = released || (r.ok() && r.reply.as_integer() == 1);
  }
  co_return released;
}

boost::asio::awaitable<Completion> LockClient::invoke(const Op& invoke) {
  if (invoke.f == "inspect") co_return co_await inspect(invoke);
  const std::string owner = owner_of(invoke);
  if (owner.empty()) co_return Completion::fail("invoke value has no owner");
  if (invoke.f == "acquire") co_return co_await acquire(invoke, owner);
  if (invoke.f == "write") co_return co_await write(invoke, owner);
  if (invoke.f == "release") co_return co_await release(invoke, owner);
  if (invoke.f == "renew") co_return co_await renew(invoke, owner);
  co_return Completion::fail("unknown operation " + invoke.f);
}

Completion LockClient::acquired(const Op& invoke, const std::string& owner,
                                std::optional<std::int64_t> fence,
                                std::optional<std::chrono::milliseconds> believed) {
  const auto validity = believed.value_or(options_.validity());
  holding_ = Holding{
      *invoke.key, owner,
      invoke.time + std::chrono::duration_cast<std::chrono::nanoseconds>(validity).count(), fence};
  std::string value =
      fmt::format("{{\"owner\":{},\"validity_ms\":{}", json_text::quote(owner), validity.count());
  if (fence) value += fmt::format(",\"fence\":{}", *fence);
  value += '}';
  return Completion::ok(std::move(value));
}

boost::asio::awaitable<Completion> LockClient::acquire(const Op& invoke, const std::string& owner) {
  const std::string& key = *invoke.key;
  const std::string ttl = std::to_string(options_.ttl.count());
  switch (options_.variant) {
    case LockVariant::kRedlock:
      co_return co_await redlock_acquire(invoke, owner);
    case LockVariant::kLuaRelease:
    case LockVariant::kWatchdog:
    case LockVariant::kGetDel: {
      auto r = co_await connection_.exec(redis::command("SET", key, owner, "NX", "PX", ttl));
      if (!r.ok()) co_return completion_for_failure(r);
      if (r.reply.is_nil()) co_return Completion::fail("busy");
      co_return acquired(invoke, owner, std::nullopt);
    }
    case LockVariant::kFencing: {
      auto r = co_await connection_.eval(
          fenced_acquire_script(), redis::command(key, key + ":fence"), redis::command(owner, ttl));
      if (!r.ok()) co_return completion_for_failure(r);
      if (r.reply.is_nil()) co_return Completion::fail("busy");
      auto fence = r.reply.as_integer();
      if (!fence) co_return Completion::info("unexpected reply " + r.reply.describe());
      co_return acquired(invoke, owner, *fence);
    }
    case LockVariant::kSetnxExpire: {
      auto r = co_await connection_.exec(redis::command("SETNX", key, owner));
      if (!r.ok()) co_return completion_for_failure(r);
      if (r.reply.as_integer() != 1) co_return Completion::fail("busy");
      // The lock now exists without a TTL: a crash here leaves it held for ever.
      co_await setup_.hook(kHookBetweenSetnxAndExpire);
      auto e = co_await connection_.exec(redis::command("PEXPIRE", key, ttl));
      // We do hold the lock, but it may never expire: what happened is not what was asked.
      if (!e.ok()) co_return Completion::info("PEXPIRE failed after SETNX: " + e.error);
      co_return acquired(invoke, owner, std::nullopt);
    }
  }
  co_return Completion::fail("unknown variant");
}

boost::asio::awaitable<Completion> LockClient::write(const Op& invoke, const std::string& owner) {
  if (!holding_ || holding_->owner != owner) co_return Completion::fail("not-holder");
  // The careful client's check; a pause right after it is what makes it unsafe.
  if (setup_.now_ns() >= holding_->deadline_ns) co_return Completion::fail("validity-expired");
  co_await setup_.hook(kHookBeforeWrite);
  if (!resource_->write(holding_->key, holding_->fence)) co_return Completion::fail("stale-fence");
  co_return Completion::ok();
}

boost::asio::awaitable<Completion> LockClient::release(const Op& invoke, const std::string& owner) {
  const std::string& key = *invoke.key;
  holding_.reset();  // whatever the answer, this client no longer acts as the holder
  if (options_.variant == LockVariant::kRedlock) {
    // Each master's release is its own request; the operation as a whole is ok once every
    // master was asked (those that did not answer let the key expire).
    co_return Completion::ok(released_value(co_await redlock_release(key, owner)));
  }
  if (options_.variant == LockVariant::kGetDel) {
    auto g = co_await connection_.exec(redis::command("GET", key));
    if (!g.ok()) co_return completion_for_failure(g);
    if (g.reply.is_nil() || g.reply.str != owner) co_return Completion::ok(released_value(false));
    co_await setup_.hook(kHookBetweenGetAndDel);
    auto d = co_await connection_.exec(redis::command("DEL", key));
    // The GET changed nothing, so the release's fate is the DEL's.
    if (!d.ok()) co_return completion_for_failure(d);
    co_return Completion::ok(released_value(d.reply.as_integer() == 1));
  }
  co_return co_await lua_release(key, owner);
}

boost::asio::awaitable<Completion> LockClient::lua_release(const std::string& key,
                                                           const std::string& owner) {
  redis::Result r;
  if (user_release_) {
    std::map<std::string, std::string> ours;
    ours.emplace("owner", owner);
    auto argv = user_script_argv(options_.release_script->argv_template, {"owner"}, ours);
    r = co_await connection_.eval(*user_release_, redis::command(key), std::move(argv));
  } else {
    r = co_await connection_.eval(release_script(), redis::command(key), redis::command(owner));
  }
  if (!r.ok()) co_return completion_for_failure(r);
  auto released = user_script_decision(r.reply);
  if (!released) co_return Completion::info("release script returned " + r.reply.describe());
  co_return Completion::ok(released_value(*released));
}

boost::asio::awaitable<Completion> LockClient::renew(const Op& invoke, const std::string& owner) {
  if (!holding_ || holding_->owner != owner) co_return Completion::fail("not-holder");
  auto r = co_await connection_.eval(renew_script(), redis::command(*invoke.key),
                                     redis::command(owner, std::to_string(options_.ttl.count())));
  if (!r.ok()) co_return completion_for_failure(r);
  if (r.reply.as_integer() != 1) {
    holding_.reset();  // the lease is gone: the holder stops working
    co_return Completion::fail("lease-lost");
  }
  // The new TTL started at some instant after this invoke: believe in it from the invoke.
  const auto validity = options_.validity();
  holding_->deadline_ns =
      invoke.time + std::chrono::duration_cast<std::chrono::nanoseconds>(validity).count();
  co_return Completion::ok(fmt::format("{{\"validity_ms\":{}}}", validity.count()));
}

boost::asio::awaitable<Completion> LockClient::inspect(const Op& invoke) {
  const std::string& key = *invoke.key;
  auto g = co_await connection_.exec(redis::command("GET", key));
  if (!g.ok()) co_return completion_for_failure(g);
  auto p = co_await connection_.exec(redis::command("PTTL", key));
  if (!p.ok()) co_return completion_for_failure(p);
  auto pttl = p.reply.as_integer();
  if (!pttl) co_return Completion::info("unexpected PTTL reply " + p.reply.describe());
  const std::string owner = g.reply.is_nil() ? "null" : json_text::quote(g.reply.str);
  co_return Completion::ok(fmt::format("{{\"owner\":{},\"pttl_ms\":{}}}", owner, *pttl));
}

}  // namespace redproof::lock
