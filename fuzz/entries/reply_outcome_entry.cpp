#include "fuzz/entries/fuzz_entries.hpp"
#include "redis/connection.hpp"
#include "redis/error_kind.hpp"
#include "redis/resp_reader.hpp"
#include "workloads/client.hpp"

#include <vector>

namespace redproof::fuzz {

namespace {

using redis::Certainty;
using redis::Result;

// The results a connection hands its client for these bytes, as Connection's read_reply() maps
// them: each complete reply is a reply; bytes that are not RESP, and a stream that ends before
// the next reply is complete (the server closed mid-reply), are unknown.
std::vector<Result> results_for(std::string_view bytes, std::size_t piece) {
  std::vector<Result> out;
  redis::RespReader reader;
  try {
    while (!bytes.empty()) {
      reader.feed(bytes.substr(0, piece));
      bytes.remove_prefix(std::min(piece, bytes.size()));
      while (auto reply = reader.next()) {
        std::string error = reply->is_error() ? reply->str : std::string();
        out.push_back(Result{Certainty::kReplied, std::move(*reply), std::move(error)});
      }
    }
  } catch (const redis::ProtocolError& e) {
    out.push_back(Result{Certainty::kUnknown, {}, e.what()});
    return out;
  }
  out.push_back(Result{Certainty::kUnknown, {}, "connection closed by the server"});
  return out;
}

// As Connection::eval(): a script's error reply proves nothing unless Redis gives it before
// running the script.
Result as_script_result(Result r) {
  if (r.certainty == Certainty::kReplied && r.reply.is_error() &&
      !redis::script_error_proves_not_applied(r.reply.error_code())) {
    r.certainty = Certainty::kUnknown;
  }
  return r;
}

void check_reply_accessors(const redis::Reply& reply) {
  const auto number = reply.as_integer();
  if (reply.type == redis::Reply::Type::kInteger && number != reply.integer)
    throw FuzzFinding("an integer reply read as another number");
  if ((reply.is_nil() || reply.is_error() || reply.type == redis::Reply::Type::kArray) && number)
    throw FuzzFinding("a number read from a reply that holds none");
  if (reply.error_code().find(' ') != std::string_view::npos)
    throw FuzzFinding("an error code with a space in it");
}

void check_outcome(const Result& r) {
  check_reply_accessors(r.reply);
  if (r.ok()) return;
  const Completion c = completion_for_failure(r);
  if (c.type == OpType::kOk) throw FuzzFinding("a failed request recorded as ok");
  if (c.error.empty()) throw FuzzFinding("a failure recorded without a reason");
  // The checkers' soundness rests on this: what may have happened is never recorded as failed.
  if (r.certainty == Certainty::kUnknown && c.type != OpType::kInfo)
    throw FuzzFinding("an unknown outcome recorded as failed");
  if (r.certainty == Certainty::kReplied && r.reply.is_error() && c.type != OpType::kFail)
    throw FuzzFinding("an error reply that proves nothing happened recorded as unknown");
}

}  // namespace

void reply_outcome(std::string_view input) {
  if (input.empty()) return;
  const auto selector = static_cast<unsigned char>(input.front());
  const bool script = (selector & 1) != 0;
  for (Result& r : results_for(input.substr(1), piece_size(selector))) {
    check_outcome(script ? as_script_result(std::move(r)) : r);
  }
}

}  // namespace redproof::fuzz
