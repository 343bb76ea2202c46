#include "kernbench/tl/detail/typing.h"

#include <array>
#include <cstring>

#include <fmt/format.h>

#include "kernbench/tl/creation.h"
#include "kernbench/tl/detail/aligned.h"
#include "kernbench/tl/detail/charge.h"
#include "kernbench/tl/detail/tcm_hold.h"
#include "kernbench/tl/semantic_error.h"

namespace kernbench::tl::detail {

std::string_view op_name(BinaryOp op) {
  static constexpr std::array<std::string_view, 22> kNames{
      "add", "sub", "mul",     "div",     "truediv", "floordiv", "mod", "and",
      "or",  "xor", "shl",     "shr",     "lt",      "le",       "gt",  "ge",
      "eq",  "ne",  "minimum", "maximum", "minimum", "maximum"};
  return kNames[static_cast<std::size_t>(op)];
}

TypeKind kind_of_operand(const Operand& o) {
  return o.is_weak() ? o.weak().kind : kind_of(o.tile().dtype());
}

DType dtype_of_operand(const Operand& o) {
  return o.is_weak() ? materialized_type(o.weak()) : o.tile().dtype();
}

DType promote(const Operand& a, const Operand& b, bool div_or_mod, std::string_view op) {
  try {
    if (a.is_weak() != b.is_weak()) {
      const WeakScalar& w = a.is_weak() ? a.weak() : b.weak();
      const DType other = (a.is_weak() ? b : a).tile().dtype();
      if (auto r = weak_computation_type(w, other, div_or_mod, op)) return *r;
    }
    return computation_type(dtype_of_operand(a), dtype_of_operand(b), div_or_mod, op);
  } catch (const SemanticError& e) {
    throw SemanticError(
        fmt::format("{} (operands {} and {})", e.what(), a.describe(), b.describe()));
  }
}

Tile as_tile(const Operand& o, DType r, Program* program) {
  if (o.is_weak()) return full(Shape{}, o.weak(), r).with_program(program);
  return o.tile().to(r);
}

Tile as_bool(const Operand& o) {
  if (!o.is_weak() && o.tile().is_pointer())
    throw SemanticError(fmt::format("cannot use pointer tile {} as a condition", o.describe()));
  return as_tile(o, DType::boolean, o.is_weak() ? nullptr : o.tile().program());
}

Program* program_of_operands(const Operand& a, const Operand& b, const Operand* c) {
  for (const Operand* o : {&a, &b, c})
    if (o != nullptr && !o->is_weak() && o->tile().program() != nullptr) return o->tile().program();
  return nullptr;
}

namespace {
Tile compare_addresses(BinaryOp op, const Tile& a, const Tile& b) {
  if (!b.is_pointer() || a.dtype() != b.dtype())
    throw SemanticError(
        fmt::format("{}: cannot compare {} with {}", op_name(op), a.describe(), b.describe()));
  return binary(op, a.to(DType::i64), b.to(DType::i64));
}
}  // namespace

Tile pointer_binary(BinaryOp op, const Operand& a, const Operand& b) {
  const bool a_ptr = !a.is_weak() && a.tile().is_pointer();
  const bool b_ptr = !b.is_weak() && b.tile().is_pointer();
  if (op >= BinaryOp::lt && op <= BinaryOp::ne && a_ptr && b_ptr)
    return compare_addresses(op, a.tile(), b.tile());
  const bool ok =
      (op == BinaryOp::add && a_ptr != b_ptr) || (op == BinaryOp::sub && a_ptr && !b_ptr);
  const Operand& offset = a_ptr ? b : a;
  if (!ok || kind_of_operand(offset) == TypeKind::floating)
    throw SemanticError(fmt::format(
        "{}: pointer arithmetic takes pointer + integer or pointer - integer, got {} and {} "
        "(TRITON.md §4.6)",
        op_name(op), a.describe(), b.describe()));
  const Tile& ptr = a_ptr ? a.tile() : b.tile();
  Program* program = program_of_operands(a, b);
  // Offsets are signed; unsigned ones are zero-extended by the value-preserving cast to i64.
  const Tile off = as_tile(offset, DType::i64, program);
  const Shape shape = broadcast_shapes(ptr.shape(), off.shape(), op_name(op));
  const TcmHold copy_ptr(program, broadcast_copy_bytes(ptr, shape));
  const TcmHold copy_off(program, broadcast_copy_bytes(off, shape));
  Tile out(kUninitialized, shape, ptr.dtype(), true, program);
  const auto scale = static_cast<std::int64_t>(base::size_bytes(ptr.dtype()));
  const auto sign = op == BinaryOp::sub ? -1 : 1;
  BroadcastRuns<2> runs({&ptr, &off}, shape, out.mutable_data(), out.element_bytes());
  for (BroadcastRuns<2>::Run run; runs.next(run);) {
    const auto* addresses = reinterpret_cast<const std::uint64_t*>(run.in[0].data);
    const auto* offs = reinterpret_cast<const std::int64_t*>(run.in[1].data);
    auto* o = reinterpret_cast<std::uint64_t*>(run.out);
    const std::int64_t sa = run.in[0].step, so = run.in[1].step;
    for (std::int64_t i = 0; i < run.n; ++i)
      o[i] = addresses[i * sa] + static_cast<std::uint64_t>(sign * offs[i * so] * scale);
  }
  if (!ptr.has_data() || !off.has_data()) out.drop_data();  // load and store refuse it
  return out;
}

std::uint64_t broadcast_copy_bytes(const Tile& t, const Shape& shape) {
  // Broadcastable with as many elements: the same shape once left-padded, a view, no copy.
  if (t.numel() == 1 || t.numel() == shape.numel()) return 0;
  return static_cast<std::uint64_t>(shape.numel()) * t.element_bytes();
}

}  // namespace kernbench::tl::detail
