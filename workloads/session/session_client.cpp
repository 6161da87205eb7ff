#include "workloads/session/session_client.hpp"

#include <nlohmann/json.hpp>

#include "core/json_text.hpp"
#include "redis/command_encoder.hpp"
#include "workloads/session/session_hooks.hpp"

namespace redproof::session {

namespace {

std::string ttl_ms_of(const std::string& value) {
  auto v = nlohmann::json::parse(value, nullptr, false);
  if (v.is_object() && v.contains("ttl_ms") && v["ttl_ms"].is_number_integer()) {
    return std::to_string(v["ttl_ms"].get<std::int64_t>());
  }
  return {};
}

// HGETALL's flat [field, value, ...] as a JSON object; null when the session is gone.
std::string data_of(const redis::Reply& hash) {
  if (hash.elements.empty()) return "null";
  std::string out = "{";
  for (std::size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
    if (i) out += ',';
    json_text::append_string(out, hash.elements[i].str);
    out += ':';
    json_text::append_string(out, hash.elements[i + 1].str);
  }
  return out + "}";
}

}  // namespace

boost::asio::awaitable<redis::Result> SessionClient::transaction(
    std::vector<std::vector<std::string>> cmds) {
  cmds.insert(cmds.begin(), redis::command("MULTI"));
  for (auto& cmd : cmds) {
    auto r = co_await connection_.exec(std::move(cmd));
    if (!r.ok()) {
      connection_.close();
      co_return redis::Result{redis::Certainty::kNotApplied, {}, "before EXEC: " + r.error};
    }
  }
  co_return co_await connection_.exec(redis::command("EXEC"));
}

boost::asio::awaitable<Completion> SessionClient::invoke(const Op& invoke) {
  const std::string& key = *invoke.key;
  if (invoke.f == "logout") {
    auto r = co_await connection_.exec(redis::command("DEL", key));
    if (!r.ok()) co_return completion_for_failure(r);
    co_return Completion::ok();
  }
  const std::string ttl = ttl_ms_of(invoke.value);
  if (ttl.empty()) co_return Completion::fail("no ttl_ms in " + invoke.value);
  if (invoke.f == "login") {
    std::vector<std::vector<std::string>> cmds;
    cmds.push_back(
        redis::command("HSET", key, "user", key, "login_ns", std::to_string(invoke.time)));
    cmds.push_back(redis::command("PEXPIRE", key, ttl));
    auto r = co_await transaction(std::move(cmds));
    if (!r.ok()) co_return completion_for_failure(r);
    if (r.reply.type != redis::Reply::Type::kArray) co_return Completion::info("EXEC aborted");
    co_return Completion::ok();
  }
  if (invoke.f == "refresh") {
    co_await setup_.hook(kHookBeforeRefresh);
    std::vector<std::vector<std::string>> cmds;
    cmds.push_back(redis::command("HGETALL", key));
    cmds.push_back(redis::command("PEXPIRE", key, ttl));
    auto r = co_await transaction(std::move(cmds));
    if (!r.ok()) co_return completion_for_failure(r);
    if (r.reply.type != redis::Reply::Type::kArray || r.reply.elements.size() != 2) {
      co_return Completion::info("unexpected EXEC reply " + r.reply.describe());
    }
    co_return Completion::ok(data_of(r.reply.elements[0]));
  }
  co_return Completion::fail("unknown operation " + invoke.f);
}

}  // namespace redproof::session
