// The rate-limit workload's client: asks the limiter of its variant whether a `request` on an
// identity is admitted (ok true) or rejected (ok false). A request whose outcome is unknown is
// `info`, and so is a user script that errs or returns no decision (its reply in `error`).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "redis/connection.hpp"
#include "workloads/client.hpp"
#include "workloads/rate_limit/rate_limit_options.hpp"
#include "workloads/user_script.hpp"

namespace redproof::rate_limit {

class RateLimitClient : public Client {
 public:
  // `user`: the user's script in place of the variant's Lua (--script), or none.
  RateLimitClient(const ClientSetup& setup, const Settings& settings,
                  std::shared_ptr<const UserScript> user);

  boost::asio::awaitable<Completion> invoke(const Op& invoke) override;

 private:
  boost::asio::awaitable<Completion> fixed_window(const std::string& key);
  boost::asio::awaitable<Completion> sliding_log(const std::string& key);
  boost::asio::awaitable<Completion> lua(const std::string& key);

  ClientSetup setup_;
  Settings settings_;
  std::shared_ptr<const UserScript> user_;
  std::optional<redis::Script> user_script_;
  redis::Connection connection_;
  std::int64_t requests_ = 0;  // for unique request ids
};

// The ARGV our Lua takes, by name, in the contract's order (for --script-argv templates).
std::vector<std::string> lua_argv_names(Variant v);
std::map<std::string, std::string> lua_argv(const Settings& s, const std::string& request_id);

}  // namespace redproof::rate_limit
