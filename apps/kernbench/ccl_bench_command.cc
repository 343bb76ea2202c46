// `kernbench ccl bench`: a collective swept over message sizes, printed as nccl-tests prints it,
// one table per algorithm; --json and --report (the busbw-versus-size curve per algorithm) as
// `run`.
//   kernbench ccl bench --op all_reduce --algo ring_tcm_8,hbm_8 -b 8 -e 256M -f 2 [--check]
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "algorithm_commands.h"
#include "run_outputs.h"
#include "usage_error.h"

#include "kernbench/base/enum_names.h"
#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/collective_bench.h"
#include "kernbench/report/nccl_table.h"
#include "kernbench/topo/address_limits.h"

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

void run(const GlobalOptions& options, const ccl::AlgorithmRegistry& registry,
         const BenchOptions& b) {
  RunOutputs outputs(options);
  // The names were checked as the command line was read (add_ccl_bench_command).
  const auto op = ccl::parse_collective_op(b.op).value();
  const auto dtype = base::parse_dtype(b.dtype).value();
  const auto redop = base::parse_combine_op(b.redop).value();
  const std::vector<std::string> algos = split_names(b.algos);
  const ccl::CclConfig config = load_ccl(options, registry);
  const topo::TopologySpec spec = load_machine(options);
  const std::uint64_t first = parse_bytes(b.min_bytes, "-b"), last = parse_bytes(b.max_bytes, "-e");
  if (first == 0) throw base::ConfigError({"-b 0: the smallest size must be at least 1 byte"});
  if (last < first)
    throw base::ConfigError({fmt::format("-e {}: the largest size is below the smallest (-b {})",
                                         b.max_bytes, b.min_bytes)});
  std::vector<std::uint64_t> sizes{first};
  const auto factor = static_cast<std::uint64_t>(b.factor);
  while (sizes.back() <= last / factor) sizes.push_back(sizes.back() * factor);
  std::vector<ccl::InstallPlan> plans;  // every entry checked before any runs
  for (const std::string& algo : algos) {
    const ccl::AlgorithmEntry& entry = config.find(algo);
    plans.push_back(registry.plan(entry, spec));
    ccl::check_receive_buffers(entry, plans.back(), spec);
    if (b.root < 0 || b.root >= plans.back().world_size())
      throw base::ConfigError({fmt::format("--root {}: expected a rank of {} (0 .. {})", b.root,
                                           algo, plans.back().world_size() - 1)});
    // The largest size's simulation, refused before any runs when it passes the budget.
    ccl::check_bench_host_memory(spec, algo, plans.back().world_size(), sizes.back(), b.check,
                                 host_memory_budget(options));
  }
  report::RunRecord record = new_run_record(options, spec);
  ccl::SweepTrace trace{outputs.sinks(), base::SimTime::zero()};
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const ccl::InstallPlan& plan = plans[i];
    const auto rows = ccl::run_collective_bench(spec, plan, op, dtype, redop, sizes, b.check,
                                                b.root, trace.sinks.empty() ? nullptr : &trace);
    record.collective_sweeps.push_back(to_record(algos[i], b.op, plan.world_size(), rows));
    if (i > 0) std::cout << "\n";
    report::write_nccl_table(
        std::cout,
        fmt::format("{} with {} ({} ranks, buffer {}, chunk {}){}{}", b.op, algos[i],
                    plan.world_size(), mem::name(plan.buffer), plan.chunk_size,
                    op == ccl::CollectiveOp::broadcast || op == ccl::CollectiveOp::reduce
                        ? fmt::format(", root {}", b.root)
                        : "",
                    b.check ? "" : ", timing only"),
        record.collective_sweeps.back().rows);
  }
  outputs.finish(record, &spec);
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
  cmd->callback([&options, &algorithms, b] { run(options, algorithms, *b); });
}

}  // namespace kernbench::apps
