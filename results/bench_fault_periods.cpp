#include "results/bench_fault_periods.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/text_format.hpp"
#include "results/bench_figures.hpp"

namespace redproof {

namespace {

using nlohmann::json;

// A value as words: a list's items separated by commas, anything else as plain() writes it.
std::string listed(const json& value) {
  if (!value.is_array()) return plain(value);
  std::vector<std::string> items;
  for (const auto& item : value) items.push_back(plain(item));
  return join(items, ", ");
}

// "from n1 to n2, promoted 554 ms after n1 was cut off": what a window's fault did, from its
// target, in words; "" when the nemesis did not say.
std::string target_text(const json& window) {
  const auto t = window.find("target");
  if (t == window.end() || t->is_null()) return {};
  if (!t->is_object()) return plain(*t);
  if (t->contains("from") && t->contains("to")) {
    std::string out = "from " + plain((*t)["from"]) + " to " + plain((*t)["to"]);
    if (t->contains("lag_ms")) {
      out += ", promoted " + plain((*t)["lag_ms"]) + " ms after " + plain((*t)["from"]) +
             " was cut off";
    }
    return out;
  }
  std::vector<std::string> parts;
  for (const auto& [key, value] : t->items()) parts.push_back(key + " " + listed(value));
  return join(parts, "; ");
}

const json& windows_of(const json& bench) {
  static const json none = json::array();
  const auto w = bench.find("fault_windows");
  return w != bench.end() && w->is_array() ? *w : none;
}

std::string ms(const json& figures, const char* key) {
  return figure_text(figures.is_object() ? figures.value(key, 0.0) : 0.0, true);
}

}  // namespace

std::vector<ChartBand> fault_window_bands(const json& bench) {
  std::vector<ChartBand> bands;
  for (const auto& w : windows_of(bench)) {
    const std::string what = target_text(w);
    bands.push_back({w.value("start_s", 0.0), w.value("end_s", 0.0),
                     w.value("fault", "fault") + (what.empty() ? "" : ": " + what)});
  }
  return bands;
}

std::string faults_open_between(const json& bench, double from_s, double to_s) {
  std::vector<std::string> names;
  for (const auto& w : windows_of(bench)) {
    const std::string fault = w.value("fault", "fault");
    const bool overlaps = w.value("start_s", 0.0) < to_s && w.value("end_s", 0.0) >= from_s;
    if (overlaps && std::find(names.begin(), names.end(), fault) == names.end()) {
      names.push_back(fault);
    }
  }
  return join(names, "+");
}

std::string fault_windows_html(const json& bench) {
  const json& windows = windows_of(bench);
  if (windows.empty() && !bench.contains("latency_by_window")) return {};
  const json by_window = bench.value("latency_by_window", json::object());
  std::string out = "<h2>By fault window</h2>\n";
  out += fmt::format(
      "<p class=\"dim\">Corrected latency of the replies that arrived while a fault was in "
      "effect (the windows of one fault merged) and outside every window; {} window{}.</p>\n",
      windows.size(), windows.size() == 1 ? "" : "s");
  out +=
      "<table class=\"grid\" id=\"latency-by-window\"><tr><th>window</th><th>count</th>"
      "<th>p50</th><th>p99</th><th>p99.9</th><th>max</th></tr>\n";
  auto row = [&](const std::string& name, const json& f) {
    out +=
        fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    html_escape(name), f.is_object() ? f.value("count", std::uint64_t{0}) : 0,
                    ms(f, "p50_ns"), ms(f, "p99_ns"), ms(f, "p999_ns"), ms(f, "max_ns"));
  };
  if (by_window.is_object() && by_window.contains("outside")) row("outside", by_window["outside"]);
  if (by_window.is_object()) {
    for (const auto& [name, figures] : by_window.items()) {
      if (name != "outside") row(name, figures);
    }
  }
  out += "</table>\n";
  if (windows.empty()) return out;
  out +=
      "<table class=\"grid\" id=\"fault-windows\"><tr><th>fault</th><th>what it did</th>"
      "<th>from</th><th>to</th><th>length</th></tr>\n";
  for (const auto& w : windows) {
    const double from = w.value("start_s", 0.0), to = w.value("end_s", 0.0);
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{:.3f} s</td><td>{:.3f} s</td><td>{:.3f} s</td></tr>\n",
        html_escape(w.value("fault", "fault")), html_escape(target_text(w)), from, to, to - from);
  }
  out += "</table>\n";
  return out;
}

}  // namespace redproof
