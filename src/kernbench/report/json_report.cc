#include "kernbench/report/json_report.h"

#include <fstream>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/report/figures.h"

namespace kernbench::report {
namespace {

using Json = nlohmann::ordered_json;

Json optional_number(std::optional<double> value) { return value ? Json(*value) : Json(nullptr); }

Json busiest_json(const Busiest& b) {
  return Json{{"kind", name(b.kind)},
              {"resource", b.resource},
              {"track", b.track},
              {"utilization", b.utilization},
              {"equally_busy", b.equally_busy}};
}

Json busiest_list(std::span<const Busiest> list) {
  Json array = Json::array();
  for (const Busiest& b : list) array.push_back(busiest_json(b));
  return array;
}

Json bound_json(std::span<const Busiest> list) {
  const auto bound = bound_by(list);
  return bound ? busiest_json(*bound) : Json(nullptr);
}

// The figures a bench and its phases share: bytes, flops and the rates they give.
void add_rates(Json& j, std::uint64_t bytes, double flops, base::SimTime time,
               const BenchRecord& bench) {
  const auto bps = per_second(static_cast<double>(bytes), time);
  const auto fps = per_second(flops, time);
  j["bytes"] = bytes;
  j["flops"] = flops;
  j["bytes_per_second"] = optional_number(bps);
  j["flops_per_second"] = optional_number(fps);
  j["fraction_of_peak_bandwidth"] = optional_number(fraction_of(bps, bench.peak_bytes_per_second));
  j["fraction_of_peak_flops"] =
      optional_number(flops > 0 ? fraction_of(fps, bench.peak_flops) : std::nullopt);
}

Json phase_json(const PhaseRecord& phase, const BenchRecord& bench) {
  Json j{
      {"name", phase.name}, {"start_ps", phase.start.ps()}, {"duration_ps", phase.duration.ps()}};
  add_rates(j, phase.bytes, phase.flops, phase.duration, bench);
  j["bound_by"] = bound_json(phase.busiest);
  j["busiest"] = busiest_list(phase.busiest);
  j["translation"] = phase.translation
                         ? Json{{"tlb_lookups", phase.translation->tlb_lookups},
                                {"tlb_misses", phase.translation->tlb_misses},
                                {"tlb_reach_bytes", phase.translation->tlb_reach_bytes}}
                         : Json(nullptr);
  return j;
}

Json bench_json(const BenchRecord& bench) {
  Json j{{"name", bench.name},
         {"shape", bench.shape},
         {"pes", bench.pes},
         {"time_ps", bench.time.ps()}};
  add_rates(j, bench.bytes, bench.flops, bench.time, bench);
  j["peak_flops"] = bench.peak_flops;
  j["peak_bytes_per_second"] = bench.peak_bytes_per_second;
  j["roofline"] = bench.roofline ? Json{{"matrix_peak_flops", bench.roofline->matrix_peak_flops},
                                        {"memory_bound_flops", bench.roofline->memory_bound_flops},
                                        {"bound", bench.roofline->bound}}
                                 : Json(nullptr);
  j["bound_by"] = bound_json(bench.busiest);
  j["busiest"] = busiest_list(bench.busiest);
  j["check"] = Json{{"checked", bench.check.checked},
                    {"pass", bench.check.pass},
                    {"max_error", bench.check.max_error},
                    {"detail", bench.check.detail}};
  Json phases = Json::array();
  for (const PhaseRecord& phase : bench.phases) phases.push_back(phase_json(phase, bench));
  j["phases"] = std::move(phases);
  return j;
}

Json collective_json(const CollectiveSweep& sweep) {
  Json rows = Json::array();
  for (const CollectiveRow& r : sweep.rows)
    rows.push_back(Json{{"bytes", r.bytes},
                        {"count", r.count},
                        {"dtype", r.dtype},
                        {"op", r.op},
                        {"time_ps", r.time.ps()},
                        {"algbw_gbps", r.algbw_gbps},
                        {"busbw_gbps", r.busbw_gbps},
                        {"wrong", r.wrong ? Json(*r.wrong) : Json(nullptr)}});
  return Json{{"algorithm", sweep.algorithm},
              {"op", sweep.op},
              {"world", sweep.world},
              {"rows", std::move(rows)}};
}

Json parameter_json(const ParameterSweep& sweep) {
  Json points = Json::array();
  for (const SweepPoint& p : sweep.points)
    points.push_back(Json{{"value", p.value}, {"result", bench_json(p.result)}});
  return Json{{"bench", sweep.bench}, {"key", sweep.key}, {"points", std::move(points)}};
}

}  // namespace

nlohmann::ordered_json to_json(const RunRecord& run) {
  Json config = Json::object();
  for (const auto& [key, value] : run.config) config[key] = value;
  Json j{{"schema_version", kJsonSchemaVersion},
         {"version", run.version},
         {"command_line", run.command_line},
         {"config", std::move(config)}};
  Json benches = Json::array();
  for (const BenchRecord& b : run.benches) benches.push_back(bench_json(b));
  Json collectives = Json::array();
  for (const CollectiveSweep& s : run.collective_sweeps) collectives.push_back(collective_json(s));
  Json sweeps = Json::array();
  for (const ParameterSweep& s : run.parameter_sweeps) sweeps.push_back(parameter_json(s));
  j["benches"] = std::move(benches);
  j["collective_sweeps"] = std::move(collectives);
  j["parameter_sweeps"] = std::move(sweeps);
  return j;
}

void write_json_report(const std::filesystem::path& path, const RunRecord& run) {
  std::ofstream out(path, std::ios::binary);
  if (out) out << to_json(run).dump(2) << '\n';
  out.flush();
  if (!out) throw base::Error(fmt::format("cannot write the JSON report '{}'", path.string()));
}

}  // namespace kernbench::report
