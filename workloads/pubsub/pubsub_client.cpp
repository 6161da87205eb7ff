#include "workloads/pubsub/pubsub_client.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/json_text.hpp"
#include "redis/command_encoder.hpp"
#include "workloads/pubsub/pubsub_hooks.hpp"

namespace redproof::pubsub {

namespace {

// A pushed ["message", channel, "<id> <padding>"]: the id; empty for any other reply.
std::string message_id(const redis::Reply& r) {
  if (r.type != redis::Reply::Type::kArray || r.elements.size() != 3 ||
      r.elements[0].str != "message") {
    return {};
  }
  const std::string& body = r.elements[2].str;
  return body.substr(0, body.find(' '));
}

bool is_unsubscribe_confirmation(const redis::Reply& r) {
  return r.type == redis::Reply::Type::kArray && !r.elements.empty() &&
         r.elements[0].str == "unsubscribe";
}

}  // namespace

boost::asio::awaitable<Completion> PubsubClient::invoke(const Op& invoke) {
  const std::string& channel = *invoke.key;
  if (invoke.f == "publish") co_return co_await publish(invoke);
  if (invoke.f == "subscribe") co_return co_await subscribe(channel);
  if (invoke.f == "receive") co_return co_await receive(channel);
  if (invoke.f == "unsubscribe") co_return co_await unsubscribe(channel);
  co_return Completion::fail("unknown operation " + invoke.f);
}

boost::asio::awaitable<Completion> PubsubClient::publish(const Op& invoke) {
  auto id = nlohmann::json::parse(invoke.value, nullptr, false);
  if (!id.is_string()) co_return Completion::fail("message id must be a string");
  std::string body = id.get<std::string>() + ' ';
  body.append(static_cast<std::size_t>(o_.payload_bytes), 'x');
  auto r = co_await connection_.exec(redis::command("PUBLISH", *invoke.key, std::move(body)));
  if (!r.ok()) co_return completion_for_failure(r);
  co_return Completion::ok(std::to_string(r.reply.integer));
}

boost::asio::awaitable<Completion> PubsubClient::subscribe(const std::string& channel) {
  if (subscribed_) co_return Completion::fail("already subscribed to " + *subscribed_);
  if (!lost_.empty()) co_return Completion::fail("subscription lost: " + lost_);
  // A server restarted or promoted since the last connection has its own settings.
  auto limit = co_await connection_.exec(
      redis::command("CONFIG", "SET", "client-output-buffer-limit",
                     fmt::format("pubsub {} 0 0", o_.output_limit_kb * 1024)));
  if (!limit.ok()) co_return completion_for_failure(limit);
  auto r = co_await connection_.exec(redis::command("SUBSCRIBE", channel));
  if (!r.ok()) co_return completion_for_failure(r);
  subscribed_ = channel;
  co_return Completion::ok();
}

boost::asio::awaitable<Completion> PubsubClient::receive(const std::string& channel) {
  if (!arrived_.empty()) {
    std::string id = std::move(arrived_.front());
    arrived_.pop_front();
    co_return Completion::ok(json_text::quote(id));
  }
  if (!subscribed_) {
    co_return Completion::fail(lost_.empty() ? "not subscribed" : "subscription lost: " + lost_);
  }
  co_await setup_.hook(kHookBeforeReceive);
  for (;;) {
    auto r = co_await connection_.receive(o_.receive_wait);
    if (r.certainty == redis::Certainty::kReplied) {
      std::string id = message_id(r.reply);
      if (id.empty()) continue;  // not a message (nothing else is expected here)
      co_return Completion::ok(json_text::quote(id));
    }
    if (r.error == "nothing received") co_return Completion::fail(r.error);
    // The server closed the connection (an output buffer past its limit, a restart): the
    // subscriber learns it here, and the messages it had not read yet are gone.
    lost_ = r.error;
    subscribed_.reset();
    co_return Completion::fail("subscription lost: " + lost_);
  }
}

boost::asio::awaitable<Completion> PubsubClient::unsubscribe(const std::string& channel) {
  if (!subscribed_) {
    co_return Completion::info("subscriber connection dropped" +
                               (lost_.empty() ? std::string() : ": " + lost_));
  }
  subscribed_.reset();
  auto r = co_await connection_.exec(redis::command("UNSUBSCRIBE", channel));
  while (r.certainty == redis::Certainty::kReplied && !is_unsubscribe_confirmation(r.reply)) {
    std::string id = message_id(r.reply);
    if (!id.empty()) arrived_.push_back(std::move(id));
    r = co_await connection_.receive(setup_.connection.request_timeout);
  }
  if (r.certainty != redis::Certainty::kReplied) {
    lost_ = r.error;
    co_return Completion::info("unsubscribe: " + r.error);
  }
  co_return Completion::ok();
}

}  // namespace redproof::pubsub
