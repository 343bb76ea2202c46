#include "kernbench/tl/atomics.h"

#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kernbench/base/combine.h"
#include "kernbench/base/error.h"
#include "kernbench/hw/pe.h"
#include "kernbench/hw/system.h"
#include "kernbench/tl/creation.h"
#include "kernbench/tl/detail/memory_access.h"
#include "kernbench/tl/program.h"
#include "kernbench/tl/semantic_error.h"
#include "kernbench/tl/shape_ops.h"

namespace kernbench::tl {

namespace {

enum class Rmw : std::uint8_t { add, max, min, xchg, cas };

const char* name(Rmw op) {
  switch (op) {
    case Rmw::add: return "atomic_add";
    case Rmw::max: return "atomic_max";
    case Rmw::min: return "atomic_min";
    case Rmw::xchg: return "atomic_xchg";
    case Rmw::cas: return "atomic_cas";
  }
  return "atomic";
}

// The pointee dtypes Triton 3.3's type checks accept (TRITON.md §2.8): cas any 16-, 32- or
// 64-bit element; the others no bool, i8, i16 nor bf16, f16 only for add, and max / min of
// floats only f32 / f64.
bool accepts(Rmw op, DType d) {
  if (op == Rmw::cas) return base::size_bytes(d) >= 2 && d != DType::boolean;
  if (d == DType::boolean || d == DType::i8 || d == DType::i16 || d == DType::bf16) return false;
  if (d == DType::f16) return op == Rmw::add;
  return true;
}

std::string accepted_list(Rmw op) {
  std::string out;
  for (const DType d : base::kAllDTypes)
    if (accepts(op, d)) out += fmt::format("{}{}", out.empty() ? "" : ", ", d);
  return out;
}

void check_dtype(Rmw op, const Tile& ptr) {
  if (!accepts(op, ptr.dtype()))
    throw SemanticError(fmt::format("{}: pointee dtype {} is not supported (takes {}, as Triton)",
                                    name(op), ptr.dtype(), accepted_list(op)));
}

// The operand cast to the pointee dtype and broadcast to the pointer's shape.
Tile operand_for(const Tile& ptr, const Operand& v, Rmw op, const char* what) {
  const Tile t = v.is_weak() ? full(Shape{}, v.weak(), ptr.dtype()) : v.tile().to(ptr.dtype());
  check_broadcastable_to(t.shape(), ptr.shape(), name(op), what);
  return broadcast_to(t, ptr.shape());
}

// The new bytes of one element: `cur` (old) combined with `in` (and `cmp` for cas).
void apply(Rmw op, DType d, std::span<std::byte> cur, std::span<const std::byte> in,
           const std::byte* cmp) {
  switch (op) {
    case Rmw::add: return base::combine_into(d, base::CombineOp::sum, cur, in);
    case Rmw::max: return base::combine_into(d, base::CombineOp::max, cur, in);
    case Rmw::min: return base::combine_into(d, base::CombineOp::min, cur, in);
    case Rmw::xchg: std::memcpy(cur.data(), in.data(), cur.size()); return;
    case Rmw::cas:
      if (std::memcmp(cur.data(), cmp, cur.size()) == 0)
        std::memcpy(cur.data(), in.data(), cur.size());
      return;
  }
}

Tile rmw(Rmw op, const Tile& ptr, const Operand& val, const Tile* mask, const Operand* cmp) {
  Program& program = detail::program_of_pointer(ptr, name(op));
  check_dtype(op, ptr);
  const std::optional<Tile> m = detail::mask_for(mask, ptr, name(op));
  const Tile v = operand_for(ptr, val, op, "val");
  const std::optional<Tile> c =
      cmp != nullptr ? std::optional(operand_for(ptr, *cmp, op, "cmp")) : std::nullopt;
  std::vector<std::int64_t> first_lane;
  std::vector<DmaRun> runs = detail::plan_runs(program, ptr, m, name(op), first_lane);
  Tile old(ptr.shape(), ptr.dtype(), false, &program);
  if (program.context().timing_only()) {  // the same runs charged, no byte read or written
    if (!runs.empty()) v.wait_filled();
    if (!runs.empty() && c) c->wait_filled();
    old.drop_data();  // a lock taken on it fails with NeedsDataError
    old.arrives_with(
        program.charge_dma(DmaDirection::read_modify_write, name(op), std::move(runs)));
    return old;
  }
  const auto& table = program.context().pe().mmu().page_table();
  auto& bytes = program.context().pe().system().bytes();
  const std::size_t eb = base::size_bytes(ptr.dtype());
  const auto* active = m ? reinterpret_cast<const std::uint8_t*>(m->data()) : nullptr;
  std::vector<std::byte> cur(eb);
  for (std::int64_t i = 0; i < ptr.numel(); ++i) {  // row-major: repeated addresses accumulate
    if (active != nullptr && active[i] == 0) continue;
    const mem::VirtAddr va(ptr.address(i));
    const mem::Translation t = table.translate(va);  // mapped: plan_runs checked every lane
    if (t.contiguous.count() < eb)
      throw base::AddressError(fmt::format("{}: {}: lane {} at {} straddles two mappings", name(op),
                                           program.where(), i, va));
    const auto at = static_cast<std::size_t>(i) * eb;
    bytes.read(t.pa, cur);
    std::memcpy(old.mutable_data() + at, cur.data(), eb);
    apply(op, ptr.dtype(), cur, std::span(v.data() + at, eb), c ? c->data() + at : nullptr);
    bytes.write(t.pa, cur);
  }
  old.arrives_with(program.charge_dma(DmaDirection::read_modify_write, name(op), std::move(runs)));
  return old;
}

}  // namespace

Tile atomic_add(const Tile& ptr, const Operand& val) {
  return rmw(Rmw::add, ptr, val, nullptr, nullptr);
}
Tile atomic_add(const Tile& ptr, const Operand& val, const Tile& mask) {
  return rmw(Rmw::add, ptr, val, &mask, nullptr);
}
Tile atomic_max(const Tile& ptr, const Operand& val) {
  return rmw(Rmw::max, ptr, val, nullptr, nullptr);
}
Tile atomic_max(const Tile& ptr, const Operand& val, const Tile& mask) {
  return rmw(Rmw::max, ptr, val, &mask, nullptr);
}
Tile atomic_min(const Tile& ptr, const Operand& val) {
  return rmw(Rmw::min, ptr, val, nullptr, nullptr);
}
Tile atomic_min(const Tile& ptr, const Operand& val, const Tile& mask) {
  return rmw(Rmw::min, ptr, val, &mask, nullptr);
}
Tile atomic_xchg(const Tile& ptr, const Operand& val) {
  return rmw(Rmw::xchg, ptr, val, nullptr, nullptr);
}
Tile atomic_xchg(const Tile& ptr, const Operand& val, const Tile& mask) {
  return rmw(Rmw::xchg, ptr, val, &mask, nullptr);
}
Tile atomic_cas(const Tile& ptr, const Operand& cmp, const Operand& val) {
  return rmw(Rmw::cas, ptr, val, nullptr, &cmp);
}

}  // namespace kernbench::tl
