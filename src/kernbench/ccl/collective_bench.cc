#include "kernbench/ccl/collective_bench.h"

#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "kernbench/ccl/collective.h"
#include "kernbench/hw/system.h"
#include "kernbench/sim/engine.h"
#include "kernbench/sim/shifted_trace_sink.h"
#include "kernbench/topo/host_memory.h"

namespace kernbench::ccl {
namespace {

// The bytes of the small integer `v` (exact in every dtype) as `dtype`.
void encode(base::DType dtype, int v, std::byte* out) {
  const auto put = [out](auto x) { std::memcpy(out, &x, sizeof x); };
  switch (dtype) {
    case base::DType::f16: return put(base::f32_to_f16_bits(static_cast<float>(v)));
    case base::DType::bf16: return put(base::f32_to_bf16_bits(static_cast<float>(v)));
    case base::DType::f32: return put(static_cast<float>(v));
    case base::DType::f64: return put(static_cast<double>(v));
    case base::DType::i8: return put(static_cast<std::int8_t>(v));
    case base::DType::i16: return put(static_cast<std::int16_t>(v));
    case base::DType::i32: return put(static_cast<std::int32_t>(v));
    case base::DType::i64: return put(static_cast<std::int64_t>(v));
    case base::DType::u8: return put(static_cast<std::uint8_t>(v));
    case base::DType::u16: return put(static_cast<std::uint16_t>(v));
    case base::DType::u32: return put(static_cast<std::uint32_t>(v));
    case base::DType::boolean: return put(static_cast<std::uint8_t>(v != 0));
  }
}

// Reductions see 1s and 2s (sums and products stay exact, and equal in any order); copies see
// values 1 .. 97 that differ from rank to rank, so a misplaced segment shows.
int value_of(CollectiveOp op, int rank, std::uint64_t i) {
  if (reduces(op)) return 1 + static_cast<int>((static_cast<std::uint64_t>(rank) + i) % 2);
  return 1 + static_cast<int>((static_cast<std::uint64_t>(rank) * 37 + i) % 97);
}

std::vector<std::byte> initial(CollectiveOp op, base::DType dtype, int rank, std::uint64_t count) {
  const auto esize = base::size_bytes(dtype);
  std::vector<std::byte> v(count * esize);
  for (std::uint64_t i = 0; i < count; ++i)
    encode(dtype, value_of(op, rank, i), v.data() + i * esize);
  return v;
}

// The elements of rank r's result that differ from the host reference. `reduced` is the
// reduction over ranks in rank order (for the ops that reduce).
std::uint64_t wrong_elements(const CollectiveArgs& a, int world, int r,
                             const std::vector<std::byte>& reduced,
                             const std::vector<std::byte>& got) {
  const auto esize = base::size_bytes(a.dtype);
  const auto p = static_cast<std::uint64_t>(world);
  const auto begin = [&](int s) { return a.count * static_cast<std::uint64_t>(s) / p; };
  const auto differs = [&](const std::byte* expect, std::uint64_t i) {
    return std::memcmp(expect, got.data() + i * esize, esize) != 0;
  };
  std::uint64_t wrong = 0;
  if (reduces(a.op)) {
    if (a.op == CollectiveOp::reduce && r != a.root) return 0;  // partial results: not checked
    const bool own = a.op == CollectiveOp::reduce_scatter;
    for (std::uint64_t i = own ? begin(r) : 0; i < (own ? begin(r + 1) : a.count); ++i)
      wrong += differs(reduced.data() + i * esize, i) ? 1 : 0;
    return wrong;
  }
  std::vector<std::byte> expect(esize);
  for (int s = 0; s < world; ++s) {
    // all_gather: segment s is rank s's; broadcast: the root's; all_to_all: rank s's segment r.
    const int owner = a.op == CollectiveOp::broadcast ? a.root : s;
    for (std::uint64_t i = begin(s); i < begin(s + 1); ++i) {
      const std::uint64_t from = a.op == CollectiveOp::all_to_all ? begin(r) + (i - begin(s)) : i;
      encode(a.dtype, value_of(a.op, owner, from), expect.data());
      wrong += differs(expect.data(), i) ? 1 : 0;
    }
  }
  return wrong;
}

}  // namespace

std::vector<BenchRow> run_collective_bench(const topo::TopologySpec& spec, const InstallPlan& plan,
                                           CollectiveOp op, base::DType dtype,
                                           base::CombineOp redop,
                                           std::span<const std::uint64_t> sizes, bool check,
                                           int root, SweepTrace* trace) {
  std::vector<BenchRow> rows;
  const auto esize = base::size_bytes(dtype);
  const int p = plan.world_size();
  for (const std::uint64_t size : sizes) {
    std::uint64_t count = size / esize;
    if (op == CollectiveOp::all_to_all) count -= count % static_cast<std::uint64_t>(p);
    const CollectiveArgs args{op, dtype, redop, count, root, !check};
    sim::Engine engine(sim::EngineConfig{hw::run_limits(spec)});
    sim::ShiftedTraceSink shifted(trace ? trace->at : base::SimTime::zero(),
                                  trace ? trace->sinks : std::vector<sim::TraceSink*>{});
    if (trace) engine.set_trace_sink(&shifted);
    hw::System system(engine, spec);
    std::vector<mem::PhysAddr> data, scratch, input;
    const base::Bytes bytes(std::max<std::uint64_t>(count * esize, 1));
    for (int r = 0; r < p; ++r) {
      const topo::PeCoord pe = plan.ranks[static_cast<std::size_t>(r)];
      data.push_back(system.allocator().allocate_hbm(pe, bytes));
      scratch.push_back(Collective::allocate_scratch(system, plan, pe));
      if (op == CollectiveOp::all_to_all)
        input.push_back(system.allocator().allocate_hbm(pe, bytes));
      if (check)
        system.bytes().write(op == CollectiveOp::all_to_all ? input.back() : data.back(),
                             initial(op, dtype, r, count));
    }
    Collective collective(system, plan, data, scratch, args, input);
    collective.start([](void*) {}, nullptr);
    engine.run();
    if (trace) {
      system.flush_trace();
      shifted.span(shifted.declare(sim::TrackDecl{"ccl/" + plan.entry}),
                   fmt::format("{} {} B", name(op), count * esize), collective.started_at(),
                   collective.finished_at());
      trace->at += engine.now();
    }
    BenchRow row{count * esize,
                 count,
                 dtype,
                 redop,
                 collective.finished_at() - collective.started_at(),
                 0,
                 0,
                 {}};
    if (row.time.ps() > 0) row.algbw_gbps = static_cast<double>(row.bytes) / row.time.ns();
    row.busbw_gbps = row.algbw_gbps * bus_factor(op, p);
    if (check) {
      std::vector<std::byte> reduced;
      if (reduces(op)) {
        reduced = initial(op, dtype, 0, count);
        for (int q = 1; q < p; ++q)
          base::combine_into(dtype, redop, reduced, initial(op, dtype, q, count));
      }
      std::uint64_t wrong = 0;
      for (int r = 0; r < p; ++r) {
        std::vector<std::byte> got(count * esize);
        system.bytes().read(data[static_cast<std::size_t>(r)], got);
        wrong += wrong_elements(args, p, r, reduced, got);
      }
      row.wrong = wrong;
    }
    rows.push_back(row);
  }
  return rows;
}

void check_bench_host_memory(const topo::TopologySpec& spec, std::string_view entry, int world_size,
                             std::uint64_t bytes, bool check, std::uint64_t budget_bytes) {
  const std::uint64_t machine = topo::machine_host_bytes(spec);
  if (!check) {
    topo::check_host_memory(fmt::format("a machine of {} PEs", topo::pe_count(spec)), machine,
                            budget_bytes);
    return;
  }
  const auto ranks = static_cast<std::uint64_t>(world_size);
  const std::uint64_t per_rank = bytes + bytes / 4;
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t data =
      per_rank > (limit - machine) / ranks ? limit - machine : per_rank * ranks;
  topo::check_host_memory(
      fmt::format("--check of {} over {} ranks of {}", entry, world_size, base::Bytes(bytes)),
      machine + data, budget_bytes);
}

}  // namespace kernbench::ccl
