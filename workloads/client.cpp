#include "workloads/client.hpp"

namespace redproof {

Completion completion_for_failure(const redis::Result& result) {
  std::string why = result.error;
  if (why.empty() && result.reply.is_error()) why = result.reply.str;
  if (why.empty()) why = "request failed";
  // An error reply, or a request that never left, proves nothing was applied.
  if (result.certainty == redis::Certainty::kNotApplied ||
      (result.certainty == redis::Certainty::kReplied && result.reply.is_error())) {
    return Completion::fail(std::move(why));
  }
  return Completion::info(std::move(why));
}

}  // namespace redproof
