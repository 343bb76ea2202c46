// `kernbench run [BENCH...]`: runs benches (the whole default suite when none is named) one after
// another, each on a fresh machine the global options describe, and prints the text report: per
// bench and phase the simulated time, bytes, bandwidth, FLOP/s, fraction of peak, what bound it and
// the check. Only simulated figures reach stdout, so it is the same on every run and host; wall
// clock goes to stderr.
#include <algorithm>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "bench_runner.h"
#include "command.h"
#include "run_outputs.h"

#include "kernbench/base/error.h"
#include "kernbench/report/text_report.h"

namespace kernbench::apps {
namespace {

void run(const GlobalOptions& options, const benches::BenchRegistry& registry,
         const std::vector<std::string>& names) {
  std::vector<const benches::Bench*> chosen;
  for (const std::string& name : names.empty() ? registry.names() : names)
    chosen.push_back(&registry.find(name));
  const topo::TopologySpec spec = load_machine(options);
  RunOutputs outputs(options);
  report::RunRecord record = new_run_record(options, spec);
  benches::BenchContext context{
      spec, options.timing_only ? benches::DataMode::timing_only : benches::DataMode::checked,
      outputs.sinks(), base::SimTime::zero()};
  double wall = 0;
  for (const benches::Bench* bench : chosen) {
    BenchRun done = run_bench(*bench, context);
    context.start = std::max(context.start, end_of(done.record));
    record.benches.push_back(std::move(done.record));
    wall += done.wall_seconds;
    if (!options.quiet)
      fmt::print(stderr, "kernbench: {} took {} wall\n", bench->name, wall_text(done.wall_seconds));
  }
  if (!options.quiet)
    fmt::print(stderr, "kernbench: {} benches in {} wall\n", chosen.size(), wall_text(wall));
  report::write_text_report(std::cout, record);
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
  cmd->add_option("bench", *names, "Benches to run (kernbench list benches; default: all)");
  cmd->callback([&options, &registry, names] { run(options, registry, *names); });
}

}  // namespace kernbench::apps
