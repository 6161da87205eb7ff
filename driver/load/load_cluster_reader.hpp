// The hiredis reader of the load engine's cluster mode. The plain engine's reader builds no
// reply objects (each reply is only its type); in a cluster the engine must read MOVED and ASK,
// so this reader keeps the text of top-level error replies, and of nothing else: an ordinary
// reply still allocates nothing.
#pragma once

#include <hiredis/read.h>

#include <string>

namespace redproof::load {

// A reader whose replies are either a type (as with no reply functions) or, for a top-level
// error reply, a kept text. Free with redisReaderFree.
redisReader* create_cluster_reader();

// The reply's REDIS_REPLY_* type.
int cluster_reply_type(void* reply);
// The text of a kept error reply, or nullptr.
const std::string* kept_error_text(void* reply);
// Frees what the reader allocated for this reply (nothing unless it is a kept error).
void release_cluster_reply(void* reply);

}  // namespace redproof::load
