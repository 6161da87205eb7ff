// Interns the values models work with as small ids, so that states compare and hash as
// integers. Id 0 is null. JSON texts are interned by their text. Strings built by kv appends
// (texts starting with \x01, "raw") are interned by content without being built: each has a
// 2x61-bit polynomial hash and a length, and appending combines hashes in O(1) (two different
// strings sharing hash and length has a probability around n^2 / 2^122). Their text is built
// only when asked for (a counterexample).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include <boost/unordered/unordered_flat_map.hpp>

#include "checkers/linearizability/id_table.hpp"

namespace redproof::linearizability {

class ValueTable {
 public:
  ValueTable() { intern("null"); }
  std::int64_t intern(std::string text);
  // The text of `id` (for raw strings: \x01 and the content).
  const std::string& text(std::int64_t id) const;
  // The id of raw string `a` followed by the content of raw string `b`.
  std::int64_t concat(std::int64_t a, std::int64_t b);

 private:
  struct Hash {
    std::uint64_t h1 = 0, h2 = 0;  // polynomial hashes mod 2^61 - 1
    std::uint64_t p1 = 1, p2 = 1;  // base^length for each
    std::uint64_t length = 0;
  };
  struct Entry {
    mutable std::string text;  // built on demand for concatenations
    mutable bool built = true;
    std::int64_t left = -1, right = -1;  // a concatenation's parts
    Hash hash;                           // raw strings only
  };

  static Hash hash_of(std::string_view content);
  static Hash combine(const Hash& a, const Hash& b);
  std::int64_t add_raw(const Hash& h, std::string text, std::int64_t left, std::int64_t right);

  std::deque<Entry> entries_;  // by id; addresses stay put
  // Views into entries_. Open addressing: a node per value made interning a history's values
  // a tenth of checking a large queue history.
  boost::unordered_flat_map<std::string_view, std::int64_t> json_ids_;
  IdTable raw_ids_;         // by a fingerprint of (h1, h2, length), confirmed on the entry
  IdTable concatenations_;  // (a, b) -> id
};

}  // namespace redproof::linearizability
