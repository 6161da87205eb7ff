// The counterexample as one self-contained HTML page: a lane per process, operations drawn by
// their place in the history, the linearizable prefix in order and the operation that could not
// be placed highlighted.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "checkers/linearizability/linearizability_checker.hpp"
#include "core/text_format.hpp"

namespace redproof::linearizability {

namespace {

std::string escape(const std::string& s) {
  return html_escape(s);
}

std::string label(const ShownOperation& o) {
  return o.f + " " + o.invoke_value + (o.result == "?" ? " → ?" : " → " + o.result);
}

}  // namespace

std::string linearizability_html_fragment(const LinearizabilityResult& r) {
  std::string body;
  if (!r.failure) {
    body = fmt::format("<p>Verdict: <b>{}</b> ({} operations over {} keys).</p>",
                       verdict_name(r.verdict), r.operations, r.keys);
  } else {
    const KeyFailure& f = *r.failure;
    std::vector<const ShownOperation*> all;
    for (const auto& p : f.prefix) all.push_back(&p);
    for (const auto& c : f.concurrent) all.push_back(&c);
    all.push_back(&f.stuck);
    std::int64_t lo = INT64_MAX, hi = 0;
    std::map<std::int64_t, int> lanes;
    for (const auto* o : all) {
      lo = std::min(lo, o->invoke_index);
      hi = std::max(hi, std::max(o->invoke_index, o->complete_index));
      lanes.emplace(o->process, 0);
    }
    int lane = 0;
    for (auto& [p, l] : lanes) l = lane++;
    const double width = 900, row = 28;
    const double scale = hi > lo ? (width - 160) / static_cast<double>(hi - lo + 1) : 1;
    std::string svg = fmt::format(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-size='11'>", width,
        row * (lanes.size() + 1));
    for (auto& [p, l] : lanes) {
      svg += fmt::format("<text x='4' y='{}'>process {}</text>", row * l + 18, p);
    }
    int order = 0;
    std::map<const ShownOperation*, int> position;
    for (const auto& p : f.prefix) position[&p] = ++order;
    for (const auto* o : all) {
      const double x = 120 + (o->invoke_index - lo) * scale;
      const std::int64_t end = o->complete_index < 0 ? hi : o->complete_index;
      const double w = std::max(6.0, (end - o->invoke_index + 1) * scale);
      const bool stuck = o == &f.stuck;
      const double y = row * lanes[o->process] + 4;
      svg += fmt::format(
          "<rect x='{:.1f}' y='{}' width='{:.1f}' height='{}' rx='3' fill='{}' stroke='#333'>"
          "<title>{}</title></rect>",
          x, y, w, row - 8,
          stuck               ? "#e55"
          : position.count(o) ? "#9c9"
                              : "#ddd",
          escape(label(*o)));
      std::string text = escape(label(*o));
      if (position.count(o)) text = std::to_string(position[o]) + ". " + text;
      svg += fmt::format("<text x='{:.1f}' y='{}'>{}</text>", x + 3, y + 14, text);
    }
    svg += "</svg>";
    body = fmt::format(
        "<p>Key <b>{}</b> is <b>not linearizable</b>. After the linearizable prefix (green, "
        "numbered in the order found), the model's state is <code>{}</code>, and the operation "
        "in red, <code>{}</code> by process {}, cannot be placed: no order of the operations "
        "still open explains its result.</p>{}{}",
        escape(f.key), escape(f.state), escape(label(f.stuck)), f.stuck.process, svg,
        f.prefix_complete ? "" : "<p>(the prefix was too long to keep whole)</p>");
  }
  return body;
}

std::string linearizability_html(const LinearizabilityResult& r) {
  return "<!DOCTYPE html><html><head><meta charset='utf-8'><title>linearizability</title>"
         "<style>body{font-family:sans-serif;margin:1em}code{background:#eee}</style></head>"
         "<body><h2>Linearizability</h2>" +
         linearizability_html_fragment(r) + "</body></html>\n";
}

}  // namespace redproof::linearizability
