// `kernbench ccl bench`: a collective swept over message sizes, printed as nccl-tests prints it.
//   kernbench ccl bench --op all_reduce --algo ring_tcm_8 -b 8 -e 256M -f 2 [--dtype f32] [--check]
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "command.h"

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/collective_bench.h"
#include "kernbench/report/nccl_table.h"
#include "kernbench/topo/quantity_parser.h"

namespace kernbench::apps {
namespace {

struct BenchOptions {
  std::string op = "all_reduce";
  std::string algo = "ring_tcm_8";
  std::string min_bytes = "8";
  std::string max_bytes = "64M";
  std::uint64_t factor = 2;
  std::string dtype = "f32";
  std::string redop = "sum";
  int root = 0;
  bool check = false;
};

// nccl-tests sizes: a number with an optional binary K, M or G suffix.
std::uint64_t parse_bytes(const std::string& text, const char* option) {
  std::string t = text;
  if (!t.empty() && (t.back() == 'K' || t.back() == 'M' || t.back() == 'G')) t += "iB";
  try {
    return topo::parse_size(t, 1).count();
  } catch (const base::ConfigError& e) {
    throw base::ConfigError({fmt::format("{} {}: {}", option, text, e.problems().front())});
  }
}

void run(const GlobalOptions& options, const BenchOptions& b) {
  const auto op = ccl::parse_collective_op(b.op);
  if (!op)
    throw base::NotFoundError(
        fmt::format("--op {}: expected all_reduce, reduce_scatter, all_gather, broadcast, reduce "
                    "or all_to_all",
                    b.op));
  const auto dtype = base::parse_dtype(b.dtype);
  if (!dtype) throw base::NotFoundError(fmt::format("--dtype {}: unknown dtype", b.dtype));
  const auto redop = base::parse_combine_op(b.redop);
  if (!redop)
    throw base::NotFoundError(fmt::format("--redop {}: expected sum, prod, max or min", b.redop));
  if (b.factor < 2) throw base::ConfigError({"-f: the size factor must be at least 2"});
  const ccl::AlgorithmRegistry registry = ccl::default_algorithm_registry();
  const std::vector<std::string> kinds = registry.kinds();
  const ccl::CclConfig config = options.ccl_file.empty()
                                    ? ccl::default_ccl_config(kinds)
                                    : ccl::load_ccl_file(options.ccl_file, kinds);
  const ccl::AlgorithmEntry& entry = config.find(b.algo);
  const topo::TopologySpec spec = load_machine(options);
  const ccl::InstallPlan plan = registry.plan(entry, spec);
  if (b.root < 0 || b.root >= plan.world_size())
    throw base::ConfigError({fmt::format("--root {}: expected a rank of {} (0 .. {})", b.root,
                                         b.algo, plan.world_size() - 1)});
  std::vector<std::uint64_t> sizes;
  for (std::uint64_t s = parse_bytes(b.min_bytes, "-b"), e = parse_bytes(b.max_bytes, "-e"); s <= e;
       s *= b.factor)
    sizes.push_back(s);
  const auto rows =
      ccl::run_collective_bench(spec, plan, *op, *dtype, *redop, sizes, b.check, b.root);
  report::write_nccl_table(
      std::cout,
      fmt::format("{} with {} ({} ranks, buffer {}, chunk {}){}{}", b.op, b.algo, plan.world_size(),
                  mem::name(plan.buffer), plan.chunk_size,
                  *op == ccl::CollectiveOp::broadcast || *op == ccl::CollectiveOp::reduce
                      ? fmt::format(", root {}", b.root)
                      : "",
                  b.check ? "" : ", timing only"),
      rows);
}

}  // namespace

void add_ccl_bench_command(CLI::App& ccl, const GlobalOptions& options) {
  auto b = std::make_shared<BenchOptions>();
  CLI::App* cmd = ccl.add_subcommand("bench", "Sweep a collective over sizes, nccl-tests style");
  cmd->fallthrough();
  cmd->add_option("--op", b->op,
                  "all_reduce | reduce_scatter | all_gather | broadcast | reduce | all_to_all")
      ->capture_default_str();
  cmd->add_option("--algo", b->algo, "A ccl.yaml entry (any kind)")->capture_default_str();
  cmd->add_option("--root", b->root, "The root rank of broadcast and reduce")
      ->capture_default_str();
  cmd->add_option("-b,--minbytes", b->min_bytes, "Smallest size per rank (K, M, G are binary)")
      ->capture_default_str();
  cmd->add_option("-e,--maxbytes", b->max_bytes, "Largest size per rank")->capture_default_str();
  cmd->add_option("-f,--stepfactor", b->factor, "Size multiplier between rows")
      ->capture_default_str();
  cmd->add_option("--dtype", b->dtype, "Element type (f16, bf16, f32, i32 ...)")
      ->capture_default_str();
  cmd->add_option("--redop", b->redop, "sum | prod | max | min")->capture_default_str();
  cmd->add_flag("--check", b->check, "Move real data and count wrong elements (slower)");
  cmd->callback([&options, b] { run(options, *b); });
}

}  // namespace kernbench::apps
