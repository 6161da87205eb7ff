#include "driver/suite/suite_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "checkers/latency_slo.hpp"
#include "core/file_limits.hpp"
#include "faults/fault_registry.hpp"
#include "workloads/workload.hpp"

namespace redproof::suite {

namespace {

using nlohmann::json;

const char* const kTopologies[] = {"single", "redlock", "replicated", "sentinel", "cluster"};
const char* const kPersistence[] = {"none", "aof", "rdb"};

std::string type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return j.get<bool>() ? "true" : "false";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    case json::value_t::number_float:
      return "a number";
    default:
      return "an integer";
  }
}

std::string json_quoted(std::string_view s) {
  return json(std::string(s)).dump();
}

std::string key_path(const std::string& parent, const std::string& key) {
  // JSON-path style: plain names with dots, anything else in brackets as a quoted string.
  const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
  if (plain) return parent.empty() ? key : parent + "." + key;
  return parent + "[" + json_quoted(key) + "]";
}

std::string index_path(const std::string& parent, std::size_t i) {
  return fmt::format("{}[{}]", parent, i);
}

template <typename Range>
std::string joined(const Range& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

// Unknown fields are errors: a misspelt "min_seed" silently meaning "all seeds" would make a
// gate stricter or laxer than its author believes.
void only_fields(const json& obj, const std::string& path,
                 std::initializer_list<const char*> known) {
  for (const auto& [key, value] : obj.items()) {
    // init-captures: clang 14 (the fuzz build) cannot capture a structured binding
    if (std::find_if(known.begin(), known.end(),
                     [&key = key](const char* k) { return key == k; }) == known.end()) {
      throw PlanError(key_path(path, key),
                      fmt::format("unknown field (known here: {})", joined(known)));
    }
  }
}

const json& object_at(const json& j, const std::string& path) {
  if (!j.is_object()) throw PlanError(path, "expected an object, got " + type_name(j));
  return j;
}

std::string string_at(const json& j, const std::string& path) {
  if (!j.is_string()) throw PlanError(path, "expected a string, got " + type_name(j));
  return j.get<std::string>();
}

std::string nonempty_string_at(const json& j, const std::string& path) {
  std::string s = string_at(j, path);
  if (s.empty()) throw PlanError(path, "expected a non-empty string");
  return s;
}

std::int64_t integer_at(const json& j, const std::string& path, std::int64_t min,
                        std::int64_t max) {
  if (!j.is_number_integer() && !j.is_number_unsigned()) {
    throw PlanError(path, "expected an integer, got " + type_name(j));
  }
  if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    throw PlanError(path, fmt::format("expected an integer from {} to {}, got {}", min, max,
                                      j.get<std::uint64_t>()));
  }
  const std::int64_t v = j.get<std::int64_t>();
  if (v < min || v > max) {
    throw PlanError(path, fmt::format("expected an integer from {} to {}, got {}", min, max, v));
  }
  return v;
}

std::string duration_at(const json& j, const std::string& path) {
  const std::string text = string_at(j, path);
  const auto d = parse_duration(text);
  if (!d || d->count() <= 0) {
    throw PlanError(path, fmt::format("{} is not a positive duration (write e.g. \"10s\", "
                                      "\"250ms\", \"2m\")",
                                      json_quoted(text)));
  }
  return text;
}

// A string, or an array of strings (both "fault": "pause-client" and ["a", "b"] read well).
std::vector<std::string> strings_at(const json& j, const std::string& path) {
  std::vector<std::string> out;
  if (j.is_string()) {
    out.push_back(nonempty_string_at(j, path));
    return out;
  }
  if (!j.is_array())
    throw PlanError(path, "expected a string or an array of strings, got " + type_name(j));
  for (std::size_t i = 0; i < j.size(); ++i)
    out.push_back(nonempty_string_at(j[i], index_path(path, i)));
  return out;
}

Expectation parse_expectation(const json& j, const std::string& path, std::size_t seeds) {
  object_at(j, path);
  only_fields(j, path, {"valid", "anomalies", "min_seeds"});
  Expectation e;
  if (!j.contains("valid"))
    throw PlanError(key_path(path, "valid"), "missing (true, false or \"unknown\")");
  const json& v = j["valid"];
  if (v.is_boolean()) {
    e.valid = v.get<bool>() ? "true" : "false";
  } else if (v.is_string() && v.get<std::string>() == "unknown") {
    e.valid = "unknown";
  } else {
    throw PlanError(key_path(path, "valid"), "expected true, false or \"unknown\"");
  }
  if (j.contains("anomalies")) {
    const std::string p = key_path(path, "anomalies");
    if (!j["anomalies"].is_array())
      throw PlanError(p, "expected an array of anomaly names, got " + type_name(j["anomalies"]));
    // A valid run may still expect notes: anomalies that are not violations (a fixed window's
    // boundary burst, an at-least-once queue's duplicates).
    e.anomalies = strings_at(j["anomalies"], p);
  }
  if (j.contains("min_seeds")) {
    e.min_seeds = static_cast<int>(integer_at(j["min_seeds"], key_path(path, "min_seeds"), 1,
                                              static_cast<std::int64_t>(seeds)));
  }
  return e;
}

// Knob values are the workload's to judge: make it with the knobs and keep its message. The path
// names the one knob at fault when that knob alone is rejected; knobs that only clash together
// (hold-min above hold-max) are named by "params".
void check_knobs(const WorkloadInfo& info, const std::string& variant,
                 const std::map<std::string, std::string>& params, const std::string& path) {
  const auto rejected =
      [&](const std::map<std::string, std::string>& knobs) -> std::optional<std::string> {
    WorkloadConfig config;
    config.variant = variant;
    try {
      config.knobs = KnobValues(info.name, info.knobs, knobs);
      info.make(config);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::nullopt;
  };
  for (const auto& [name, value] : params) {
    const std::string p = key_path(path, name);
    if (std::none_of(info.knobs.begin(), info.knobs.end(),
                     [&name = name](const Knob& k) { return k.name == name; })) {
      std::vector<std::string> names;
      for (const auto& k : info.knobs) names.push_back(k.name);
      throw PlanError(p, fmt::format("workload {} has no knob {} (knobs: {})", info.name,
                                     json_quoted(name), joined(names)));
    }
  }
  const auto together = rejected(params);
  if (!together) return;
  for (const auto& [name, value] : params) {
    if (auto alone = rejected({{name, value}})) throw PlanError(key_path(path, name), *alone);
  }
  throw PlanError(path, *together);
}

// The workload, which every later field is judged against: knobs and the default name need it.
const WorkloadInfo& parse_workload(const json& j, const std::string& path, PlannedRun& run) {
  if (!j.contains("workload"))
    throw PlanError(key_path(path, "workload"), "missing (e.g. \"lock\")");
  run.workload = nonempty_string_at(j["workload"], key_path(path, "workload"));
  const WorkloadInfo* info = find_workload(run.workload);
  if (!info) {
    std::vector<std::string> names;
    for (const auto& w : all_workloads()) names.push_back(w.name);
    throw PlanError(key_path(path, "workload"),
                    fmt::format("unknown workload {} (available: {})", json_quoted(run.workload),
                                joined(names)));
  }
  return *info;
}

void parse_variant(const json& j, const std::string& path, const WorkloadInfo& info,
                   PlannedRun& run) {
  if (!j.contains("variant")) return;
  const std::string p = key_path(path, "variant");
  run.variant = nonempty_string_at(j["variant"], p);
  const auto& vs = info.variants;
  if (std::none_of(vs.begin(), vs.end(),
                   [&](const VariantInfo& v) { return v.name == run.variant; })) {
    std::vector<std::string> names;
    for (const auto& v : vs) names.push_back(v.name);
    throw PlanError(p, fmt::format("workload {} has no variant {} (available: {})", info.name,
                                   json_quoted(run.variant), joined(names)));
  }
}

// The variant the run drives: the one named, else the workload's first (its correct one).
const std::string& variant_or_default(const WorkloadInfo& info, const PlannedRun& run) {
  return run.variant.empty() ? info.variants.front().name : run.variant;
}

void parse_faults(const json& j, const std::string& path, PlannedRun& run) {
  run.faults = {"none"};
  if (!j.contains("fault")) return;
  const std::string p = key_path(path, "fault");
  run.faults = strings_at(j["fault"], p);
  if (run.faults.empty()) throw PlanError(p, "expected at least one fault (or \"none\")");
  for (std::size_t i = 0; i < run.faults.size(); ++i) {
    if (find_fault(run.faults[i])) continue;
    std::vector<std::string> names;
    for (const auto& f : all_faults()) names.push_back(f.name);
    throw PlanError(
        j["fault"].is_array() ? index_path(p, i) : p,
        fmt::format("unknown fault {} (available: {})", json_quoted(run.faults[i]), joined(names)));
  }
  if (run.faults.size() > 1 &&
      std::find(run.faults.begin(), run.faults.end(), "none") != run.faults.end()) {
    throw PlanError(p, "\"none\" cannot be mixed with other faults");
  }
}

void parse_seeds(const json& j, const std::string& path, PlannedRun& run) {
  if (!j.contains("seeds")) return;
  const std::string p = key_path(path, "seeds");
  const json& s = j["seeds"];
  if (!s.is_array() || s.empty())
    throw PlanError(p, "expected a non-empty array of seeds, got " +
                           (s.is_array() ? std::string("[]") : type_name(s)));
  run.seeds.clear();
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto seed = static_cast<std::uint64_t>(
        integer_at(s[i], index_path(p, i), 0, std::numeric_limits<std::int64_t>::max()));
    if (std::find(run.seeds.begin(), run.seeds.end(), seed) != run.seeds.end()) {
      throw PlanError(index_path(p, i), fmt::format("seed {} is listed twice", seed));
    }
    run.seeds.push_back(seed);
  }
}

void parse_topology(const json& j, const std::string& path, PlannedRun& run) {
  if (!j.contains("topology")) return;
  const std::string p = key_path(path, "topology");
  run.topology = nonempty_string_at(j["topology"], p);
  if (std::find(std::begin(kTopologies), std::end(kTopologies), run.topology) ==
      std::end(kTopologies)) {
    throw PlanError(p, fmt::format("unknown topology {} (available: {})", json_quoted(run.topology),
                                   joined(kTopologies)));
  }
}

// Knob values are kept as text, as `--param NAME=VALUE` gives them; integers are allowed for
// convenience and written back the way JSON spells them.
void parse_params(const json& j, const std::string& path, const WorkloadInfo& info,
                  PlannedRun& run) {
  if (!j.contains("params")) return;
  const std::string p = key_path(path, "params");
  object_at(j["params"], p);
  for (const auto& [name, value] : j["params"].items()) {
    const std::string vp = key_path(p, name);
    if (value.is_string()) {
      run.params[name] = value.get<std::string>();
    } else if (value.is_number_integer() || value.is_number_unsigned()) {
      run.params[name] = value.dump();
    } else {
      throw PlanError(vp, "expected a string (or an integer), got " + type_name(value));
    }
  }
  check_knobs(info, variant_or_default(info, run), run.params, p);
}

void parse_slos(const json& j, const std::string& path, PlannedRun& run) {
  if (!j.contains("slo")) return;
  const std::string p = key_path(path, "slo");
  run.slos = strings_at(j["slo"], p);
  for (std::size_t i = 0; i < run.slos.size(); ++i) {
    try {
      parse_slo(run.slos[i]);
    } catch (const std::exception& e) {
      throw PlanError(j["slo"].is_array() ? index_path(p, i) : p, e.what());
    }
  }
}

void parse_rate(const json& j, const std::string& path, PlannedRun& run) {
  if (!j.contains("rate")) return;
  const std::string p = key_path(path, "rate");
  const json& r = j["rate"];
  if (!r.is_number() || r.get<double>() < 0 || !std::isfinite(r.get<double>())) {
    throw PlanError(
        p, "expected a number of operations per second (0 = closed loop), got " + type_name(r));
  }
  run.rate = r.dump();
}

void parse_persistence(const json& j, const std::string& path, PlannedRun& run) {
  if (!j.contains("persistence")) return;
  const std::string p = key_path(path, "persistence");
  run.persistence = string_at(j["persistence"], p);
  if (std::find(std::begin(kPersistence), std::end(kPersistence), run.persistence) ==
      std::end(kPersistence)) {
    throw PlanError(p, fmt::format("expected one of {}, got {}", joined(kPersistence),
                                   json_quoted(run.persistence)));
  }
}

// The name given, else "WORKLOAD VARIANT FAULT+FAULT" (unique enough for most plans; the
// duplicate check in parse_suite_plan asks for a "name" when it is not).
void parse_name(const json& j, const std::string& path, const WorkloadInfo& info, PlannedRun& run) {
  if (j.contains("name")) {
    run.name = nonempty_string_at(j["name"], key_path(path, "name"));
    return;
  }
  std::string faults;
  for (const auto& f : run.faults) faults += (faults.empty() ? "" : "+") + f;
  run.name = fmt::format("{} {} {}", run.workload, variant_or_default(info, run), faults);
}

// One run of the plan. The fields are checked in a fixed order (the first problem found is the
// one reported), so the steps below must keep it.
PlannedRun parse_run(const json& j, const std::string& path) {
  object_at(j, path);
  only_fields(
      j, path,
      {"name", "workload", "variant", "fault", "time", "seeds", "topology", "clients", "params",
       "slo", "fault_interval", "fault_at", "rate", "persistence", "note", "expect"});
  PlannedRun run;

  const WorkloadInfo& info = parse_workload(j, path, run);
  parse_variant(j, path, info, run);
  parse_faults(j, path, run);

  if (j.contains("time")) run.time = duration_at(j["time"], key_path(path, "time"));
  parse_seeds(j, path, run);
  parse_topology(j, path, run);
  if (j.contains("clients")) {
    run.clients = static_cast<int>(integer_at(j["clients"], key_path(path, "clients"), 1, 10000));
  }
  parse_params(j, path, info, run);
  parse_slos(j, path, run);

  if (j.contains("fault_interval")) {
    run.fault_interval = duration_at(j["fault_interval"], key_path(path, "fault_interval"));
  }
  parse_rate(j, path, run);
  parse_persistence(j, path, run);
  if (j.contains("note")) run.note = string_at(j["note"], key_path(path, "note"));
  // A hook of the workload's (checked when the run starts: hooks belong to a made workload).
  if (j.contains("fault_at")) run.fault_at = string_at(j["fault_at"], key_path(path, "fault_at"));

  if (!j.contains("expect")) {
    throw PlanError(key_path(path, "expect"),
                    "missing (at least {\"valid\": true|false|\"unknown\"})");
  }
  // After "seeds": min_seeds is bounded by how many the run has.
  run.expect = parse_expectation(j["expect"], key_path(path, "expect"), run.seeds.size());
  parse_name(j, path, info, run);
  return run;
}

}  // namespace

std::string run_slug(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "run" : out;
}

SuitePlan parse_suite_plan(std::string_view text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    // Parse again with exceptions for the position of the error.
    try {
      const json ignored = json::parse(text);
      (void)ignored;
    } catch (const json::exception& e) {
      // Not only parse_error: a number too large for a double is out_of_range (found by fuzzing).
      std::string what = e.what();
      // "[json.exception.parse_error.101] parse error at line 3, column 5: ..." -> the message.
      if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
      throw PlanError("", "not valid JSON: " + what);
    }
    throw PlanError("", "not valid JSON");
  }
  if (!j.is_object())
    throw PlanError("", "expected a JSON object {\"runs\": [...]}, got " + type_name(j));
  only_fields(j, "", {"description", "runs"});
  SuitePlan plan;
  if (j.contains("description")) plan.description = string_at(j["description"], "description");
  if (!j.contains("runs")) throw PlanError("runs", "missing (an array of runs)");
  const json& runs = j["runs"];
  if (!runs.is_array())
    throw PlanError("runs", "expected an array of runs, got " + type_name(runs));
  if (runs.empty()) throw PlanError("runs", "expected at least one run");
  std::map<std::string, std::size_t> names, slugs;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string path = index_path("runs", i);
    PlannedRun run = parse_run(runs[i], path);
    if (auto it = names.find(run.name); it != names.end()) {
      throw PlanError(
          runs[i].contains("name") ? key_path(path, "name") : path,
          fmt::format("the name {} is already runs[{}]'s; give each run its own \"name\"",
                      json_quoted(run.name), it->second));
    }
    if (auto it = slugs.find(run_slug(run.name)); it != slugs.end()) {
      throw PlanError(key_path(path, "name"),
                      fmt::format("{} would share runs[{}]'s results directory ({}); rename one",
                                  json_quoted(run.name), it->second, run_slug(run.name)));
    }
    names[run.name] = i;
    slugs[run_slug(run.name)] = i;
    plan.runs.push_back(std::move(run));
  }
  return plan;
}

SuitePlan read_suite_plan(const std::string& path) {
  try {
    require_within_limit(path, kMaxSuitePlanBytes, "a suite plan");
  } catch (const std::runtime_error& e) {
    throw PlanError("", e.what());
  }
  std::ifstream in(path, std::ios::binary);
  std::string label = path;
  if (auto slash = label.rfind('/'); slash != std::string::npos) label = label.substr(slash + 1);
  if (!in) throw PlanError("", fmt::format("{}: cannot read it", path));
  std::ostringstream s;
  s << in.rdbuf();
  try {
    return parse_suite_plan(s.str());
  } catch (const PlanError& e) {
    throw PlanError(e.path(), e.detail(), label);
  }
}

void apply_overrides(SuitePlan& plan, const PlanOverrides& o) {
  if (!o.only.empty()) {
    std::regex re;
    try {
      re = std::regex(o.only, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw PlanError("", fmt::format("--only {}: not a regular expression ({})",
                                      json_quoted(o.only), e.what()));
    }
    std::erase_if(plan.runs, [&](const PlannedRun& r) { return !std::regex_search(r.name, re); });
    if (plan.runs.empty())
      throw PlanError("", fmt::format("--only {}: no run's name matches", json_quoted(o.only)));
  }
  if (o.seeds > 0) {
    for (auto& r : plan.runs) {
      r.seeds.clear();
      for (int s = 1; s <= o.seeds; ++s) r.seeds.push_back(static_cast<std::uint64_t>(s));
      r.expect.min_seeds = std::min(r.expect.min_seeds, o.seeds);
    }
  }
  if (!o.time.empty()) {
    const auto d = parse_duration(o.time);
    if (!d || d->count() <= 0)
      throw PlanError("", fmt::format("--time {}: not a positive duration", json_quoted(o.time)));
    for (auto& r : plan.runs) r.time = o.time;
  }
}

}  // namespace redproof::suite
