#include "driver/load/bench_output.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/duration.hpp"
#include "core/latency_figures.hpp"

namespace redproof::load {

namespace {

std::string ms(std::int64_t ns) {
  return fmt::format("{:.3f}", ns / 1e6);
}

double finite(double v) {
  return std::isfinite(v) ? v : 0.0;
}

}  // namespace

void print_bench_summary(std::ostream& out, const LoadOptions& o, const LoadResult& r,
                         const std::vector<SloOutcome>& slos) {
  std::string commands;
  for (const auto& c : o.commands) {
    commands += (commands.empty() ? "" : ", ") + c.name;
  }
  if (!o.workload.empty()) commands = "workload " + o.workload;
  out << fmt::format(
      "redproof bench: {} on {}, {} connections{} on {} thread{}, pipeline {}, {}\n", commands,
      o.cluster ? "a cluster seeded at " + o.endpoint.to_string() : o.endpoint.to_string(),
      o.connections, o.cluster ? " per node" : "", r.threads, r.threads == 1 ? "" : "s", o.pipeline,
      o.rate > 0 ? fmt::format("open loop at {:.0f} req/s", o.rate) : std::string("closed loop"));
  out << fmt::format("  throughput   {:.0f} ops/s ({} replies in {:.2f} s)\n", r.ops_per_second(),
                     r.completed, r.wall_seconds);
  if (!o.workload.empty()) {
    out << fmt::format(
        "  outcomes     {} ok, {} failed (definitely not applied, e.g. a busy lock)\n",
        r.completed - r.failed - r.error_replies, r.failed);
  }
  const char* label = o.rate > 0 ? "corrected  " : "latency    ";
  auto line = [&](const char* name, const LatencyHistogram& h) {
    out << fmt::format(
        "  {} p50 {} ms  p90 {} ms  p99 {} ms  p99.9 {} ms  p99.99 {} ms  max {} ms\n", name,
        ms(h.percentile_ns(50)), ms(h.percentile_ns(90)), ms(h.percentile_ns(99)),
        ms(h.percentile_ns(99.9)), ms(h.percentile_ns(99.99)), ms(h.max_ns()));
  };
  line(label, r.corrected);
  if (o.rate > 0) line("uncorrected", r.uncorrected);
  out << fmt::format(
      "  errors       {} error replies, {} timed out, {} lost with their connection, {} "
      "connection errors, {} reconnects\n",
      r.error_replies, r.timeouts, r.lost_in_flight, r.connection_errors, r.reconnects);
  if (o.rate > 0) {
    out << fmt::format("  backlog      {} sent late (≥ 1 ms), {} never sent\n", r.late_sends,
                       r.unsent);
  }
  out << fmt::format("  client CPU   {:.2f} s user + {:.2f} s sys = {:.2f} µs per operation\n",
                     r.cpu_user_seconds, r.cpu_system_seconds, r.cpu_us_per_op());
  for (const auto& s : slos) {
    out << fmt::format("  SLO {:<12} {} (observed {} ms)\n", s.slo, s.met ? "met" : "BREACHED",
                       ms(s.observed_ns));
  }
  for (const auto& w : r.warnings) out << "  warning: " << w << "\n";
}

nlohmann::json bench_json(const LoadOptions& o, const LoadResult& r,
                          const std::vector<SloOutcome>& slos) {
  nlohmann::json commands = nlohmann::json::array();
  for (const auto& c : o.commands) commands.push_back({{"name", c.name}, {"weight", c.weight}});
  nlohmann::json series = nlohmann::json::array();
  for (const auto& s : r.series) {
    series.push_back({{"second", s.second},
                      {"completed", s.completed},
                      {"errors", s.errors},
                      {"timeouts", s.timeouts},
                      {"connection_errors", s.connection_errors},
                      {"late_sends", s.late_sends},
                      {"p50_ns", s.p50_ns},
                      {"p90_ns", s.p90_ns},
                      {"p99_ns", s.p99_ns},
                      {"p999_ns", s.p999_ns},
                      {"max_ns", s.max_ns}});
  }
  nlohmann::json slo_json = nlohmann::json::array();
  bool met = true;
  for (const auto& s : slos) {
    slo_json.push_back(
        {{"slo", s.slo}, {"observed_ns", s.observed_ns}, {"limit_ns", s.limit_ns}, {"met", s.met}});
    met = met && s.met;
  }
  return {{"config",
           {{"target", o.endpoint.to_string()},
            {"connections", o.connections},
            {"threads", r.threads},
            {"pipeline", o.pipeline},
            {"rate", finite(o.rate)},
            {"duration_s", o.duration.count() / 1e9},
            {"max_requests", o.max_requests},
            {"commands", commands},
            {"workload", o.workload.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.workload)},
            {"keys", o.key_count},
            {"data_size", o.template_options.data_size},
            {"seed", o.seed}}},
          {"throughput_ops", finite(r.ops_per_second())},
          {"latency",
           {{"corrected", latency_figures(r.corrected)},
            {"uncorrected", latency_figures(r.uncorrected)}}},
          {"counts",
           {{"sent", r.sent},
            {"completed", r.completed},
            {"error_replies", r.error_replies},
            {"failed", r.failed},
            {"timeouts", r.timeouts},
            {"lost_in_flight", r.lost_in_flight},
            {"connection_errors", r.connection_errors},
            {"reconnects", r.reconnects},
            {"late_sends", r.late_sends},
            {"unsent", r.unsent}}},
          {"client_cpu",
           {{"user_s", finite(r.cpu_user_seconds)},
            {"system_s", finite(r.cpu_system_seconds)},
            {"us_per_op", finite(r.cpu_us_per_op())}}},
          {"wall_s", finite(r.wall_seconds)},
          {"series", series},
          {"slos", slo_json},
          {"slos_met", met},
          {"warnings", r.warnings}};
}

std::string progress_line(double elapsed_s, double total_s, double ops_per_second,
                          std::uint64_t errors) {
  return fmt::format("\r  {:5.1f}s / {:.0f}s  {:>10.0f} ops/s  errors {}   ", elapsed_s, total_s,
                     ops_per_second, errors);
}

}  // namespace redproof::load
