// `kernbench run [BENCH...] [-j N] [--summary] [--param NAME=VALUE]...`: runs benches (the whole
// default suite when none is named), each on a fresh machine the global options describe, and
// prints the text report: per bench and phase the simulated time, bytes, bandwidth, FLOP/s,
// fraction of peak, what bound it and the check. Only simulated figures reach stdout, so it is the
// same on every run and host; wall clock goes to stderr.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "bench_runner.h"
#include "command.h"
#include "run_outputs.h"

#include "kernbench/base/error.h"
#include "kernbench/report/text_report.h"

namespace kernbench::apps {
namespace {

// Runs the benches in order, one after another on the run's timeline. Without trace sinks
// (--trace, --report) they are independent simulations, run `jobs` at a time and placed on the
// timeline afterwards; with sinks, one at a time, each machine shifted as it records.
std::vector<BenchRun> run_all(const std::vector<const benches::Bench*>& chosen,
                              benches::BenchContext context, int jobs) {
  std::vector<BenchRun> done(chosen.size());
  if (context.trace_sinks.empty()) {
    parallel_for(chosen.size(), jobs,
                 [&](std::size_t i) { done[i] = run_bench(*chosen[i], context); });
    base::SimTime start = context.start;
    for (BenchRun& d : done) {
      shift_phases(d.record, start);
      start = std::max(start, end_of(d.record));
    }
    return done;
  }
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    done[i] = run_bench(*chosen[i], context);
    context.start = std::max(context.start, end_of(done[i].record));
  }
  return done;
}

void run(const GlobalOptions& options, const benches::BenchRegistry& registry,
         const std::vector<std::string>& names, int jobs, bool summary,
         const std::vector<std::string>& param_arguments) {
  std::vector<const benches::Bench*> chosen;
  for (const std::string& name : names.empty() ? registry.names() : names)
    chosen.push_back(&registry.find(name));
  benches::BenchParams params;
  for (const std::string& argument : param_arguments) params.parse(argument);
  benches::check_params(chosen, params);
  std::optional<ccl::CclConfig> ccl = bench_ccl_config(options, {}, "kernbench run");
  if (ccl)
    for (const std::string& note : ccl->notes) fmt::print(stderr, "kernbench: {}\n", note);
  const topo::TopologySpec spec = load_machine(options);
  RunOutputs outputs(options);
  report::RunRecord record = new_run_record(options, spec);
  const auto wall_start = std::chrono::steady_clock::now();
  const std::vector<BenchRun> done = run_all(
      chosen,
      {spec, options.timing_only ? benches::DataMode::timing_only : benches::DataMode::checked,
       outputs.sinks(), base::SimTime::zero(), host_memory_budget(options), params, std::move(ccl)},
      jobs);
  for (const BenchRun& d : done) {
    record.benches.push_back(d.record);
    if (!options.quiet)
      fmt::print(stderr, "kernbench: {} took {} wall\n", d.record.name, wall_text(d.wall_seconds));
  }
  if (!options.quiet)
    fmt::print(
        stderr, "kernbench: {} benches in {} wall\n", chosen.size(),
        wall_text(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count()));
  report::write_text_report(std::cout, record, {.summary = summary});
  std::cout.flush();
  outputs.finish(record, &spec);
  const auto failed = std::count_if(record.benches.begin(), record.benches.end(),
                                    [](const auto& b) { return b.check.checked && !b.check.pass; });
  if (failed > 0)
    throw base::Error(
        fmt::format("{} of {} benches failed their numeric check", failed, record.benches.size()));
}

}  // namespace

void add_run_command(CLI::App& app, const GlobalOptions& options,
                     const benches::BenchRegistry& registry) {
  CLI::App* cmd = app.add_subcommand(
      "run", "Run benches (the default suite when none is named) and print the report");
  cmd->fallthrough();
  auto names = std::make_shared<std::vector<std::string>>();
  auto jobs = std::make_shared<int>(0);
  cmd->add_option("bench", *names, "Benches to run (kernbench list benches; default: all)");
  cmd->add_option("-j,--jobs", *jobs,
                  "Benches simulated at once (default: one per hardware thread; one at a time "
                  "with --trace or --report); the output is the same whatever the number")
      ->check(check_jobs());
  auto summary = std::make_shared<bool>(false);
  cmd->add_flag("--summary", *summary,
                "Print one line per bench and what bound it (no shapes, checks or phases; --json "
                "and --report keep everything)");
  auto params = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--param", *params,
                  "A bench's shape, NAME=VALUE, repeatable: run matmul --param M=4096 --param "
                  "N=2048 (each bench's parameters: docs/benches.md; a bench ignores the "
                  "ones it does not take)")
      ->allow_extra_args(false);
  cmd->callback([&options, &registry, names, jobs, summary, params] {
    run(options, registry, *names, *jobs, *summary, *params);
  });
}

}  // namespace kernbench::apps
