#include "checkers/linearizability/value_table.hpp"

namespace redproof::linearizability {

namespace {

constexpr std::uint64_t kMod = (std::uint64_t{1} << 61) - 1;
constexpr std::uint64_t kBase1 = 0x1f3d5b79a2c4e607ULL % kMod;
constexpr std::uint64_t kBase2 = 0x2b7e151628aed2a6ULL % kMod;

std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
  const unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
  std::uint64_t r = static_cast<std::uint64_t>(p & kMod) + static_cast<std::uint64_t>(p >> 61);
  if (r >= kMod) r -= kMod;
  return r;
}

std::uint64_t add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = a + b;
  if (r >= kMod) r -= kMod;
  return r;
}

bool is_raw(std::string_view text) {
  return !text.empty() && text[0] == '\x01';
}

}  // namespace

ValueTable::Hash ValueTable::hash_of(std::string_view content) {
  Hash h;
  for (unsigned char c : content) {
    h.h1 = add(mul(h.h1, kBase1), c + 1u);
    h.h2 = add(mul(h.h2, kBase2), c + 1u);
    h.p1 = mul(h.p1, kBase1);
    h.p2 = mul(h.p2, kBase2);
  }
  h.length = content.size();
  return h;
}

ValueTable::Hash ValueTable::combine(const Hash& a, const Hash& b) {
  Hash h;
  h.h1 = add(mul(a.h1, b.p1), b.h1);
  h.h2 = add(mul(a.h2, b.p2), b.h2);
  h.p1 = mul(a.p1, b.p1);
  h.p2 = mul(a.p2, b.p2);
  h.length = a.length + b.length;
  return h;
}

std::int64_t ValueTable::add_raw(const Hash& h, std::string text, std::int64_t left,
                                 std::int64_t right) {
  const std::uint64_t key = mix64(h.h1 ^ mix64(h.h2 ^ mix64(h.length)));
  const std::int64_t found = raw_ids_.find(key, [&](std::int64_t id) {
    const Hash& o = entries_[static_cast<std::size_t>(id)].hash;
    return o.h1 == h.h1 && o.h2 == h.h2 && o.length == h.length;
  });
  if (found >= 0) return found;
  const auto id = static_cast<std::int64_t>(entries_.size());
  Entry e;
  e.built = left < 0;
  e.text = std::move(text);
  e.left = left;
  e.right = right;
  e.hash = h;
  entries_.push_back(std::move(e));
  raw_ids_.add(key, id);
  return id;
}

std::int64_t ValueTable::intern(std::string text) {
  if (is_raw(text)) {
    const Hash h = hash_of(std::string_view(text).substr(1));
    return add_raw(h, std::move(text), -1, -1);
  }
  auto it = json_ids_.find(text);
  if (it != json_ids_.end()) return it->second;
  const auto id = static_cast<std::int64_t>(entries_.size());
  Entry e;
  e.text = std::move(text);
  entries_.push_back(std::move(e));
  json_ids_.emplace(entries_.back().text, id);
  return id;
}

const std::string& ValueTable::text(std::int64_t id) const {
  const Entry& e = entries_[static_cast<std::size_t>(id)];
  if (!e.built) {
    // Iteratively down the left spine: appends nest to the left, one level per append.
    std::string out = "\x01";
    std::deque<std::int64_t> rights;
    std::int64_t at = id;
    while (!entries_[static_cast<std::size_t>(at)].built) {
      rights.push_front(entries_[static_cast<std::size_t>(at)].right);
      at = entries_[static_cast<std::size_t>(at)].left;
    }
    out += entries_[static_cast<std::size_t>(at)].text.substr(1);
    for (auto r : rights) out += text(r).substr(1);
    e.text = std::move(out);
    e.built = true;
  }
  return e.text;
}

std::int64_t ValueTable::concat(std::int64_t a, std::int64_t b) {
  const std::uint64_t pair = (static_cast<std::uint64_t>(a) << 32) ^ static_cast<std::uint64_t>(b);
  const std::int64_t found = concatenations_.find(pair);
  if (found >= 0) return found;
  const Entry& left = entries_[static_cast<std::size_t>(a)];
  const Entry& right = entries_[static_cast<std::size_t>(b)];
  const std::int64_t id = add_raw(combine(left.hash, right.hash), {}, a, b);
  concatenations_.add(pair, id);
  return id;
}

}  // namespace redproof::linearizability
