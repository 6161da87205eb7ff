// Which Redis error replies prove that a command did nothing. A plain command that answers with
// an error has not been applied (Redis checks before it executes). A script is different: it may
// have written before the error, so only the errors Redis gives before running a script prove
// it did nothing.
#pragma once

#include <string_view>

namespace redproof::redis {

// `code` is the error's first word (Reply::error_code()).
bool script_error_proves_not_applied(std::string_view code);

}  // namespace redproof::redis
