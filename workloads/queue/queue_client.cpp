#include "workloads/queue/queue_client.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "redis/command_encoder.hpp"
#include "workloads/queue/queue_hooks.hpp"

namespace redproof::queue {

namespace {

constexpr const char* kGroup = "workers";

std::string proc_prefix(const std::string& key) {
  return key + ":proc:";
}

// Jobs in any consumer's processing list for longer than the visibility time-out go back to
// the queue's consuming end. A job seen without a taken time (its consumer died before noting
// it) gets one now. The caller registers as a consumer in the same step.
const redis::Script& reap_script() {
  static const redis::Script s(R"(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SADD', KEYS[2], ARGV[1])
local moved = 0
for _, c in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local proc = ARGV[3] .. c
  for _, id in ipairs(redis.call('LRANGE', proc, 0, -1)) do
    local at = redis.call('HGET', KEYS[3], id)
    if not at then
      redis.call('HSET', KEYS[3], id, now)
    elseif now - tonumber(at) > tonumber(ARGV[2]) then
      redis.call('LREM', proc, 1, id)
      redis.call('RPUSH', KEYS[1], id)
      redis.call('HDEL', KEYS[3], id)
      moved = moved + 1
    end
  end
end
return moved)");
  return s;
}

const redis::Script& taken_script() {
  static const redis::Script s(R"(
local t = redis.call('TIME')
redis.call('HSET', KEYS[1], ARGV[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
return 1)");
  return s;
}

const redis::Script& ack_script() {
  static const redis::Script s(R"(
redis.call('LREM', KEYS[1], 1, ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1)");
  return s;
}

std::string quoted(const std::string& id) {
  return nlohmann::json(id).dump();
}

}  // namespace

QueueClient::QueueClient(const ClientSetup& setup, const QueueOptions& options)
    : setup_(setup),
      options_(options),
      connection_(setup.executor, setup.endpoint, setup.connection),
      consumer_(fmt::format("c{}", setup.process)) {}

std::chrono::nanoseconds QueueClient::blocking_timeout() const {
  return std::chrono::nanoseconds(options_.block) + std::chrono::seconds(1);
}

boost::asio::awaitable<Completion> QueueClient::invoke(const Op& invoke) {
  const std::string key = invoke.key.value_or(queue_key(0));
  if (invoke.f == "dequeue") co_return co_await dequeue(key);
  if (invoke.f == "drain") co_return co_await drain(key);
  auto id = nlohmann::json::parse(invoke.value, nullptr, false);
  if (!id.is_string()) co_return Completion::fail("a message id must be a string");
  if (invoke.f == "enqueue") co_return co_await enqueue(key, id.get<std::string>());
  if (invoke.f == "ack") co_return co_await ack(key, id.get<std::string>());
  co_return Completion::fail("unknown operation " + invoke.f);
}

boost::asio::awaitable<Completion> QueueClient::enqueue(const std::string& key,
                                                        const std::string& id) {
  auto args = options_.variant == QueueVariant::kStream ? redis::command("XADD", key, "*", "id", id)
                                                        : redis::command("LPUSH", key, id);
  auto r = co_await connection_.exec(std::move(args));
  if (!r.ok()) co_return completion_for_failure(r);
  co_return Completion::ok();
}

boost::asio::awaitable<Completion> QueueClient::dequeue(const std::string& key) {
  if (options_.variant == QueueVariant::kStream) co_return co_await take_stream(key);
  co_return co_await take_list(key);
}

boost::asio::awaitable<Completion> QueueClient::take_list(const std::string& key) {
  redis::Result r;
  if (options_.variant == QueueVariant::kListBrpop) {
    const auto seconds = fmt::format("{:.3f}", static_cast<double>(options_.block.count()) / 1000);
    r = co_await connection_.exec(redis::command("BRPOP", key, seconds), blocking_timeout());
    if (!r.ok()) co_return completion_for_failure(r);
    if (r.reply.is_nil() || r.reply.elements.size() < 2) co_return Completion::ok();
    co_return co_await taken(r.reply.elements[1].str);
  }
  std::vector<std::string> keys{key, key + ":consumers", key + ":taken"};
  std::vector<std::string> args{consumer_, std::to_string(options_.visibility.count()),
                                proc_prefix(key)};
  auto reaped = co_await connection_.eval(reap_script(), std::move(keys), std::move(args));
  if (!reaped.ok()) co_return completion_for_failure(reaped);
  const auto seconds = fmt::format("{:.3f}", static_cast<double>(options_.block.count()) / 1000);
  r = co_await connection_.exec(
      redis::command("BLMOVE", key, proc_prefix(key) + consumer_, "RIGHT", "LEFT", seconds),
      blocking_timeout());
  if (!r.ok()) co_return completion_for_failure(r);
  if (r.reply.is_nil()) co_return Completion::ok();
  const std::string id = r.reply.str;
  std::vector<std::string> taken_keys{key + ":taken"}, taken_args{id};
  auto noted =
      co_await connection_.eval(taken_script(), std::move(taken_keys), std::move(taken_args));
  // Taken but not noted: the reaper notes it on its next pass. Report what was taken.
  if (!noted.ok()) co_return Completion::info("took " + id + ", then: " + noted.error);
  co_return co_await taken(id);
}

// The job is this consumer's now: where the crash strikes.
boost::asio::awaitable<Completion> QueueClient::taken(const std::string& id) {
  co_await setup_.hook(kHookAfterTake);
  co_return Completion::ok(quoted(id));
}

boost::asio::awaitable<Completion> QueueClient::ack(const std::string& key, const std::string& id) {
  if (options_.variant == QueueVariant::kListBrpop) co_return Completion::ok();
  if (options_.variant == QueueVariant::kListBlmove) {
    std::vector<std::string> keys{proc_prefix(key) + consumer_, key + ":taken"}, args{id};
    auto r = co_await connection_.eval(ack_script(), std::move(keys), std::move(args));
    if (!r.ok()) co_return completion_for_failure(r);
    co_return Completion::ok();
  }
  auto entry = entries_.find(id);
  if (entry == entries_.end()) co_return Completion::fail("not a job this consumer holds");
  auto r = co_await connection_.exec(redis::command("XACK", key, kGroup, entry->second));
  if (!r.ok()) co_return completion_for_failure(r);
  entries_.erase(entry);
  co_return Completion::ok();
}

}  // namespace redproof::queue
