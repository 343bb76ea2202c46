// `kernbench ccl bench`: a collective swept over message sizes, printed as nccl-tests prints it,
// one table per algorithm (and per point of --sweep's ccl.yaml values); --json and --report (the
// busbw-versus-size curve per table) as `run`. Each (table, size) is its own simulation: -j runs
// several at once, and under `mpirun -np N` they spread over the processes, rank 0 printing what
// one process would.
//   kernbench ccl bench --op all_reduce --algo ring_tcm_8,hbm_8 -b 8 -e 256M -f 2 [--check]
//   kernbench ccl bench --algo hbm_8 --sweep ccl.hbm_8.chunk_size=4K,16K,64K
#include <iostream>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "algorithm_commands.h"
#include "mpi_codec.h"
#include "mpi_points.h"
#include "mpi_world.h"
#include "run_outputs.h"
#include "sweep_grid.h"
#include "usage_error.h"

#include "kernbench/base/enum_names.h"
#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/collective_bench.h"
#include "kernbench/report/nccl_table.h"
#include "kernbench/topo/address_limits.h"
#include "kernbench/topo/host_memory.h"

namespace kernbench::apps {
namespace {

// A rank runs on a PE, and no machine has more PEs than physical addresses can name.
constexpr long long kMaxRank =
    topo::kMaxSips * topo::kMaxCubesPerSip * topo::kMaxMemoriesPerKind - 1;
constexpr long long kMaxFactor = 1024;

struct BenchOptions {
  std::string op = "all_reduce";
  std::vector<std::string> algos{"ring_tcm_8"};  // as given: each may be "a,b" (split in run)
  std::string min_bytes = "8";
  std::string max_bytes = "64M";
  std::int64_t factor = 2;
  std::string dtype = "f32";
  std::string redop = "sum";
  int root = 0;
  bool check = false;
  int jobs = 1;
  std::vector<std::string> sweeps;  // --sweep ccl.ENTRY.KEY=v1,v2 texts: a grid of ccl.yaml values
};

// --algo "a,b": a CLI11 check, as CLI11's own delimiter would drop an empty name without a word.
std::string check_entry_names(const std::string& text) {
  if (text.empty() || text.front() == ',' || text.back() == ',' ||
      text.find(",,") != std::string::npos)
    return fmt::format("expected ccl.yaml entry names separated by commas, found \"{}\"", text);
  return "";
}

std::vector<std::string> split_names(const std::vector<std::string>& given) {
  std::vector<std::string> names;
  for (const std::string& text : given)
    for (std::size_t start = 0;;) {
      const auto comma = text.find(',', start);
      names.push_back(text.substr(start, comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  return names;
}

report::CollectiveSweep to_record(std::string_view algo, std::string_view op, int world,
                                  const std::vector<ccl::BenchRow>& rows) {
  report::CollectiveSweep sweep{std::string(algo), std::string(op), world, {}};
  for (const ccl::BenchRow& r : rows)
    sweep.rows.push_back({r.bytes, r.count, std::string(base::name(r.dtype)),
                          std::string(base::name(r.op)), r.time, r.algbw_gbps, r.busbw_gbps,
                          r.wrong});
  return sweep;
}

// What a bench needs before any size runs, every input checked.
struct BenchPlan {
  ccl::CollectiveOp op{};
  base::DType dtype{};
  base::CombineOp redop{};
  std::vector<std::string> algos;
  topo::TopologySpec spec;
  std::vector<std::uint64_t> sizes;
  // Per sweep point (one without --sweep), per entry: the plan and its table's name, the entry's
  // name with the point's values ("hbm_8 (ccl.hbm_8.chunk_size=4K)").
  std::vector<ccl::InstallPlan> plans;
  std::vector<std::string> names;
};

// The points of --sweep: each axis a ccl.yaml key (the machine's keys are kernbench sweep's).
std::vector<std::vector<std::string>> sweep_points(const std::vector<std::string>& texts) {
  std::vector<SweepAxis> axes;
  for (const std::string& text : texts) {
    axes.push_back(parse_sweep_axis(text, axes));
    if (!ccl::is_ccl_setting(axes.back().key))
      throw base::ConfigError({fmt::format(
          "--sweep {}: ccl bench sweeps ccl.yaml keys (ccl.ENTRY.KEY, ccl.defaults.KEY); a "
          "machine's key is kernbench sweep's",
          text)});
  }
  std::vector<std::vector<std::string>> points;
  for (const SweepPointSpec& p : sweep_grid(axes)) points.push_back(p.overrides(axes));
  return points;
}

BenchPlan plan_bench(const GlobalOptions& options, const ccl::AlgorithmRegistry& registry,
                     const BenchOptions& b) {
  BenchPlan p;
  // The names were checked as the command line was read (add_ccl_bench_command).
  p.op = ccl::parse_collective_op(b.op).value();
  p.dtype = base::parse_dtype(b.dtype).value();
  p.redop = base::parse_combine_op(b.redop).value();
  p.algos = split_names(b.algos);
  const std::vector<std::vector<std::string>> points = sweep_points(b.sweeps);
  std::vector<ccl::CclConfig> configs;  // per point, every value checked before any runs
  for (const std::vector<std::string>& point : points)
    configs.push_back(load_swept_ccl(options, point, registry));
  for (const std::string& note : configs.front().notes) fmt::print(stderr, "kernbench: {}\n", note);
  p.spec = load_machine(options);
  const std::uint64_t first = parse_bytes(b.min_bytes, "-b"), last = parse_bytes(b.max_bytes, "-e");
  if (first == 0) throw base::ConfigError({"-b 0: the smallest size must be at least 1 byte"});
  if (last < first)
    throw base::ConfigError({fmt::format("-e {}: the largest size is below the smallest (-b {})",
                                         b.max_bytes, b.min_bytes)});
  p.sizes = {first};
  const auto factor = static_cast<std::uint64_t>(b.factor);
  while (p.sizes.back() <= last / factor) p.sizes.push_back(p.sizes.back() * factor);
  for (std::size_t i = 0; i < points.size(); ++i)
    for (const std::string& algo : p.algos) {  // every entry checked before any runs
      const ccl::AlgorithmEntry& entry = configs[i].find(algo);
      p.plans.push_back(registry.plan(entry, p.spec));
      p.names.push_back(
          points[i].empty() ? algo : fmt::format("{} ({})", algo, fmt::join(points[i], ", ")));
      ccl::check_receive_buffers(entry, p.plans.back(), p.spec);
      if (b.root < 0 || b.root >= p.plans.back().world_size())
        throw base::ConfigError({fmt::format("--root {}: expected a rank of {} (0 .. {})", b.root,
                                             algo, p.plans.back().world_size() - 1)});
      // The largest size's simulation, refused before any runs when it passes the budget.
      ccl::check_bench_host_memory(p.spec, algo, p.plans.back().world_size(), p.sizes.back(),
                                   b.check, host_memory_budget(options));
    }
  return p;
}

// Every entry's rows, each (entry, size) its own simulation: spread over the MPI processes (by
// the host-cost estimate: the machine and the ranks' bytes) and their -j threads. On rank 0 the
// rows per entry in size order; elsewhere none.
std::vector<std::vector<ccl::BenchRow>> run_spread(const MpiWorld& world, const BenchPlan& p,
                                                   const BenchOptions& b) {
  const std::size_t per_entry = p.sizes.size();
  std::vector<std::uint64_t> costs;
  for (const ccl::InstallPlan& plan : p.plans)
    for (std::uint64_t bytes : p.sizes)
      costs.push_back(topo::machine_host_bytes(p.spec) +
                      static_cast<std::uint64_t>(plan.world_size()) * bytes);
  const std::vector<std::string> results =
      run_points_spread(world, assign_points(costs, world.size()), b.jobs, [&](std::size_t i) {
        const std::span<const std::uint64_t> size(&p.sizes[i % per_entry], 1);
        return encode_row(ccl::run_collective_bench(p.spec, p.plans[i / per_entry], p.op, p.dtype,
                                                    p.redop, size, b.check, b.root)
                              .front());
      });
  std::vector<std::vector<ccl::BenchRow>> rows(world.root() ? p.plans.size() : 0);
  for (std::size_t i = 0; i < results.size(); ++i)
    rows[i / per_entry].push_back(decode_row(results[i]));
  return rows;
}

void run(const GlobalOptions& options, const ccl::AlgorithmRegistry& registry,
         const BenchOptions& b) {
  const MpiWorld world;
  std::optional<RunOutputs> outputs;  // rank 0 writes every output
  BenchPlan p;
  if (!world.agree([&] {
        if (world.root()) outputs.emplace(options);
        p = plan_bench(options, registry, b);
      }))
    return;
  // A trace or the HTML timeline follows the sizes one after another on one timeline: rank 0
  // runs them all, in order.
  const bool traced = !options.trace_file.empty() || !options.report_file.empty();
  if (traced && !world.root()) return;
  std::vector<std::vector<ccl::BenchRow>> rows;
  ccl::SweepTrace trace{traced ? outputs->sinks() : std::vector<sim::TraceSink*>{},
                        base::SimTime::zero()};
  if (traced) {
    for (const ccl::InstallPlan& plan : p.plans)
      rows.push_back(ccl::run_collective_bench(p.spec, plan, p.op, p.dtype, p.redop, p.sizes,
                                               b.check, b.root,
                                               trace.sinks.empty() ? nullptr : &trace));
  } else {
    rows = run_spread(world, p, b);
    if (!world.root()) return;
  }
  report::RunRecord record = new_run_record(options, p.spec);
  for (std::size_t i = 0; i < p.plans.size(); ++i) {
    const ccl::InstallPlan& plan = p.plans[i];
    record.collective_sweeps.push_back(to_record(p.names[i], b.op, plan.world_size(), rows[i]));
    if (i > 0) std::cout << "\n";
    report::write_nccl_table(
        std::cout,
        fmt::format("{} with {} ({} ranks, buffer {}, chunk {}){}{}", b.op, p.names[i],
                    plan.world_size(), mem::name(plan.buffer), plan.chunk_size,
                    p.op == ccl::CollectiveOp::broadcast || p.op == ccl::CollectiveOp::reduce
                        ? fmt::format(", root {}", b.root)
                        : "",
                    b.check ? "" : ", timing only"),
        record.collective_sweeps.back().rows);
  }
  std::cout.flush();  // before --json, which may be /dev/stdout
  outputs->finish(record, &p.spec);
}

}  // namespace

void add_ccl_bench_command(CLI::App& ccl, const GlobalOptions& options,
                           const ccl::AlgorithmRegistry& algorithms) {
  const std::vector<std::string> kOps = base::names_of(ccl::kAllCollectiveOps);
  const std::vector<std::string> kDTypes = base::names_of(base::kAllDTypes);
  const std::vector<std::string> kRedops = base::names_of(base::kAllCombineOps);
  auto b = std::make_shared<BenchOptions>();
  CLI::App* cmd = ccl.add_subcommand("bench", "Sweep a collective over sizes, nccl-tests style");
  cmd->fallthrough();
  cmd->add_option("--op", b->op, "The collective: " + fmt::format("{}", fmt::join(kOps, ", ")))
      ->check(check_name("collective op", kOps))
      ->capture_default_str();
  cmd->add_option("--algo", b->algos,
                  "ccl.yaml entries (any kind), comma-separated or repeated: one table and one "
                  "busbw curve in --report each")
      ->check(check_entry_names)
      ->capture_default_str();
  cmd->add_option("--root", b->root, "The root rank of broadcast and reduce")
      ->check(check_integer("a rank", 0, kMaxRank))
      ->capture_default_str();
  cmd->add_option("-b,--minbytes", b->min_bytes, "Smallest size per rank (16K, 16 KiB or bytes)")
      ->capture_default_str();
  cmd->add_option("-e,--maxbytes", b->max_bytes, "Largest size per rank")->capture_default_str();
  cmd->add_option("-f,--stepfactor", b->factor, "Size multiplier between rows")
      ->check(check_integer("a size factor", 2, kMaxFactor))
      ->capture_default_str();
  cmd->add_option("--dtype", b->dtype,
                  "Element type: " + fmt::format("{}", fmt::join(kDTypes, ", ")))
      ->check(check_name("dtype", kDTypes,
                         [](const std::string& t) { return base::parse_dtype(t).has_value(); }))
      ->capture_default_str();
  cmd->add_option("--redop", b->redop, "Reduction: " + fmt::format("{}", fmt::join(kRedops, ", ")))
      ->check(check_name("reduction", kRedops))
      ->capture_default_str();
  cmd->add_flag("--check", b->check, "Move real data and count wrong elements (slower)");
  cmd->add_option("--sweep", b->sweeps,
                  "ccl.ENTRY.KEY=v1,v2,... or ccl.defaults.KEY=...: one table per value and "
                  "entry (repeatable: a grid)")
      ->allow_extra_args(false);
  cmd->add_option("-j,--jobs", b->jobs,
                  "Sizes simulated at once, each on its own thread (0: one per hardware thread; "
                  "with --trace or --report one at a time); the output is the same whatever the "
                  "number")
      ->check(check_jobs())
      ->capture_default_str();
  cmd->callback([&options, &algorithms, b] { run(options, algorithms, *b); });
}

}  // namespace kernbench::apps
