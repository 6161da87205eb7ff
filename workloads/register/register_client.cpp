#include "workloads/register/register_client.hpp"

#include "redis/command_encoder.hpp"

#include <nlohmann/json.hpp>

namespace redproof::reg {

namespace {

// Sets KEYS[1] to ARGV[2] (with a TTL of ARGV[3] ms unless it is 0) only if it holds ARGV[1];
// 1 when it did.
const redis::Script& cas_script() {
  static const redis::Script script(
      "if redis.call('get', KEYS[1]) == ARGV[1] then "
      "if ARGV[3] == '0' then redis.call('set', KEYS[1], ARGV[2]) "
      "else redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3]) end "
      "return 1 end return 0");
  return script;
}

}  // namespace

boost::asio::awaitable<Completion> RegisterClient::invoke(const Op& invoke) {
  const std::string& key = *invoke.key;
  if (invoke.f == "read") {
    auto r = co_await connection_.exec(redis::command("GET", key));
    if (!r.ok()) co_return completion_for_failure(r);
    if (r.reply.is_nil()) co_return Completion::ok("null");
    auto v = r.reply.as_integer();
    if (!v) co_return Completion::info("register holds a non-integer: " + r.reply.describe());
    co_return Completion::ok(std::to_string(*v));
  }
  if (invoke.f == "write") {
    // A named vector, not a conditional expression inside co_await: GCC 12 destroys such a
    // temporary twice in a coroutine.
    std::vector<std::string> set = redis::command("SET", key, invoke.value);
    if (ttl_ms_ != "0") set.insert(set.end(), {"PX", ttl_ms_});
    auto r = co_await connection_.exec(std::move(set));
    if (!r.ok()) co_return completion_for_failure(r);
    co_return Completion::ok(invoke.value);
  }
  if (invoke.f == "cas") {
    auto pair = nlohmann::json::parse(invoke.value, nullptr, false);
    if (!pair.is_array() || pair.size() != 2) co_return Completion::fail("bad cas value");
    auto r = co_await connection_.eval(cas_script(), redis::command(key),
                                       redis::command(pair[0].dump(), pair[1].dump(), ttl_ms_));
    if (!r.ok()) co_return completion_for_failure(r);
    if (r.reply.as_integer() == 1) co_return Completion::ok(invoke.value);
    co_return Completion::fail("mismatch");  // a compare that did not match did not happen
  }
  co_return Completion::fail("unknown operation " + invoke.f);
}

}  // namespace redproof::reg
