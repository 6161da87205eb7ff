#include "fuzz/entries/fuzz_entries.hpp"
#include "redis/resp_reader.hpp"

namespace redproof::fuzz {

namespace {

// Every reply must be describable (logs and error messages print them).
void check_reply(const redis::Reply& reply) {
  if (reply.describe().empty()) throw FuzzFinding("a reply described as nothing");
  for (const auto& e : reply.elements) check_reply(e);
}

}  // namespace

void resp_reader(std::string_view input) {
  if (input.empty()) return;
  const std::size_t piece = piece_size(static_cast<unsigned char>(input.front()));
  std::string_view bytes = input.substr(1);
  redis::RespReader reader;
  try {
    while (!bytes.empty()) {
      reader.feed(bytes.substr(0, piece));
      bytes.remove_prefix(std::min(piece, bytes.size()));
      while (auto reply = reader.next()) check_reply(*reply);
    }
  } catch (const redis::ProtocolError&) {
    // the documented rejection: the connection drops the bytes and starts afresh
    reader.reset();
    if (reader.next()) throw FuzzFinding("a reply left after reset()");
  }
}

}  // namespace redproof::fuzz
