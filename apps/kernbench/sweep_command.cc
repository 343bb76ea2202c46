// `kernbench sweep BENCH --sweep KEY=v1,v2,v3 [--sweep KEY2=...] [-j N] [--csv FILE]`: runs one
// bench at every point of a list or grid of --set values or bench parameters (a KEY of the form
// param.NAME sweeps the bench's --param NAME), each point an independent simulation
// (so -j N runs N at once on their own threads, and `mpirun -np P` spreads them over P processes),
// and reports every point in input order: the text report, CSV, and the JSON and HTML outputs of
// the global options.
#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bench_runner.h"
#include "command.h"
#include "mpi_codec.h"
#include "mpi_points.h"
#include "mpi_world.h"
#include "progress_bar.h"
#include "run_outputs.h"
#include "sweep_grid.h"

#include "kernbench/base/error.h"
#include "kernbench/base/limit_error.h"
#include "kernbench/report/text_report.h"
#include "kernbench/topo/host_memory.h"

namespace kernbench::apps {
namespace {

struct SweepOptions {
  std::string bench;
  std::vector<std::string> axes;    // --sweep texts
  std::vector<std::string> params;  // --param texts, the same at every point
  int jobs = 0;                     // one per hardware thread, as run
  std::string csv_file;
};

constexpr std::string_view kParamPrefix = "param.";

// A point's bench parameters: the fixed --param values (checked by the caller), then its
// param.NAME axes' values, each checked against `bench`. Errors name the --sweep item.
benches::BenchParams point_params(const benches::Bench& bench, const benches::BenchParams& fixed,
                                  const std::vector<std::string>& overrides) {
  benches::BenchParams params = fixed;
  const std::array<const benches::Bench*, 1> chosen{&bench};
  for (const std::string& o : overrides) {
    if (!o.starts_with(kParamPrefix)) continue;
    try {
      benches::BenchParams one;
      one.parse(o.substr(kParamPrefix.size()));
      benches::check_params(chosen, one);
      params.parse(o.substr(kParamPrefix.size()));
    } catch (const base::ConfigError& e) {
      std::vector<std::string> problems;
      for (const std::string& text : e.problems())
        problems.push_back(text.starts_with("--param ")
                               ? "--sweep " + std::string(kParamPrefix) + text.substr(8)
                               : text);
      throw base::ConfigError(problems);
    }
  }
  return params;
}

// Every point's machine, loaded before anything runs so a bad value fails at once; errors name
// the --sweep item instead of the --set it became. The points' ccl.* values are point_ccl's.
std::vector<topo::TopologySpec> point_machines(const GlobalOptions& options,
                                               const std::vector<SweepAxis>& axes,
                                               const std::vector<SweepPointSpec>& points) {
  std::vector<topo::TopologySpec> specs;
  for (const SweepPointSpec& p : points) {
    auto overrides = topology_overrides(p.overrides(axes));
    std::erase_if(overrides, [](const std::string& o) { return o.starts_with(kParamPrefix); });
    try {
      specs.push_back(load_machine(options, overrides));
    } catch (const base::InputSizeLimitError&) {
      throw;  // the --topology file's, not the point's
    } catch (const base::ConfigError& e) {
      // A bad value names its --sweep; a machine the values make inconsistent names the point.
      std::vector<std::string> problems;
      for (const std::string& text : e.problems())
        problems.push_back(
            text.rfind("--set ", 0) == 0
                ? "--sweep " + text.substr(6)
                : fmt::format("--sweep point {}: {}", fmt::join(overrides, ", "), text));
      throw base::ConfigError(problems);
    }
  }
  return specs;
}

// Every point's ccl.yaml (--ccl, the ccl.* settings of --set, then of the point's axes), checked
// before anything runs.
std::vector<std::optional<ccl::CclConfig>> point_ccl(const GlobalOptions& options,
                                                     const std::vector<SweepAxis>& axes,
                                                     const std::vector<SweepPointSpec>& points) {
  std::vector<std::optional<ccl::CclConfig>> configs;
  for (const SweepPointSpec& p : points)
    configs.push_back(bench_ccl_config(options, p.overrides(axes), "kernbench sweep"));
  return configs;
}

// What a sweep needs before any point runs, every input checked.
struct SweepPlan {
  const benches::Bench* bench = nullptr;
  std::vector<SweepAxis> axes;
  std::vector<SweepPointSpec> points;
  std::vector<topo::TopologySpec> specs;
  std::vector<benches::BenchParams> params;
  std::vector<std::optional<ccl::CclConfig>> ccl;
};

// Runs every point on `jobs` threads of each MPI process (the points spread over the processes
// by their machines' host-memory estimate); on rank 0 the records in point order (the first
// failing point, in point order, rethrown once all are done), elsewhere none.
std::vector<report::BenchRecord> run_points(const MpiWorld& world, const benches::Bench& bench,
                                            const SweepPlan& plan, benches::DataMode data, int jobs,
                                            bool quiet, std::uint64_t budget) {
  const std::vector<topo::TopologySpec>& specs = plan.specs;
  std::vector<std::uint64_t> costs;
  for (const topo::TopologySpec& spec : specs) costs.push_back(topo::machine_host_bytes(spec));
  const std::vector<int> owners = assign_points(costs, world.size());
  ProgressBar bar("sweep", static_cast<std::size_t>(std::count(owners.begin(), owners.end(), 0)),
                  world.root() && ProgressBar::wanted(quiet));
  const std::vector<std::string> results =
      run_points_spread(world, owners, jobs, [&](std::size_t i) {
        const report::BenchRecord record =
            run_bench(
                bench,
                {specs[i], data, {}, base::SimTime::zero(), budget, plan.params[i], plan.ccl[i]})
                .record;
        bar.advance();
        return encode_record(record);
      });
  std::vector<report::BenchRecord> records;
  for (const std::string& r : results) records.push_back(decode_record(r));
  return records;
}

// One ParameterSweep per setting of all axes but the last; the last axis is the one charted.
std::vector<report::ParameterSweep> as_sweeps(const std::string& bench,
                                              const std::vector<SweepAxis>& axes,
                                              const std::vector<SweepPointSpec>& points,
                                              std::vector<report::BenchRecord> records) {
  std::vector<report::ParameterSweep> sweeps;
  const std::size_t per_sweep = axes.back().values.size();
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i % per_sweep == 0) {
      std::vector<std::string> fixed;
      for (std::size_t a = 0; a + 1 < axes.size(); ++a)
        fixed.push_back(fmt::format("{}={}", axes[a].key, points[i].values[a]));
      sweeps.push_back(
          {fixed.empty() ? bench : fmt::format("{} ({})", bench, fmt::join(fixed, ", ")),
           axes.back().key,
           {}});
    }
    sweeps.back().points.push_back({points[i].values.back(), std::move(records[i])});
  }
  return sweeps;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

void write_csv(const std::string& path, const std::vector<SweepAxis>& axes,
               const std::vector<SweepPointSpec>& points,
               const std::vector<report::ParameterSweep>& sweeps) {
  std::ofstream out(path);
  if (!out) throw base::Error(fmt::format("--csv {}: cannot create the file", path));
  for (const SweepAxis& a : axes) out << csv_field(a.key) << ',';
  out << "bench,shape,pes,time_ps,bytes,flops,bytes_per_second,flops_per_second,check\n";
  std::size_t i = 0;
  for (const report::ParameterSweep& sweep : sweeps)
    for (const report::SweepPoint& p : sweep.points) {
      const report::BenchRecord& r = p.result;
      for (const std::string& v : points[i++].values) out << csv_field(v) << ',';
      const double seconds = static_cast<double>(r.time.ps()) * 1e-12;
      const auto rate = [&](double amount) { return seconds > 0 ? amount / seconds : 0.0; };
      out << fmt::format("{},{},{},{},{},{},{:.6g},{:.6g},{}\n", csv_field(r.name),
                         csv_field(r.shape), r.pes, r.time.ps(), r.bytes, r.flops,
                         rate(static_cast<double>(r.bytes)), rate(r.flops),
                         !r.check.checked ? "not checked"
                         : r.check.pass   ? "pass"
                                          : "fail");
    }
  if (!out.flush()) throw base::Error(fmt::format("--csv {}: cannot write the file", path));
}

SweepPlan plan_sweep(const GlobalOptions& options, const benches::BenchRegistry& registry,
                     const SweepOptions& s) {
  SweepPlan plan;
  plan.bench = &registry.find(s.bench);
  if (!options.trace_file.empty())
    throw base::Error(
        "--trace records one simulation; a sweep runs many (trace one point with kernbench run "
        "and --set)");
  for (const std::string& text : s.axes) plan.axes.push_back(parse_sweep_axis(text, plan.axes));
  plan.points = sweep_grid(plan.axes);
  plan.specs = point_machines(options, plan.axes, plan.points);
  plan.ccl = point_ccl(options, plan.axes, plan.points);
  benches::BenchParams fixed;
  for (const std::string& text : s.params) fixed.parse(text);
  benches::check_params(std::array<const benches::Bench*, 1>{plan.bench}, fixed);
  for (const SweepPointSpec& p : plan.points)
    plan.params.push_back(point_params(*plan.bench, fixed, p.overrides(plan.axes)));
  return plan;
}

void sweep(const GlobalOptions& options, const benches::BenchRegistry& registry,
           const SweepOptions& s) {
  const MpiWorld world;
  SweepPlan plan;
  std::optional<topo::TopologySpec> machine;
  std::optional<RunOutputs> outputs;  // rank 0 writes every output
  if (!world.agree([&] {
        plan = plan_sweep(options, registry, s);
        machine = load_machine(options);
        if (!world.root()) return;
        if (!s.csv_file.empty()) check_output_file(s.csv_file, "--csv");
        outputs.emplace(options);
      }))
    return;
  if (world.root() && plan.ccl.front())  // --ccl's notes, the same at every point
    for (const std::string& note : plan.ccl.front()->notes)
      fmt::print(stderr, "kernbench: {}\n", note);
  const benches::DataMode data =
      options.timing_only ? benches::DataMode::timing_only : benches::DataMode::checked;
  const auto start = std::chrono::steady_clock::now();
  std::vector<report::BenchRecord> records = run_points(world, *plan.bench, plan, data, s.jobs,
                                                        options.quiet, host_memory_budget(options));
  if (!world.root()) return;
  report::RunRecord record = new_run_record(options, *machine);
  record.parameter_sweeps = as_sweeps(plan.bench->name, plan.axes, plan.points, std::move(records));
  const std::size_t count = plan.points.size();
  if (!options.quiet)
    fmt::print(
        stderr, "kernbench: {} points of {} in {} wall ({} threads{})\n", count, plan.bench->name,
        wall_text(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()),
        std::min(count, thread_count(s.jobs)),
        world.size() > 1 ? fmt::format(" on each of {} MPI processes", world.size()) : "");
  report::write_text_report(std::cout, record);
  std::cout.flush();
  if (!s.csv_file.empty()) write_csv(s.csv_file, plan.axes, plan.points, record.parameter_sweeps);
  outputs->finish(record, &*machine);
  std::size_t failed = 0;
  for (const auto& sw : record.parameter_sweeps)
    for (const auto& p : sw.points) failed += p.result.check.checked && !p.result.check.pass;
  if (failed > 0)
    throw base::Error(fmt::format("{} of {} points failed their numeric check", failed, count));
}

}  // namespace

void add_sweep_command(CLI::App& app, const GlobalOptions& options,
                       const benches::BenchRegistry& registry) {
  CLI::App* cmd = app.add_subcommand(
      "sweep", "Run a bench over a list or grid of --set values (each point its own simulation)");
  cmd->fallthrough();
  auto s = std::make_shared<SweepOptions>();
  cmd->add_option("bench", s->bench, "The bench to run at every point (kernbench list benches)")
      ->required();
  cmd->add_option("--sweep", s->axes,
                  "KEY=v1,v2,... : values of a --set key, with units, or of a bench parameter as "
                  "param.NAME (repeatable: a grid)")
      ->required()
      ->allow_extra_args(false);
  cmd->add_option("-j,--jobs", s->jobs,
                  "Points simulated at once, each on its own thread (default: one per hardware "
                  "thread); the output is the same whatever the number")
      ->check(check_jobs());
  cmd->add_option("--param", s->params, "A bench parameter NAME=VALUE at every point (as run's)")
      ->allow_extra_args(false);
  cmd->add_option("--csv", s->csv_file, "Also write one CSV row per point to FILE")
      ->check(check_file_name);
  cmd->callback([&options, &registry, s] { sweep(options, registry, *s); });
}

}  // namespace kernbench::apps
