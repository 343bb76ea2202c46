// where (selection) and fma: the element-wise ops with three operands (TRITON.md §2.3).
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "kernbench/tl/detail/aligned.h"
#include "kernbench/tl/detail/binary_kernels.h"
#include "kernbench/tl/detail/charge.h"
#include "kernbench/tl/detail/element.h"
#include "kernbench/tl/detail/typing.h"
#include "kernbench/tl/ops_elementwise.h"
#include "kernbench/tl/semantic_error.h"

namespace kernbench::tl {

namespace {
template <class T>
void select(const detail::Aligned& c, const detail::Aligned& x, const detail::Aligned& y,
            Tile& out) {
  const auto* pc = reinterpret_cast<const std::uint8_t*>(c.tile.data());
  const T* px = reinterpret_cast<const T*>(x.tile.data());
  const T* py = reinterpret_cast<const T*>(y.tile.data());
  T* po = reinterpret_cast<T*>(out.mutable_data());
  for (std::int64_t i = 0; i < out.numel(); ++i)
    po[i] = pc[i * c.step] != 0 ? px[i * x.step] : py[i * y.step];
}

bool is_pointer(const Operand& o) { return !o.is_weak() && o.tile().is_pointer(); }
}  // namespace

Tile where(const Operand& cond, const Operand& x, const Operand& y) {
  const Tile c = detail::as_bool(cond);
  Program* program = detail::program_of_operands(cond, x, &y);
  Tile tx, ty;
  bool pointer = false;
  if (is_pointer(x) || is_pointer(y)) {
    if (!is_pointer(x) || !is_pointer(y) || x.tile().dtype() != y.tile().dtype())
      throw SemanticError(
          fmt::format("where: cannot select between {} and {}", x.describe(), y.describe()));
    tx = x.tile();
    ty = y.tile();
    pointer = true;
  } else {
    const DType r = detail::promote(x, y, false, "where");
    tx = detail::as_tile(x, r, program);
    ty = detail::as_tile(y, r, program);
  }
  const Shape shape =
      broadcast_shapes(broadcast_shapes(c.shape(), tx.shape(), "where"), ty.shape(), "where");
  Tile out(shape, tx.dtype(), pointer, program);
  const auto ac = detail::align(c, shape), ax = detail::align(tx, shape),
             ay = detail::align(ty, shape);
  switch (tx.element_bytes()) {
    case 1: select<std::uint8_t>(ac, ax, ay, out); break;
    case 2: select<std::uint16_t>(ac, ax, ay, out); break;
    case 4: select<std::uint32_t>(ac, ax, ay, out); break;
    default: select<std::uint64_t>(ac, ax, ay, out); break;
  }
  detail::charge_vector(program, VectorClass::simple, tx.dtype(), shape.numel());
  return out;
}

Tile fma(const Operand& x, const Operand& y, const Operand& z) {
  if (is_pointer(x) || is_pointer(y) || is_pointer(z))
    throw SemanticError(fmt::format("fma: pointer operand among {}, {}, {}", x.describe(),
                                    y.describe(), z.describe()));
  Program* program = detail::program_of_operands(x, y, &z);
  const DType rxy = detail::promote(x, y, false, "fma");
  const Tile probe(Shape{}, rxy);  // stands for "x*y" in the pairwise promotion with z
  const DType r = detail::promote(probe, z, false, "fma");
  const Tile tx = detail::as_tile(x, r, program), ty = detail::as_tile(y, r, program),
             tz = detail::as_tile(z, r, program);
  const Shape shape =
      broadcast_shapes(broadcast_shapes(tx.shape(), ty.shape(), "fma"), tz.shape(), "fma");
  Tile out(shape, r, false, program);
  const auto ax = detail::align(tx, shape), ay = detail::align(ty, shape),
             az = detail::align(tz, shape);
  detail::dispatch(r, [&](auto e) {
    using E = decltype(e);
    using S = typename E::Storage;
    const S* px = reinterpret_cast<const S*>(ax.tile.data());
    const S* py = reinterpret_cast<const S*>(ay.tile.data());
    const S* pz = reinterpret_cast<const S*>(az.tile.data());
    S* po = reinterpret_cast<S*>(out.mutable_data());
    for (std::int64_t i = 0; i < shape.numel(); ++i) {
      const auto a = E::load(px[i * ax.step]), b = E::load(py[i * ay.step]),
                 c = E::load(pz[i * az.step]);
      if constexpr (detail::kIsFloat<E>) {
        po[i] = E::store(std::fma(a, b, c));
      } else {
        po[i] = E::store(detail::add(detail::mul(a, b), c));
      }
    }
  });
  detail::charge_vector(program, VectorClass::simple, r, shape.numel());
  return out;
}

}  // namespace kernbench::tl
