// `kernbench run [BENCH...]`: runs built-in benches (all when none is named) on the machine the
// global options name and prints, per bench, simulated time, rate and the numeric check. Only
// simulated figures reach stdout, so the output is the same on every run and host.
#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "benches/default_benches.h"
#include "command.h"

#include "kernbench/base/error.h"
#include "kernbench/topo/peak_figures.h"

namespace kernbench::apps {
namespace {

std::string rate_text(const benches::BenchResult& r) {
  if (r.kind == benches::WorkKind::flops) return topo::flops_to_string(r.rate());
  return base::to_string(base::Bandwidth::bytes_per_second(static_cast<std::uint64_t>(r.rate())));
}

std::string check_text(const benches::BenchResult& r) {
  return fmt::format("{} (max error {:.3g})", r.pass ? "PASS" : "FAIL", r.max_error);
}

void print_roofline(const benches::BenchResult& r) {
  const benches::Roofline& roof = *r.roofline;
  fmt::print("  roofline: {} = min(matrix peak {}, memory {}); {}-bound; achieved {:.1f}%\n",
             topo::flops_to_string(roof.bound_flops()),
             topo::flops_to_string(roof.matrix_peak_flops),
             topo::flops_to_string(roof.memory_bound_flops), roof.bound_name(),
             100.0 * r.rate() / roof.bound_flops());
}

void print_results(const std::vector<benches::BenchResult>& results) {
  std::size_t name_w = 5, shape_w = 5;
  for (const auto& r : results) {
    name_w = std::max(name_w, r.name.size());
    shape_w = std::max(shape_w, r.shape.size());
  }
  fmt::print("{:<{}}  {:<{}}  {:>4}  {:>11}  {:>15}  {}\n", "bench", name_w, "shape", shape_w,
             "PEs", "time", "rate", "check");
  for (const auto& r : results) {
    fmt::print("{:<{}}  {:<{}}  {:>4}  {:>11}  {:>15}  {}\n", r.name, name_w, r.shape, shape_w,
               r.pes, base::to_string(r.time), rate_text(r), check_text(r));
    if (r.roofline) print_roofline(r);
  }
  fmt::print(
      "legend: time = simulated, first program start to last program end on the PEs; rate = "
      "FLOP/s for the matmuls and attention, bytes moved / time for the others; check = every "
      "output "
      "element vs a plain C++ reference within its dtype's tolerance\n");
}

}  // namespace

void add_run_command(CLI::App& app, const GlobalOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "run", "Run built-in benches (all when none is named): simulated time, rate, check");
  cmd->fallthrough();
  auto names = std::make_shared<std::vector<std::string>>();
  cmd->add_option("bench", *names, "Benches to run (kernbench list shows them; default: all)");
  cmd->callback([&options, names] {
    benches::BenchRegistry registry;
    benches::register_default_benches(registry);
    std::vector<std::string> chosen = names->empty() ? registry.names() : *names;
    std::vector<const benches::Bench*> to_run;
    for (const std::string& name : chosen) to_run.push_back(&registry.find(name));
    const topo::TopologySpec spec = load_machine(options);
    std::vector<benches::BenchResult> results;
    for (const benches::Bench* bench : to_run) results.push_back(bench->run(spec));
    print_results(results);
    const auto failed = std::count_if(results.begin(), results.end(),
                                      [](const benches::BenchResult& r) { return !r.pass; });
    if (failed > 0)
      throw base::Error(
          fmt::format("{} of {} benches failed their numeric check", failed, results.size()));
  });
}

}  // namespace kernbench::apps
