#include "kernbench/tl/ops_elementwise.h"

#include <optional>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/tl/creation.h"
#include "kernbench/tl/detail/aligned.h"
#include "kernbench/tl/detail/binary_kernels.h"
#include "kernbench/tl/detail/charge.h"
#include "kernbench/tl/detail/dataless.h"
#include "kernbench/tl/detail/element.h"
#include "kernbench/tl/detail/in_place_operand.h"
#include "kernbench/tl/detail/typing.h"
#include "kernbench/tl/semantic_error.h"

namespace kernbench::tl {

namespace {

bool is_comparison(BinaryOp op) { return op >= BinaryOp::lt && op <= BinaryOp::ne; }
bool is_bitwise(BinaryOp op) { return op >= BinaryOp::bit_and && op <= BinaryOp::shr; }

// The element loop of `op` in dtype r (operands already of dtype r). Element functions are passed
// as lambdas, never as function pointers, so they inline into the loop.
void run(BinaryOp op, DType r, detail::BroadcastRuns<2>& runs) {
  detail::dispatch(r, [&](auto e) {
    using E = decltype(e);
    using C = typename E::Compute;
    using Bool = detail::Elem<DType::boolean>;
    const int bits = r == DType::boolean ? 1 : static_cast<int>(base::size_bytes(r) * 8);
    switch (op) {
      case BinaryOp::add:
        return detail::loop2<E, E>(runs, [](C x, C y) { return detail::add<C>(x, y); });
      case BinaryOp::sub:
        return detail::loop2<E, E>(runs, [](C x, C y) { return detail::sub<C>(x, y); });
      case BinaryOp::mul:
        return detail::loop2<E, E>(runs, [](C x, C y) { return detail::mul<C>(x, y); });
      case BinaryOp::div:
      case BinaryOp::truediv:
      case BinaryOp::floordiv:
        if constexpr (detail::kIsFloat<E>) {
          return detail::loop2<E, E>(runs, [](C x, C y) { return x / y; });
        } else {
          return detail::loop2<E, E>(runs, [](C x, C y) { return detail::int_div<C>(x, y); });
        }
      case BinaryOp::mod:
        if constexpr (detail::kIsFloat<E>) {
          return detail::loop2<E, E>(runs, [](C x, C y) { return std::fmod(x, y); });
        } else {
          return detail::loop2<E, E>(runs, [](C x, C y) { return detail::int_mod<C>(x, y); });
        }
      case BinaryOp::lt:
        return detail::loop2<E, Bool>(runs, [](C x, C y) -> std::uint8_t { return x < y; });
      case BinaryOp::le:
        return detail::loop2<E, Bool>(runs, [](C x, C y) -> std::uint8_t { return x <= y; });
      case BinaryOp::gt:
        return detail::loop2<E, Bool>(runs, [](C x, C y) -> std::uint8_t { return x > y; });
      case BinaryOp::ge:
        return detail::loop2<E, Bool>(runs, [](C x, C y) -> std::uint8_t { return x >= y; });
      case BinaryOp::eq:
        return detail::loop2<E, Bool>(runs, [](C x, C y) -> std::uint8_t { return x == y; });
      case BinaryOp::ne:
        return detail::loop2<E, Bool>(runs, [](C x, C y) -> std::uint8_t { return x != y; });
      case BinaryOp::minimum:
        return detail::loop2<E, E>(runs, [](C x, C y) { return detail::min_ignore_nan<C>(x, y); });
      case BinaryOp::maximum:
        return detail::loop2<E, E>(runs, [](C x, C y) { return detail::max_ignore_nan<C>(x, y); });
      case BinaryOp::minimum_nan:
        return detail::loop2<E, E>(runs,
                                   [](C x, C y) { return detail::min_propagate_nan<C>(x, y); });
      case BinaryOp::maximum_nan:
        return detail::loop2<E, E>(runs,
                                   [](C x, C y) { return detail::max_propagate_nan<C>(x, y); });
      default: break;
    }
    if constexpr (!detail::kIsFloat<E>) {  // bitwise ops: floats were rejected by typing
      switch (op) {
        case BinaryOp::bit_and:
          return detail::loop2<E, E>(runs, [](C x, C y) { return static_cast<C>(x & y); });
        case BinaryOp::bit_or:
          return detail::loop2<E, E>(runs, [](C x, C y) { return static_cast<C>(x | y); });
        case BinaryOp::bit_xor:
          return detail::loop2<E, E>(runs, [](C x, C y) { return static_cast<C>(x ^ y); });
        case BinaryOp::shl:
          return detail::loop2<E, E>(runs, [bits](C x, C y) { return detail::shl(x, y, bits); });
        case BinaryOp::shr:
          return detail::loop2<E, E>(runs, [bits](C x, C y) { return detail::shr(x, y, bits); });
        default: break;
      }
    }
  });
}

// The dtype `op` computes in, with the operator-specific rules of TRITON.md §4.4 applied.
DType result_compute_type(BinaryOp op, const Operand& a, const Operand& b) {
  const std::string_view name = detail::op_name(op);
  const bool div_or_mod = op == BinaryOp::div || op == BinaryOp::truediv ||
                          op == BinaryOp::floordiv || op == BinaryOp::mod;
  if (is_bitwise(op) || op == BinaryOp::floordiv) {
    for (const Operand* o : {&a, &b})
      if (detail::kind_of_operand(*o) == TypeKind::floating)
        throw SemanticError(fmt::format("{}: operands must be integers, got {} and {}", name,
                                        a.describe(), b.describe()));
  }
  DType r = detail::promote(a, b, div_or_mod, name);
  if ((op == BinaryOp::truediv) && !base::is_floating(r)) r = DType::f32;
  return r;
}

// The operand giving the result's shape when no operand needs a cast or a broadcast: one of two
// tiles of dtype r and one shape, or the tile beside a weak number; null otherwise.
const Tile* shape_operand(DType r, const Operand& a, const Operand& b) {
  if (a.is_weak() && b.is_weak()) return nullptr;
  if (a.is_weak() || b.is_weak()) {
    const Tile& t = a.is_weak() ? b.tile() : a.tile();
    return t.dtype() == r ? &t : nullptr;
  }
  const Tile &x = a.tile(), &y = b.tile();
  return x.dtype() == r && y.dtype() == r && x.shape() == y.shape() ? &x : nullptr;
}

// The fast path: the loop reads the operands in place.
Tile binary_in_place(BinaryOp op, DType r, const Tile& shaped, const Operand& a, const Operand& b,
                     Program* program) {
  const detail::InPlaceOperand in_a(a, r, program), in_b(b, r, program);
  Tile out(detail::kUninitialized, shaped.shape(), is_comparison(op) ? DType::boolean : r, false,
           program);
  detail::BroadcastRuns<2> runs({in_a.input(), in_b.input()}, out.mutable_data(), out.numel());
  if (a.has_data() && b.has_data()) {
    run(op, r, runs);
  } else {
    detail::drop_elements(out);
  }
  return out;
}

// The general path: both operands as tiles of dtype r, walked broadcast to the result's shape.
Tile binary_aligned(BinaryOp op, DType r, const Operand& a, const Operand& b, Program* program) {
  const Tile ta = detail::as_tile(a, r, program), tb = detail::as_tile(b, r, program);
  const Shape shape = broadcast_shapes(ta.shape(), tb.shape(), detail::op_name(op));
  Tile out(detail::kUninitialized, shape, is_comparison(op) ? DType::boolean : r, false, program);
  const detail::TcmHold copy_a(program, detail::broadcast_copy_bytes(ta, shape));
  const detail::TcmHold copy_b(program, detail::broadcast_copy_bytes(tb, shape));
  detail::BroadcastRuns<2> runs({&ta, &tb}, shape, out.mutable_data(), out.element_bytes());
  if (ta.has_data() && tb.has_data()) {
    run(op, r, runs);
  } else {
    detail::drop_elements(out);
  }
  return out;
}

bool is_bf16(const Operand& o) { return !o.is_weak() && o.tile().dtype() == DType::bf16; }

}  // namespace

Tile binary(BinaryOp op, const Operand& a, const Operand& b) {
  if ((!a.is_weak() && a.tile().is_pointer()) || (!b.is_weak() && b.tile().is_pointer()))
    return detail::pointer_binary(op, a, b);
  if (op >= BinaryOp::minimum && (is_bf16(a) || is_bf16(b))) {
    // minimum / maximum compute bf16 in f32 (TRITON.md §4.4).
    const std::optional<Tile> a32 =
        is_bf16(a) ? std::optional<Tile>(a.tile().to(DType::f32)) : std::nullopt;
    const std::optional<Tile> b32 =
        is_bf16(b) ? std::optional<Tile>(b.tile().to(DType::f32)) : std::nullopt;
    return binary(op, a32 ? Operand(*a32) : a, b32 ? Operand(*b32) : b);
  }
  const DType r = result_compute_type(op, a, b);
  Program* program = detail::program_of_operands(a, b);
  const Tile* shaped = shape_operand(r, a, b);
  Tile out = shaped != nullptr ? binary_in_place(op, r, *shaped, a, b, program)
                               : binary_aligned(op, r, a, b, program);
  const bool divides = base::is_floating(r) && (op == BinaryOp::div || op == BinaryOp::truediv);
  detail::charge_vector(program, divides ? VectorClass::transcendental : VectorClass::simple, r,
                        out.numel());
  return out;
}

Tile operator+(const Operand& a, const Operand& b) { return binary(BinaryOp::add, a, b); }
Tile operator-(const Operand& a, const Operand& b) { return binary(BinaryOp::sub, a, b); }
Tile operator*(const Operand& a, const Operand& b) { return binary(BinaryOp::mul, a, b); }
Tile operator/(const Operand& a, const Operand& b) { return binary(BinaryOp::div, a, b); }
Tile operator%(const Operand& a, const Operand& b) { return binary(BinaryOp::mod, a, b); }
Tile operator&(const Operand& a, const Operand& b) { return binary(BinaryOp::bit_and, a, b); }
Tile operator|(const Operand& a, const Operand& b) { return binary(BinaryOp::bit_or, a, b); }
Tile operator^(const Operand& a, const Operand& b) { return binary(BinaryOp::bit_xor, a, b); }
Tile operator<<(const Operand& a, const Operand& b) { return binary(BinaryOp::shl, a, b); }
Tile operator>>(const Operand& a, const Operand& b) { return binary(BinaryOp::shr, a, b); }
Tile operator<(const Operand& a, const Operand& b) { return binary(BinaryOp::lt, a, b); }
Tile operator<=(const Operand& a, const Operand& b) { return binary(BinaryOp::le, a, b); }
Tile operator>(const Operand& a, const Operand& b) { return binary(BinaryOp::gt, a, b); }
Tile operator>=(const Operand& a, const Operand& b) { return binary(BinaryOp::ge, a, b); }
Tile operator==(const Operand& a, const Operand& b) { return binary(BinaryOp::eq, a, b); }
Tile operator!=(const Operand& a, const Operand& b) { return binary(BinaryOp::ne, a, b); }

Tile operator-(const Tile& x) {
  if (x.is_pointer())
    throw SemanticError(fmt::format("neg: cannot negate pointer tile {}", x.describe()));
  return binary(BinaryOp::sub, 0, x);
}
Tile operator+(const Tile& x) { return x; }
Tile operator~(const Tile& x) {
  if (x.is_pointer() || base::is_floating(x.dtype()))
    throw SemanticError(fmt::format("invert: ~ needs an integer tile, got {}", x.describe()));
  if (x.dtype() == DType::boolean) return binary(BinaryOp::bit_xor, x, true);
  return binary(BinaryOp::bit_xor, x, Tile(Shape{}, x.dtype()).to(x.dtype()) - 1);
}
Tile operator!(const Tile& x) { return binary(BinaryOp::eq, x.to(DType::boolean), false); }

Tile& operator+=(Tile& a, const Operand& b) { return a = a + b; }
Tile& operator-=(Tile& a, const Operand& b) { return a = a - b; }
Tile& operator*=(Tile& a, const Operand& b) { return a = a * b; }
Tile& operator/=(Tile& a, const Operand& b) { return a = a / b; }
Tile& operator%=(Tile& a, const Operand& b) { return a = a % b; }
Tile& operator&=(Tile& a, const Operand& b) { return a = a & b; }
Tile& operator|=(Tile& a, const Operand& b) { return a = a | b; }

Tile truediv(const Operand& a, const Operand& b) { return binary(BinaryOp::truediv, a, b); }
Tile floordiv(const Operand& a, const Operand& b) { return binary(BinaryOp::floordiv, a, b); }

Tile minimum(const Operand& a, const Operand& b, PropagateNan nan) {
  return binary(nan == PropagateNan::all ? BinaryOp::minimum_nan : BinaryOp::minimum, a, b);
}
Tile maximum(const Operand& a, const Operand& b, PropagateNan nan) {
  return binary(nan == PropagateNan::all ? BinaryOp::maximum_nan : BinaryOp::maximum, a, b);
}
Tile clamp(const Operand& x, const Operand& lo, const Operand& hi, PropagateNan nan) {
  if (detail::kind_of_operand(x) != TypeKind::floating)
    throw SemanticError(fmt::format("clamp: x must be floating, got {}", x.describe()));
  return minimum(maximum(x, lo, nan), hi, nan);
}

Tile cdiv(const Operand& x, const Operand& d) { return (x + d - 1) / d; }

Tile logical_and(const Operand& a, const Operand& b) {
  return detail::as_bool(a) & detail::as_bool(b);
}
Tile logical_or(const Operand& a, const Operand& b) {
  return detail::as_bool(a) | detail::as_bool(b);
}

}  // namespace kernbench::tl
