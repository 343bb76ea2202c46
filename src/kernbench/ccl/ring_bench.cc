#include "kernbench/ccl/ring_bench.h"

#include <array>
#include <cstring>

#include "kernbench/base/error.h"
#include "kernbench/sim/engine.h"

namespace kernbench::ccl {
namespace {

constexpr std::array<std::pair<std::string_view, RingKind>, 3> kKinds{{
    {"all_reduce", RingKind::all_reduce},
    {"reduce_scatter", RingKind::reduce_scatter},
    {"all_gather", RingKind::all_gather},
}};

// The bytes of the small integer `v` (1 or 2: exact sums and products in every dtype) as `dtype`.
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

int value_of(int rank, std::uint64_t i) {
  return 1 + static_cast<int>((static_cast<std::uint64_t>(rank) + i) % 2);
}

std::vector<std::byte> initial(base::DType dtype, int rank, std::uint64_t count) {
  const auto esize = base::size_bytes(dtype);
  std::vector<std::byte> v(count * esize);
  for (std::uint64_t i = 0; i < count; ++i) encode(dtype, value_of(rank, i), v.data() + i * esize);
  return v;
}

// Elements of rank `r`'s result that differ from the host reference: the reduction over ranks in
// rank order (all-reduce; reduce-scatter on the rank's own segment), or each segment's owner's
// values (all-gather).
std::uint64_t wrong_elements(RingKind kind, base::DType dtype, base::CombineOp op, int world, int r,
                             std::uint64_t count, const std::vector<std::byte>& got) {
  const auto esize = base::size_bytes(dtype);
  std::vector<std::byte> expect = initial(dtype, 0, count);
  if (kind != RingKind::all_gather)
    for (int q = 1; q < world; ++q) base::combine_into(dtype, op, expect, initial(dtype, q, count));
  std::uint64_t wrong = 0;
  for (int segment = 0; segment < world; ++segment) {
    const auto p = static_cast<std::uint64_t>(world);
    const std::uint64_t begin = count * static_cast<std::uint64_t>(segment) / p;
    const std::uint64_t end = count * static_cast<std::uint64_t>(segment + 1) / p;
    if (kind == RingKind::reduce_scatter && segment != r) continue;  // not this rank's result
    for (std::uint64_t i = begin; i < end; ++i) {
      if (kind == RingKind::all_gather)
        encode(dtype, value_of(segment, i), expect.data() + i * esize);
      if (std::memcmp(expect.data() + i * esize, got.data() + i * esize, esize) != 0) ++wrong;
    }
  }
  return wrong;
}

}  // namespace

std::string_view name(RingKind kind) {
  for (const auto& [text, k] : kKinds)
    if (k == kind) return text;
  return "?";
}

std::optional<RingKind> parse_ring_kind(std::string_view text) {
  for (const auto& [t, k] : kKinds)
    if (t == text) return k;
  return std::nullopt;
}

double bus_factor(RingKind kind, int world) {
  const double p = world;
  return kind == RingKind::all_reduce ? 2 * (p - 1) / p : (p - 1) / p;
}

std::vector<BenchRow> run_ring_bench(const topo::TopologySpec& spec, const InstallPlan& plan,
                                     RingKind kind, base::DType dtype, base::CombineOp op,
                                     std::span<const std::uint64_t> sizes, bool check) {
  std::vector<BenchRow> rows;
  const auto esize = base::size_bytes(dtype);
  for (const std::uint64_t size : sizes) {
    const std::uint64_t count = size / esize;
    sim::Engine engine;
    hw::System system(engine, spec);
    std::vector<mem::PhysAddr> data, scratch;
    for (int r = 0; r < plan.world_size(); ++r) {
      const topo::PeCoord pe = plan.ranks[static_cast<std::size_t>(r)];
      data.push_back(system.allocator().allocate_hbm(
          pe, base::Bytes(std::max<std::uint64_t>(count * esize, 1))));
      scratch.push_back(RingCollective::allocate_scratch(system, plan, pe));
      if (check) system.bytes().write(data.back(), initial(dtype, r, count));
    }
    RingCollective ring(system, plan, data, scratch, {kind, dtype, op, count, !check});
    ring.start([](void*) {}, nullptr);
    engine.run();
    BenchRow row{count * esize, count, dtype, op, ring.finished_at() - ring.started_at(), 0, 0, {}};
    if (row.time.ps() > 0) row.algbw_gbps = static_cast<double>(row.bytes) / row.time.ns();
    row.busbw_gbps = row.algbw_gbps * bus_factor(kind, plan.world_size());
    if (check) {
      std::uint64_t wrong = 0;
      for (int r = 0; r < plan.world_size(); ++r) {
        std::vector<std::byte> got(count * esize);
        system.bytes().read(data[static_cast<std::size_t>(r)], got);
        wrong += wrong_elements(kind, dtype, op, plan.world_size(), r, count, got);
      }
      row.wrong = wrong;
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace kernbench::ccl
