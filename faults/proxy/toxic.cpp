#include "faults/proxy/toxic.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

namespace redproof::proxy {

namespace {

// Generous upper bounds that still catch typos (a latency of 50h is not a network fault).
constexpr Nanos kMaxDuration = std::chrono::hours(1);
constexpr std::int64_t kMaxRateKbps = 10'000'000;  // 10 GB/s
constexpr std::size_t kMaxSliceBytes = 1 << 20;

[[noreturn]] void fail(std::string_view what) {
  throw ToxicError(std::string(what));
}

std::string quote_text(std::string_view s) {
  return "'" + std::string(s) + "'";
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? s.size() - start : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

std::optional<ToxicType> type_from_string(std::string_view s) {
  if (s == "latency") return ToxicType::kLatency;
  if (s == "bandwidth") return ToxicType::kBandwidth;
  if (s == "timeout") return ToxicType::kTimeout;
  if (s == "reset_peer" || s == "reset-peer") return ToxicType::kResetPeer;
  if (s == "slicer") return ToxicType::kSlicer;
  if (s == "limit_data" || s == "limit-data") return ToxicType::kLimitData;
  return std::nullopt;
}

Direction direction_from_string(std::string_view s, std::string_view where) {
  if (s == "upstream" || s == "up") return Direction::kUpstream;
  if (s == "downstream" || s == "down") return Direction::kDownstream;
  fail(std::string(where) + ": stream " + quote_text(s) + " is neither upstream nor downstream");
}

// A duration with a unit, or the bare 0.
Nanos text_duration(std::string_view s, std::string_view what) {
  if (s == "0") return Nanos(0);
  if (s.empty()) fail(std::string(what) + " is empty");
  bool bare = s.find_first_not_of("0123456789.") == std::string_view::npos;
  if (bare) {
    fail(std::string(what) + " " + quote_text(s) + " has no unit: write e.g. " + std::string(s) +
         "ms");
  }
  auto d = parse_duration(s);
  if (!d) fail(std::string(what) + " " + quote_text(s) + " is not a duration (e.g. 50ms, 1.5s)");
  return *d;
}

std::uint64_t text_unsigned(std::string_view s, std::string_view what) {
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
    fail(std::string(what) + " " + quote_text(s) + " is not a non-negative integer");
  }
  return v;
}

double text_probability(std::string_view s, std::string_view what) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
    fail(std::string(what) + " " + quote_text(s) + " is not a number");
  }
  return v;
}

std::string duration_text(Nanos d) {
  std::int64_t ns = d.count();
  if (ns == 0) return "0";
  if (ns % 1'000'000'000 == 0) return std::to_string(ns / 1'000'000'000) + "s";
  if (ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
  if (ns % 1'000 == 0) return std::to_string(ns / 1'000) + "us";
  return std::to_string(ns) + "ns";
}

// A JSON time attribute: a number in `unit`, or a string with its own unit.
Nanos json_duration(const nlohmann::json& v, Nanos unit, std::string_view what) {
  if (v.is_string()) return text_duration(v.get<std::string>(), what);
  if (!v.is_number()) fail(std::string(what) + " must be a number or a duration string");
  double x = v.get<double>();
  if (!std::isfinite(x) || x < 0) fail(std::string(what) + " must be >= 0");
  double ns = x * static_cast<double>(unit.count());
  if (ns > static_cast<double>(kMaxDuration.count())) {
    fail(std::string(what) + " " + v.dump() + " is longer than 1h");
  }
  return Nanos(static_cast<std::int64_t>(std::llround(ns)));
}

// A JSON time attribute as Toxiproxy writes it: a number when exact in `unit`, otherwise a
// string with a unit, so that reading it back gives the same duration.
nlohmann::json duration_json(Nanos d, Nanos unit) {
  if (d.count() % unit.count() == 0) return d.count() / unit.count();
  return duration_text(d);
}

std::uint64_t json_unsigned(const nlohmann::json& v, std::string_view what) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer()) {
    if (v.get<std::int64_t>() < 0) fail(std::string(what) + " must be >= 0");
    return static_cast<std::uint64_t>(v.get<std::int64_t>());
  }
  fail(std::string(what) + " must be a non-negative integer, not " + v.dump());
}

std::string default_name(ToxicType type, Direction stream) {
  return std::string(to_string(type)) + "_" + std::string(to_string(stream));
}

}  // namespace

std::string_view to_string(Direction d) {
  return d == Direction::kUpstream ? "upstream" : "downstream";
}

std::string_view to_string(ToxicType t) {
  switch (t) {
    case ToxicType::kLatency:
      return "latency";
    case ToxicType::kBandwidth:
      return "bandwidth";
    case ToxicType::kTimeout:
      return "timeout";
    case ToxicType::kResetPeer:
      return "reset_peer";
    case ToxicType::kSlicer:
      return "slicer";
    case ToxicType::kLimitData:
      return "limit_data";
  }
  return "?";
}

void validate(const Toxic& t) {
  std::string where = "toxic " + quote_text(t.name.empty() ? to_string(t.type) : t.name);
  if (t.name.empty()) fail(where + ": name is empty");
  if (t.name.find_first_of(",=:{}\" \t\n") != std::string::npos) {
    fail(where + ": name may not contain spaces, quotes or any of , = : { }");
  }
  if (!(t.toxicity >= 0.0 && t.toxicity <= 1.0)) {
    fail(where + ": toxicity " + std::to_string(t.toxicity) + " is not in [0, 1]");
  }
  if (!t.from.empty()) {
    // Compared as text with the client's address: only the canonical IPv4 form can match.
    in_addr parsed{};
    char canonical[INET_ADDRSTRLEN] = {};
    if (inet_pton(AF_INET, t.from.c_str(), &parsed) != 1 ||
        inet_ntop(AF_INET, &parsed, canonical, sizeof canonical) == nullptr ||
        t.from != canonical) {
      fail(where + ": from " + quote_text(t.from) + " is not an IPv4 address like 127.0.0.2");
    }
  }
  auto check_duration = [&](Nanos d, std::string_view field) {
    if (d.count() < 0) fail(where + ": " + std::string(field) + " is negative");
    if (d > kMaxDuration) fail(where + ": " + std::string(field) + " is longer than 1h");
  };
  switch (t.type) {
    case ToxicType::kLatency:
      check_duration(t.latency, "latency");
      check_duration(t.jitter, "jitter");
      if (t.jitter > t.latency) {
        fail(where + ": jitter " + duration_text(t.jitter) + " is larger than latency " +
             duration_text(t.latency) + " (a chunk cannot leave before it arrived)");
      }
      break;
    case ToxicType::kBandwidth:
      if (t.rate_kbps <= 0) fail(where + ": rate must be > 0 KB/s");
      if (t.rate_kbps > kMaxRateKbps) fail(where + ": rate is above 10000000 KB/s");
      break;
    case ToxicType::kTimeout:
    case ToxicType::kResetPeer:
      check_duration(t.timeout, "timeout");
      break;
    case ToxicType::kSlicer:
      if (t.average_size == 0) fail(where + ": average_size must be > 0");
      if (t.average_size > kMaxSliceBytes) fail(where + ": average_size is above 1 MiB");
      if (t.size_variation >= t.average_size) {
        fail(where + ": size_variation " + std::to_string(t.size_variation) +
             " must be smaller than average_size " + std::to_string(t.average_size));
      }
      check_duration(t.delay, "delay");
      break;
    case ToxicType::kLimitData:
      break;
  }
}

Toxic parse_toxic(std::string_view text) {
  std::string where = "toxic " + quote_text(text);
  if (text.empty()) fail("toxic is empty (e.g. latency:50ms:10ms)");
  auto parts = split(text, ',');
  auto fields = split(parts[0], ':');
  auto type = type_from_string(fields[0]);
  if (!type) {
    fail(where + ": unknown type " + quote_text(fields[0]) +
         " (latency, bandwidth, timeout, reset_peer, slicer, limit_data)");
  }
  Toxic t;
  t.type = *type;
  std::size_t args = fields.size() - 1;
  auto arity = [&](std::size_t lo, std::size_t hi, std::string_view usage) {
    if (args < lo || args > hi) fail(where + ": expected " + std::string(usage));
  };
  switch (t.type) {
    case ToxicType::kLatency:
      arity(1, 2, "latency:LATENCY[:JITTER]");
      t.latency = text_duration(fields[1], where + ": latency");
      if (args == 2) t.jitter = text_duration(fields[2], where + ": jitter");
      break;
    case ToxicType::kBandwidth: {
      arity(1, 1, "bandwidth:RATE (KB/s)");
      std::uint64_t rate = text_unsigned(fields[1], where + ": rate");
      if (rate > static_cast<std::uint64_t>(kMaxRateKbps)) rate = kMaxRateKbps + 1;
      t.rate_kbps = static_cast<std::int64_t>(rate);
      break;
    }
    case ToxicType::kTimeout:
      arity(0, 1, "timeout[:TIMEOUT]");
      if (args == 1) t.timeout = text_duration(fields[1], where + ": timeout");
      break;
    case ToxicType::kResetPeer:
      arity(0, 1, "reset_peer[:TIMEOUT]");
      if (args == 1) t.timeout = text_duration(fields[1], where + ": timeout");
      break;
    case ToxicType::kSlicer:
      arity(1, 3, "slicer:AVERAGE_SIZE[:SIZE_VARIATION[:DELAY]]");
      t.average_size = text_unsigned(fields[1], where + ": average_size");
      if (args >= 2) t.size_variation = text_unsigned(fields[2], where + ": size_variation");
      if (args >= 3) t.delay = text_duration(fields[3], where + ": delay");
      break;
    case ToxicType::kLimitData:
      arity(1, 1, "limit_data:BYTES");
      t.bytes = text_unsigned(fields[1], where + ": bytes");
      break;
  }
  bool named = false;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    auto kv = parts[i];
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) {
      fail(where + ": option " + quote_text(kv) +
           " is not KEY=VALUE (stream, toxicity, name, from)");
    }
    auto key = kv.substr(0, eq);
    auto value = kv.substr(eq + 1);
    if (key == "stream") {
      t.stream = direction_from_string(value, where);
    } else if (key == "toxicity") {
      t.toxicity = text_probability(value, where + ": toxicity");
    } else if (key == "name") {
      t.name = std::string(value);
      named = true;
      if (t.name.empty()) fail(where + ": name is empty");
    } else if (key == "from") {
      t.from = std::string(value);
    } else {
      fail(where + ": unknown option " + quote_text(key) + " (stream, toxicity, name, from)");
    }
  }
  if (!named) t.name = default_name(t.type, t.stream);
  validate(t);
  return t;
}

Toxic toxic_from_json(const nlohmann::json& j) {
  if (!j.is_object()) fail("toxic JSON must be an object, not " + j.dump());
  if (!j.contains("type") || !j["type"].is_string()) fail("toxic JSON needs a string \"type\"");
  std::string type_name = j["type"].get<std::string>();
  auto type = type_from_string(type_name);
  std::string where = "toxic " + quote_text(type_name);
  if (!type) {
    fail("toxic JSON: unknown type " + quote_text(type_name) +
         " (latency, bandwidth, timeout, reset_peer, slicer, limit_data)");
  }
  Toxic t;
  t.type = *type;
  for (const auto& [key, value] : j.items()) {
    if (key != "type" && key != "name" && key != "stream" && key != "toxicity" && key != "from" &&
        key != "attributes") {
      fail(where + ": unknown field " + quote_text(key));
    }
  }
  if (j.contains("stream")) {
    if (!j["stream"].is_string()) fail(where + ": stream must be a string");
    t.stream = direction_from_string(j["stream"].get<std::string>(), where);
  }
  if (j.contains("toxicity")) {
    if (!j["toxicity"].is_number()) fail(where + ": toxicity must be a number");
    t.toxicity = j["toxicity"].get<double>();
  }
  if (j.contains("name")) {
    if (!j["name"].is_string()) fail(where + ": name must be a string");
    t.name = j["name"].get<std::string>();
    if (t.name.empty()) fail(where + ": name is empty");
  } else {
    t.name = default_name(t.type, t.stream);
  }
  if (j.contains("from")) {
    if (!j["from"].is_string()) fail(where + ": from must be a string");
    t.from = j["from"].get<std::string>();
  }
  nlohmann::json attrs = j.value("attributes", nlohmann::json::object());
  if (!attrs.is_object()) fail(where + ": attributes must be an object");
  auto known = [&](std::initializer_list<std::string_view> names) {
    for (const auto& [key, value] : attrs.items()) {
      bool ok = false;
      for (auto n : names) ok = ok || key == n;
      if (!ok) fail(where + ": unknown attribute " + quote_text(key));
    }
  };
  auto required = [&](std::string_view name) -> const nlohmann::json& {
    auto it = attrs.find(std::string(name));
    if (it == attrs.end()) fail(where + ": attribute " + quote_text(name) + " is required");
    return *it;
  };
  constexpr Nanos ms = std::chrono::milliseconds(1);
  constexpr Nanos us = std::chrono::microseconds(1);
  switch (t.type) {
    case ToxicType::kLatency:
      known({"latency", "jitter"});
      t.latency = json_duration(required("latency"), ms, where + ": latency");
      if (attrs.contains("jitter"))
        t.jitter = json_duration(attrs["jitter"], ms, where + ": jitter");
      break;
    case ToxicType::kBandwidth: {
      known({"rate"});
      std::uint64_t rate = json_unsigned(required("rate"), where + ": rate");
      if (rate > static_cast<std::uint64_t>(kMaxRateKbps)) rate = kMaxRateKbps + 1;
      t.rate_kbps = static_cast<std::int64_t>(rate);
      break;
    }
    case ToxicType::kTimeout:
    case ToxicType::kResetPeer:
      known({"timeout"});
      if (attrs.contains("timeout")) {
        t.timeout = json_duration(attrs["timeout"], ms, where + ": timeout");
      }
      break;
    case ToxicType::kSlicer:
      known({"average_size", "size_variation", "delay"});
      t.average_size = json_unsigned(required("average_size"), where + ": average_size");
      if (attrs.contains("size_variation")) {
        t.size_variation = json_unsigned(attrs["size_variation"], where + ": size_variation");
      }
      if (attrs.contains("delay")) t.delay = json_duration(attrs["delay"], us, where + ": delay");
      break;
    case ToxicType::kLimitData:
      known({"bytes"});
      t.bytes = json_unsigned(required("bytes"), where + ": bytes");
      break;
  }
  validate(t);
  return t;
}

Toxic parse_toxic_spec(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) fail("toxic JSON " + quote_text(text) + " is not valid JSON");
    return toxic_from_json(j);
  }
  return parse_toxic(text);
}

std::string to_string(const Toxic& t) {
  std::string s(to_string(t.type));
  switch (t.type) {
    case ToxicType::kLatency:
      s += ":" + duration_text(t.latency) + ":" + duration_text(t.jitter);
      break;
    case ToxicType::kBandwidth:
      s += ":" + std::to_string(t.rate_kbps);
      break;
    case ToxicType::kTimeout:
    case ToxicType::kResetPeer:
      s += ":" + duration_text(t.timeout);
      break;
    case ToxicType::kSlicer:
      s += ":" + std::to_string(t.average_size) + ":" + std::to_string(t.size_variation) + ":" +
           duration_text(t.delay);
      break;
    case ToxicType::kLimitData:
      s += ":" + std::to_string(t.bytes);
      break;
  }
  s += ",stream=" + std::string(to_string(t.stream));
  if (t.toxicity != 1.0) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, t.toxicity);  // shortest round-trip
    s += ",toxicity=" + std::string(buf, ec == std::errc() ? end : buf);
  }
  s += ",name=" + t.name;
  if (!t.from.empty()) s += ",from=" + t.from;
  return s;
}

nlohmann::json to_json(const Toxic& t) {
  constexpr Nanos ms = std::chrono::milliseconds(1);
  constexpr Nanos us = std::chrono::microseconds(1);
  nlohmann::json attrs = nlohmann::json::object();
  switch (t.type) {
    case ToxicType::kLatency:
      attrs["latency"] = duration_json(t.latency, ms);
      attrs["jitter"] = duration_json(t.jitter, ms);
      break;
    case ToxicType::kBandwidth:
      attrs["rate"] = t.rate_kbps;
      break;
    case ToxicType::kTimeout:
    case ToxicType::kResetPeer:
      attrs["timeout"] = duration_json(t.timeout, ms);
      break;
    case ToxicType::kSlicer:
      attrs["average_size"] = t.average_size;
      attrs["size_variation"] = t.size_variation;
      attrs["delay"] = duration_json(t.delay, us);
      break;
    case ToxicType::kLimitData:
      attrs["bytes"] = t.bytes;
      break;
  }
  nlohmann::json j = {{"name", t.name},
                      {"type", std::string(to_string(t.type))},
                      {"stream", std::string(to_string(t.stream))},
                      {"toxicity", t.toxicity},
                      {"attributes", attrs}};
  if (!t.from.empty()) j["from"] = t.from;
  return j;
}

}  // namespace redproof::proxy
