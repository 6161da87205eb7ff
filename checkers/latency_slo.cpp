#include "checkers/latency_slo.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "checkers/fault_windows.hpp"
#include "core/duration.hpp"

namespace redproof {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

[[noreturn]] void reject(std::string_view text, std::string_view why) {
  throw std::invalid_argument(fmt::format("--slo {}: {}", text, why));
}

// "p99.9" -> 99.9, "max" -> 100.
double parse_percentile(std::string_view whole, std::string_view left) {
  const std::string name = lower(trim(left));
  if (name == "max") return 100;
  if (name.size() < 2 || name[0] != 'p') {
    reject(whole, fmt::format("unknown percentile \"{}\"; write p50, p99, p99.9 or max", name));
  }
  double p = 0;
  const char* first = name.data() + 1;
  const char* last = name.data() + name.size();
  auto [ptr, ec] = std::from_chars(first, last, p);
  if (ec != std::errc() || ptr != last || !std::isfinite(p)) {
    reject(whole, fmt::format("unknown percentile \"{}\"; write p50, p99, p99.9 or max", name));
  }
  if (p <= 0 || p > 100) reject(whole, "the percentile must be above 0 and at most 100");
  return p;
}

std::int64_t parse_limit(std::string_view whole, std::string_view right) {
  right = trim(right);
  if (right.empty()) reject(whole, "missing limit; write e.g. p99<2ms");
  std::size_t digits = 0;
  while (digits < right.size() &&
         (std::isdigit(static_cast<unsigned char>(right[digits])) || right[digits] == '.')) {
    ++digits;
  }
  // parse_duration reads a bare number as seconds; for a latency bound that is almost always a
  // slip ("p99<2" meant 2ms), so a unit is required.
  if (digits == right.size()) reject(whole, "missing unit; write e.g. p99<2ms");
  auto d = parse_duration(right);
  if (!d) {
    reject(whole,
           fmt::format("bad limit \"{}\"; write a duration such as 500us, 2ms or 1s", right));
  }
  if (d->count() <= 0) reject(whole, "the limit must be above zero");
  return d->count();
}

std::string percentile_label(double p) {
  if (p >= 100) return "max";
  return fmt::format("p{}", p);
}

struct Scope {
  LatencyHistogram histogram;
  std::uint64_t ok = 0, fail = 0, info = 0;

  void add(const OperationLatency& op) {
    switch (op.outcome) {
      case OpType::kOk:
        ++ok;
        break;
      case OpType::kFail:
        ++fail;
        break;
      case OpType::kInfo:
        ++info;
        break;
      case OpType::kInvoke:
        return;
    }
    if (counts_toward_latency(op)) histogram.record_ns(op.latency_ns());
  }

  std::int64_t observed(const Slo& slo) const { return slo_observed(slo, histogram); }

  // Integers only: no NaN or Infinity can reach results.json.
  nlohmann::json figures() const {
    return {{"count", histogram.count()},
            {"ok", ok},
            {"fail", fail},
            {"info", info},
            {"p50_ns", histogram.percentile_ns(50)},
            {"p90_ns", histogram.percentile_ns(90)},
            {"p99_ns", histogram.percentile_ns(99)},
            {"p999_ns", histogram.percentile_ns(99.9)},
            {"max_ns", histogram.max_ns()},
            {"mean_ns", std::llround(histogram.mean_ns())}};
  }
};

bool met(const Slo& slo, std::int64_t observed) {
  return slo_met(slo, observed);
}

nlohmann::json slo_figures(const std::vector<Slo>& slos, const Scope& scope) {
  nlohmann::json out = nlohmann::json::array();
  for (const Slo& slo : slos) {
    const std::int64_t observed = scope.observed(slo);
    out.push_back({{"slo", slo.text},
                   {"observed_ns", observed},
                   {"limit_ns", slo.limit_ns},
                   {"met", scope.histogram.count() == 0 || met(slo, observed)}});
  }
  return out;
}

}  // namespace

Slo parse_slo(std::string_view text) {
  const std::string_view whole = trim(text);
  if (whole.empty()) reject(text, "empty; write e.g. p99<2ms");
  Slo slo;
  slo.text = std::string(whole);
  const std::size_t lt = whole.find('<');
  if (lt == std::string_view::npos) {
    if (whole.find('>') != std::string_view::npos) {
      reject(whole, "an SLO is an upper bound; write e.g. p99<2ms");
    }
    reject(whole, "expected PERCENTILE<LIMIT, e.g. p99<2ms, p99.9<=10ms or max<1s");
  }
  slo.percentile = parse_percentile(whole, whole.substr(0, lt));
  std::string_view rest = whole.substr(lt + 1);
  if (!rest.empty() && rest.front() == '=') {
    slo.inclusive = true;
    rest.remove_prefix(1);
  }
  slo.limit_ns = parse_limit(whole, rest);
  return slo;
}

bool counts_toward_latency(const OperationLatency& op) {
  return op.outcome == OpType::kOk || op.outcome == OpType::kFail;
}

LatencyHistogram latency_histogram(const std::vector<OperationLatency>& ops) {
  LatencyHistogram h;
  for (const auto& op : ops) {
    if (counts_toward_latency(op)) h.record_ns(op.latency_ns());
  }
  return h;
}

CheckResult LatencySloChecker::check(const std::vector<Op>& history) {
  const std::vector<OperationLatency> ops = operation_latencies(history);
  const std::vector<FaultWindow> windows = fault_windows(history);

  Scope overall;
  Scope fault_free;
  std::vector<Scope> per_window(windows.size());
  for (const auto& op : ops) {
    overall.add(op);
    bool in_any = false;
    for (std::size_t w = 0; w < windows.size(); ++w) {
      if (op.invoke_ns <= windows[w].end_ns && op.complete_ns >= windows[w].start_ns) {
        per_window[w].add(op);
        in_any = true;
      }
    }
    if (!in_any) fault_free.add(op);
  }

  CheckResult result;
  auto& d = result.details;
  d["overall"] = overall.figures();
  d["windows"] = nlohmann::json::array();
  for (std::size_t w = 0; w < windows.size(); ++w) {
    nlohmann::json entry = {{"fault", windows[w].fault},
                            {"label", describe(windows[w])},
                            {"start_ns", windows[w].start_ns},
                            {"end_ns", windows[w].end_ns}};
    entry.update(per_window[w].figures());
    entry["slos"] = slo_figures(slos_, per_window[w]);
    d["windows"].push_back(std::move(entry));
  }
  d["fault_free"] = fault_free.figures();
  d["fault_free"]["slos"] = slo_figures(slos_, fault_free);

  d["slos"] = nlohmann::json::array();
  d["breaches"] = nlohmann::json::array();
  result.valid = Validity::kValid;
  if (!slos_.empty() && overall.histogram.count() == 0) {
    // Nothing completed (every request timed out, or no load ran): the SLOs can be neither met
    // nor breached.
    result.valid = Validity::kUnknown;
    d["error"] = "no completed operations to judge the latency SLOs on";
    return result;
  }
  for (const Slo& slo : slos_) {
    const std::int64_t observed = overall.observed(slo);
    const bool ok = met(slo, observed);
    nlohmann::json entry = {{"slo", slo.text},
                            {"scope", "overall"},
                            {"observed_ns", observed},
                            {"limit_ns", slo.limit_ns},
                            {"met", ok}};
    d["slos"].push_back(entry);
    if (!ok) {
      Anomaly a;
      a.name = "slo-breach";
      a.to_ns = history.empty() ? 0 : history.back().time;
      a.magnitude = {{"slo", slo.text},
                     {"observed_ns", observed},
                     {"limit_ns", slo.limit_ns},
                     {"operations", overall.histogram.count()}};
      a.faults = {"none"};
      a.sentence = fmt::format("{} was {}, breaching the SLO {} ({} operations)",
                               percentile_label(slo.percentile), format_duration(Nanos(observed)),
                               slo.text, overall.histogram.count());
      entry["description"] = a.sentence;
      result.anomalies.push_back(std::move(a));
      d["breaches"].push_back(std::move(entry));
      result.valid = Validity::kInvalid;
    }
  }
  return result;
}

std::int64_t slo_observed(const Slo& slo, const LatencyHistogram& histogram) {
  return slo.percentile >= 100 ? histogram.max_ns() : histogram.percentile_ns(slo.percentile);
}

bool slo_met(const Slo& slo, std::int64_t observed) {
  return slo.inclusive ? observed <= slo.limit_ns : observed < slo.limit_ns;
}

}  // namespace redproof
