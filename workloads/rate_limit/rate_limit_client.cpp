#include "workloads/rate_limit/rate_limit_client.hpp"

#include <fmt/format.h>

#include <chrono>

#include "redis/command_encoder.hpp"
#include "workloads/rate_limit/rate_limit_hooks.hpp"
#include "workloads/rate_limit/rate_limit_scripts.hpp"

namespace redproof::rate_limit {

namespace {

Completion decision(bool admitted) {
  return Completion::ok(admitted ? "true" : "false");
}

// The client's own wall clock, as the non-atomic sliding log of production code reads it.
std::int64_t client_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const redis::Script& our_script(Variant v) {
  if (v == Variant::kTokenBucketLua) return token_bucket_script();
  if (v == Variant::kGcraLua) return gcra_script();
  return sliding_log_script();
}

}  // namespace

std::vector<std::string> lua_argv_names(Variant v) {
  if (is_bucket(v)) return {"capacity", "rate", "tokens"};
  return {"limit", "window", "id"};
}

std::map<std::string, std::string> lua_argv(const Settings& s, const std::string& request_id) {
  return {{"limit", std::to_string(s.limit)},
          {"window", std::to_string(s.window.count())},
          {"id", request_id},
          {"capacity", std::to_string(s.capacity)},
          {"rate", fmt::format("{}", s.rate)},
          {"tokens", "1"}};
}

RateLimitClient::RateLimitClient(const ClientSetup& setup, const Settings& settings,
                                 std::shared_ptr<const UserScript> user)
    : setup_(setup),
      settings_(settings),
      user_(std::move(user)),
      connection_(setup.executor, setup.endpoint, setup.connection) {
  if (user_) user_script_.emplace(user_->source);
}

boost::asio::awaitable<Completion> RateLimitClient::invoke(const Op& invoke) {
  if (invoke.f != "request" || !invoke.key) co_return Completion::fail("unknown operation");
  co_await setup_.hook(kHookBeforeRequest);
  switch (settings_.variant) {
    case Variant::kFixedWindow:
      co_return co_await fixed_window(*invoke.key);
    case Variant::kSlidingLog:
      co_return co_await sliding_log(*invoke.key);
    default:
      co_return co_await lua(*invoke.key);
  }
}

// INCR, and PEXPIRE when this request opened the window (count 1), as production code does.
boost::asio::awaitable<Completion> RateLimitClient::fixed_window(const std::string& key) {
  auto r = co_await connection_.exec(redis::command("INCR", key));
  if (!r.ok()) co_return completion_for_failure(r);
  auto count = r.reply.as_integer();
  if (!count) co_return Completion::info("unexpected INCR reply " + r.reply.describe());
  if (*count == 1) {
    // The counter exists without a TTL: a crash here throttles the identity for ever.
    co_await setup_.hook(kHookBetweenIncrAndExpire);
    auto e = co_await connection_.exec(
        redis::command("PEXPIRE", key, std::to_string(settings_.window.count())));
    if (!e.ok()) co_return Completion::info("PEXPIRE failed after INCR: " + e.error);
  }
  co_return decision(*count <= settings_.limit);
}

// Trim, count, add: three round trips in which other clients may do the same (the race).
boost::asio::awaitable<Completion> RateLimitClient::sliding_log(const std::string& key) {
  const std::int64_t now = client_now_us();
  const std::int64_t window_us = settings_.window.count() * 1000;
  auto t = co_await connection_.exec(
      redis::command("ZREMRANGEBYSCORE", key, "-inf", std::to_string(now - window_us)));
  if (!t.ok()) co_return completion_for_failure(t);
  auto c = co_await connection_.exec(redis::command("ZCARD", key));
  if (!c.ok()) co_return completion_for_failure(c);
  auto count = c.reply.as_integer();
  if (!count) co_return Completion::info("unexpected ZCARD reply " + c.reply.describe());
  if (*count >= settings_.limit) co_return decision(false);
  const std::string id = fmt::format("{}-{}", setup_.process, ++requests_);
  auto a = co_await connection_.exec(redis::command("ZADD", key, std::to_string(now), id));
  if (!a.ok()) co_return completion_for_failure(a);
  auto e = co_await connection_.exec(
      redis::command("PEXPIRE", key, std::to_string(settings_.window.count())));
  if (!e.ok()) co_return Completion::info("PEXPIRE failed after ZADD: " + e.error);
  co_return decision(true);
}

boost::asio::awaitable<Completion> RateLimitClient::lua(const std::string& key) {
  const std::string id = fmt::format("{}-{}", setup_.process, ++requests_);
  const auto ours = lua_argv(settings_, id);
  const auto names = lua_argv_names(settings_.variant);
  // The template was checked when the workload was made, so this cannot throw.
  std::vector<std::string> argv = user_script_argv(user_ ? user_->argv_template : "", names, ours);
  const redis::Script& script = user_script_ ? *user_script_ : our_script(settings_.variant);
  auto r = co_await connection_.eval(script, redis::command(key), std::move(argv));
  if (r.reply.is_error()) {
    // The script may have written before it failed: unknown, with the error for the user.
    co_return Completion::info("script error: " + r.reply.describe());
  }
  if (!r.ok()) co_return completion_for_failure(r);
  auto admitted = user_script_decision(r.reply);
  if (!admitted) co_return Completion::info("script returned " + r.reply.describe());
  co_return decision(*admitted);
}

}  // namespace redproof::rate_limit
