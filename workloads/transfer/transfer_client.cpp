#include "workloads/transfer/transfer_client.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/json_text.hpp"
#include "redis/command_encoder.hpp"
#include "workloads/transfer/transfer_hooks.hpp"

namespace redproof::transfer {

namespace {

// A balance as GET/MGET returns it: nil is an account that is gone (0 to the application).
std::optional<std::int64_t> balance_of(const redis::Reply& r) {
  if (r.is_nil()) return 0;
  return r.as_integer();
}

}  // namespace

std::vector<std::string> TransferOptions::keys() const {
  std::vector<std::string> out;
  // One hash tag for every account: a transaction touches two of them, so they must share a
  // Redis Cluster slot.
  for (int i = 0; i < accounts; ++i) out.push_back(fmt::format("{{bank}}:acct:{}", i));
  return out;
}

boost::asio::awaitable<Completion> TransferClient::invoke(const Op& invoke) {
  if (invoke.f == "init") co_return co_await init(invoke);
  if (invoke.f == "read") co_return co_await read();
  if (invoke.f != "transfer") co_return Completion::fail("unknown operation " + invoke.f);
  auto v = nlohmann::json::parse(invoke.value, nullptr, false);
  if (!v.is_object() || !v.contains("from") || !v.contains("to") || !v.contains("amount") ||
      !v["from"].is_string() || !v["to"].is_string() || !v["amount"].is_number_integer()) {
    co_return Completion::fail("transfer value is not {from, to, amount}");
  }
  Move m{v["from"], v["to"], v["amount"]};
  if (options_.variant == TransferVariant::kWatchMulti) co_return co_await watch_multi(m);
  co_return co_await no_watch(m);
}

boost::asio::awaitable<Completion> TransferClient::init(const Op& invoke) {
  auto accounts = nlohmann::json::parse(invoke.value, nullptr, false);
  if (!accounts.is_object() || accounts.empty())
    co_return Completion::fail("init value is not a map");
  std::vector<std::string> mset{"MSET"};
  for (const auto& [key, n] : accounts.items()) {
    mset.push_back(key);
    mset.push_back(n.dump());
  }
  auto r = co_await connection_.exec(std::move(mset));
  if (!r.ok()) co_return completion_for_failure(r);
  co_return Completion::ok();
}

boost::asio::awaitable<Completion> TransferClient::read() {
  std::vector<std::string> mget{"MGET"};
  mget.insert(mget.end(), keys_.begin(), keys_.end());
  auto r = co_await connection_.exec(std::move(mget));
  if (!r.ok()) co_return completion_for_failure(r);
  if (r.reply.type != redis::Reply::Type::kArray || r.reply.elements.size() != keys_.size()) {
    co_return Completion::info("MGET returned " + r.reply.describe());
  }
  std::string out = "{";
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const redis::Reply& e = r.reply.elements[i];
    if (i) out += ',';
    out += json_text::quote(keys_[i]) + ':';
    if (e.is_nil()) {
      out += "null";
    } else if (auto n = e.as_integer()) {
      out += std::to_string(*n);
    } else {
      co_return Completion::info("balance holds " + e.describe());
    }
  }
  co_return Completion::ok(out + '}');
}

boost::asio::awaitable<Completion> TransferClient::watch_multi(const Move& m) {
  for (int attempt = 0; attempt < options_.retries; ++attempt) {
    auto done = co_await watch_multi_once(m);
    if (done) co_return std::move(*done);
  }
  co_return Completion::fail("aborted");  // every EXEC aborted: nothing was applied
}

boost::asio::awaitable<std::optional<Completion>> TransferClient::watch_multi_once(const Move& m) {
  // Until EXEC is sent nothing can apply (a lost connection discards the transaction), so a
  // failure before it is a `fail` whatever its certainty.
  auto failed = [](const redis::Result& r) {
    return Completion::fail(r.error.empty() ? r.reply.describe() : r.error);
  };
  auto w = co_await connection_.exec(redis::command("WATCH", m.from, m.to));
  if (!w.ok()) co_return failed(w);
  auto g = co_await connection_.exec(redis::command("MGET", m.from, m.to));
  if (!g.ok()) co_return failed(g);
  if (g.reply.elements.size() != 2)
    co_return Completion::fail("MGET returned " + g.reply.describe());
  auto from = balance_of(g.reply.elements[0]);
  if (!from || !balance_of(g.reply.elements[1])) {
    co_await connection_.exec(redis::command("UNWATCH"));
    co_return Completion::fail("a balance is not an integer");
  }
  co_await setup_.hook(kHookBetweenReadsAndWrites);
  if (*from < m.amount) {
    co_await connection_.exec(redis::command("UNWATCH"));
    co_return Completion::fail("insufficient-funds");
  }
  const std::string amount = std::to_string(m.amount);
  std::vector<std::vector<std::string>> queued;
  queued.push_back(redis::command("MULTI"));
  queued.push_back(redis::command("DECRBY", m.from, amount));
  queued.push_back(redis::command("INCRBY", m.to, amount));
  for (auto& cmd : queued) {
    auto r = co_await connection_.exec(std::move(cmd));
    if (!r.ok()) {
      connection_.close();  // drops the half-built transaction with the connection
      co_return failed(r);
    }
  }
  auto e = co_await connection_.exec(redis::command("EXEC"));
  if (!e.ok()) co_return completion_for_failure(e);
  if (e.reply.is_nil()) co_return std::nullopt;  // a watched balance changed: try again
  co_return Completion::ok();
}

boost::asio::awaitable<Completion> TransferClient::no_watch(const Move& m) {
  auto f = co_await connection_.exec(redis::command("GET", m.from));
  if (!f.ok()) co_return completion_for_failure(f);
  auto t = co_await connection_.exec(redis::command("GET", m.to));
  if (!t.ok()) co_return completion_for_failure(t);
  auto from = balance_of(f.reply), to = balance_of(t.reply);
  if (!from || !to) co_return Completion::fail("a balance is not an integer");
  // The bug's window: another transfer may write either balance before our SETs.
  co_await setup_.hook(kHookBetweenReadsAndWrites);
  if (*from < m.amount) co_return Completion::fail("insufficient-funds");
  auto s1 =
      co_await connection_.exec(redis::command("SET", m.from, std::to_string(*from - m.amount)));
  if (!s1.ok()) co_return completion_for_failure(s1);
  auto s2 = co_await connection_.exec(redis::command("SET", m.to, std::to_string(*to + m.amount)));
  // Half a transfer happened: its outcome is neither done nor undone.
  if (!s2.ok())
    co_return Completion::info("second SET failed after the first: " +
                               (s2.error.empty() ? s2.reply.describe() : s2.error));
  co_return Completion::ok();
}

}  // namespace redproof::transfer
