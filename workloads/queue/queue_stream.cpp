// The stream variant's consumer side and every variant's drain (QueueClient).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "redis/command_encoder.hpp"
#include "workloads/queue/queue_client.hpp"

namespace redproof::queue {

namespace {

constexpr const char* kGroup = "workers";
constexpr const char* kDrainer = "redproof-drain";

std::string message_id(const redis::Reply& entry) {
  if (entry.elements.size() < 2) return {};
  const auto& fields = entry.elements[1].elements;
  for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
    if (fields[i].str == "id") return fields[i + 1].str;
  }
  return {};
}

}  // namespace

// A command on the consumer group, creating the group first when the server has none (at the
// start, or after a restart that came back empty).
boost::asio::awaitable<redis::Result> QueueClient::stream_exec(const std::string& key,
                                                               std::vector<std::string> args,
                                                               std::chrono::nanoseconds timeout) {
  auto r = co_await connection_.exec(args, timeout);
  if (!(r.certainty == redis::Certainty::kReplied && r.reply.is_error() &&
        r.reply.error_code() == "NOGROUP")) {
    co_return r;
  }
  auto created =
      co_await connection_.exec(redis::command("XGROUP", "CREATE", key, kGroup, "0", "MKSTREAM"));
  if (!created.ok() && created.reply.error_code() != "BUSYGROUP") co_return created;
  co_return co_await connection_.exec(std::move(args), timeout);
}

// First an entry stalled past the visibility time-out (its consumer died or hangs), else a new
// one, waiting up to the blocking time-out.
boost::asio::awaitable<Completion> QueueClient::take_stream(const std::string& key) {
  const auto idle = std::to_string(options_.visibility.count());
  auto claimed = co_await stream_exec(
      key, redis::command("XAUTOCLAIM", key, kGroup, consumer_, idle, "0-0", "COUNT", "1"),
      blocking_timeout());
  if (!claimed.ok()) co_return completion_for_failure(claimed);
  const redis::Reply* entry = nullptr;
  if (claimed.reply.elements.size() >= 2 && !claimed.reply.elements[1].elements.empty()) {
    entry = &claimed.reply.elements[1].elements[0];
  }
  redis::Result read;
  if (!entry) {
    read = co_await stream_exec(
        key,
        redis::command("XREADGROUP", "GROUP", kGroup, consumer_, "COUNT", "1", "BLOCK",
                       std::to_string(options_.block.count()), "STREAMS", key, ">"),
        blocking_timeout());
    if (!read.ok()) co_return completion_for_failure(read);
    if (read.reply.is_nil() || read.reply.elements.empty()) co_return Completion::ok();
    const auto& entries = read.reply.elements[0].elements;
    if (entries.size() < 2 || entries[1].elements.empty()) co_return Completion::ok();
    entry = &entries[1].elements[0];
  }
  const std::string id = message_id(*entry);
  if (id.empty()) co_return Completion::info("a stream entry without a message id");
  entries_[id] = entry->elements[0].str;
  co_return co_await taken(id);
}

boost::asio::awaitable<Completion> QueueClient::drain(const std::string& key) {
  if (options_.variant == QueueVariant::kStream) co_return co_await drain_stream(key);
  std::vector<std::string> ids;
  redis::Result r;
  if (options_.variant == QueueVariant::kListBrpop) {
    r = co_await connection_.exec(redis::command("LRANGE", key, "0", "-1"));
  } else {
    static const redis::Script lists(R"(
local out = redis.call('LRANGE', KEYS[1], 0, -1)
for _, c in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  for _, id in ipairs(redis.call('LRANGE', ARGV[1] .. c, 0, -1)) do table.insert(out, id) end
end
return out)");
    std::vector<std::string> keys{key, key + ":consumers"}, args{key + ":proc:"};
    r = co_await connection_.eval(lists, std::move(keys), std::move(args));
  }
  if (!r.ok()) co_return completion_for_failure(r);
  for (const auto& e : r.reply.elements) ids.push_back(e.str);
  co_return Completion::ok(nlohmann::json(ids).dump());
}

// Everything not acknowledged: the entries never delivered (read now by the drainer, which puts
// them in the pending list) and every pending entry.
boost::asio::awaitable<Completion> QueueClient::drain_stream(const std::string& key) {
  auto read = co_await stream_exec(key,
                                   redis::command("XREADGROUP", "GROUP", kGroup, kDrainer, "COUNT",
                                                  "10000000", "STREAMS", key, ">"),
                                   blocking_timeout());
  if (!read.ok()) co_return completion_for_failure(read);
  auto pending = co_await connection_.exec(
      redis::command("XPENDING", key, kGroup, "-", "+", "10000000"), blocking_timeout());
  if (!pending.ok()) co_return completion_for_failure(pending);
  auto all = co_await connection_.exec(redis::command("XRANGE", key, "-", "+"), blocking_timeout());
  if (!all.ok()) co_return completion_for_failure(all);
  std::map<std::string, std::string> message_of_entry;
  for (const auto& e : all.reply.elements) {
    if (!e.elements.empty()) message_of_entry[e.elements[0].str] = message_id(e);
  }
  std::vector<std::string> ids;
  for (const auto& p : pending.reply.elements) {
    if (p.elements.empty()) continue;
    auto it = message_of_entry.find(p.elements[0].str);
    if (it != message_of_entry.end() && !it->second.empty()) ids.push_back(it->second);
  }
  co_return Completion::ok(nlohmann::json(ids).dump());
}

}  // namespace redproof::queue
