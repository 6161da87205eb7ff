#include "workloads/leaderboard/leaderboard_client.hpp"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/json_text.hpp"
#include "redis/command_encoder.hpp"
#include "workloads/leaderboard/leaderboard_hooks.hpp"

namespace redproof::leaderboard {

namespace {

// A score as Redis prints it ("15", "2.5") as JSON; empty when it is not a number.
std::string score_json(const std::string& s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return {};
  return fmt::format("{}", v);
}

// WITHSCORES' flat [member, score, ...] as [[m, s], ...] or {m: s}.
std::string pairs_json(const redis::Reply& flat, bool as_object) {
  std::string out = as_object ? "{" : "[";
  for (std::size_t i = 0; i + 1 < flat.elements.size(); i += 2) {
    if (i) out += ',';
    if (!as_object) out += '[';
    json_text::append_string(out, flat.elements[i].str);
    out += as_object ? ':' : ',';
    const std::string score = score_json(flat.elements[i + 1].str);
    out += score.empty() ? "null" : score;
    if (!as_object) out += ']';
  }
  return out + (as_object ? "}" : "]");
}

}  // namespace

boost::asio::awaitable<Completion> LeaderboardClient::invoke(const Op& invoke) {
  const std::string& board = *invoke.key;
  if (invoke.f == "incr") {
    auto v = nlohmann::json::parse(invoke.value, nullptr, false);
    if (!v.is_object() || !v.contains("member") || !v.contains("by")) {
      co_return Completion::fail("bad incr value " + invoke.value);
    }
    co_await setup_.hook(kHookBeforeIncrement);
    auto r = co_await connection_.exec(redis::command("ZINCRBY", board,
                                                      std::to_string(v["by"].get<std::int64_t>()),
                                                      v["member"].get<std::string>()));
    if (!r.ok()) co_return completion_for_failure(r);
    const std::string score = score_json(r.reply.str);
    if (score.empty()) co_return Completion::info("ZINCRBY replied " + r.reply.describe());
    co_return Completion::ok(score);
  }
  if (invoke.f == "top" || invoke.f == "read") {
    const bool top = invoke.f == "top";
    std::vector<std::string> cmd = redis::command("ZRANGE", board, "0", "-1", "WITHSCORES");
    if (top) {
      auto n = nlohmann::json::parse(invoke.value, nullptr, false);
      if (!n.is_number_integer() || n.get<std::int64_t>() < 1) {
        co_return Completion::fail("top needs a count, not " + invoke.value);
      }
      cmd = redis::command("ZREVRANGE", board, "0", std::to_string(n.get<std::int64_t>() - 1),
                           "WITHSCORES");
    }
    auto r = co_await connection_.exec(std::move(cmd));
    if (!r.ok()) co_return completion_for_failure(r);
    co_return Completion::ok(pairs_json(r.reply, !top));
  }
  co_return Completion::fail("unknown operation " + invoke.f);
}

}  // namespace redproof::leaderboard
