// where (selection) and fma: the element-wise ops with three operands (TRITON.md §2.3).
#include <cmath>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "kernbench/tl/detail/aligned.h"
#include "kernbench/tl/detail/binary_kernels.h"
#include "kernbench/tl/detail/charge.h"
#include "kernbench/tl/detail/dataless.h"
#include "kernbench/tl/detail/element.h"
#include "kernbench/tl/detail/in_place_operand.h"
#include "kernbench/tl/detail/tcm_hold.h"
#include "kernbench/tl/detail/typing.h"
#include "kernbench/tl/ops_elementwise.h"
#include "kernbench/tl/semantic_error.h"

namespace kernbench::tl {

namespace {
// c ? x : y with both sides already read (plain values, not loads under a condition), so a loop
// of these vectorises into a masked blend.
template <class T>
T pick(std::uint8_t c, T x, T y) {
  return c != 0 ? x : y;
}

// out[i] = c[i] ? x[i] : y[i] over `n` lanes. Flat inputs, and flat ones with x or y a splat
// (`where(mask, x, 0)`), get loops with constant strides.
template <class T>
void select(detail::Input c, detail::Input x, detail::Input y, std::byte* out, std::int64_t n) {
  const auto* pc = reinterpret_cast<const std::uint8_t*>(c.data);
  const T* px = reinterpret_cast<const T*>(x.data);
  const T* py = reinterpret_cast<const T*>(y.data);
  T* po = reinterpret_cast<T*>(out);
  if (c.step == 1 && x.step == 1 && y.step == 1) {
    for (std::int64_t i = 0; i < n; ++i) po[i] = pick(pc[i], px[i], py[i]);
  } else if (c.step == 1 && x.step == 1) {
    const T v = py[0];
    if (v == T{0}) {  // where(mask, x, 0), the usual masking: one AND per lane
      for (std::int64_t i = 0; i < n; ++i) po[i] = pick(pc[i], px[i], T{0});
    } else {
      for (std::int64_t i = 0; i < n; ++i) po[i] = pick(pc[i], px[i], v);
    }
  } else if (c.step == 1 && y.step == 1) {
    const T v = px[0];
    for (std::int64_t i = 0; i < n; ++i) po[i] = pick(pc[i], v, py[i]);
  } else {
    for (std::int64_t i = 0; i < n; ++i)
      po[i] = pick(pc[i * c.step], px[i * x.step], py[i * y.step]);
  }
}

bool is_pointer(const Operand& o) { return !o.is_weak() && o.tile().is_pointer(); }

// x and y as tiles of one dtype: pointers as they are, values promoted together.
std::pair<Tile, Tile> where_values(const Operand& x, const Operand& y, Program* program) {
  if (is_pointer(x) || is_pointer(y)) {
    if (!is_pointer(x) || !is_pointer(y) || x.tile().dtype() != y.tile().dtype())
      throw SemanticError(
          fmt::format("where: cannot select between {} and {}", x.describe(), y.describe()));
    return {x.tile(), y.tile()};
  }
  const DType r = detail::promote(x, y, false, "where");
  return {detail::as_tile(x, r, program), detail::as_tile(y, r, program)};
}

void run_select(std::size_t element_bytes, detail::BroadcastRuns<3>& runs) {
  detail::BroadcastRuns<3>::Run run;
  while (runs.next(run)) {
    const auto [c, x, y] = run.in;
    switch (element_bytes) {
      case 1: select<std::uint8_t>(c, x, y, run.out, run.n); break;
      case 2: select<std::uint16_t>(c, x, y, run.out, run.n); break;
      case 4: select<std::uint32_t>(c, x, y, run.out, run.n); break;
      default: select<std::uint64_t>(c, x, y, run.out, run.n); break;
    }
  }
}

// Whether x and y can be read in place beside a bool tile `c`: each a weak number or a tile of
// dtype r and c's shape (then nothing is cast or broadcast).
bool fits_in_place(const Tile& c, DType r, const Operand& x, const Operand& y) {
  for (const Operand* o : {&x, &y})
    if (!o->is_weak() && (o->tile().dtype() != r || !(o->tile().shape() == c.shape())))
      return false;
  return true;
}

}  // namespace

Tile where(const Operand& cond, const Operand& x, const Operand& y) {
  const Tile c = detail::as_bool(cond);
  Program* program = detail::program_of_operands(cond, x, &y);
  if (!cond.is_weak() && !is_pointer(x) && !is_pointer(y)) {
    const DType r = detail::promote(x, y, false, "where");
    if (fits_in_place(c, r, x, y)) {  // the fast path: nothing cast, broadcast or materialised
      const detail::InPlaceOperand in_x(x, r, program), in_y(y, r, program);
      Tile out(detail::kUninitialized, c.shape(), r, false, program);
      detail::BroadcastRuns<3> runs({detail::Input{c.data(), 1}, in_x.input(), in_y.input()},
                                    out.mutable_data(), out.numel());
      if (c.has_data() && x.has_data() && y.has_data()) {
        run_select(base::size_bytes(r), runs);
      } else {
        detail::drop_elements(out);
      }
      detail::charge_vector(program, VectorClass::simple, r, out.numel());
      return out;
    }
  }
  const auto [tx, ty] = where_values(x, y, program);
  const Shape shape =
      broadcast_shapes(broadcast_shapes(c.shape(), tx.shape(), "where"), ty.shape(), "where");
  Tile out(detail::kUninitialized, shape, tx.dtype(), tx.is_pointer(), program);
  const detail::TcmHold copy_c(program, detail::broadcast_copy_bytes(c, shape));
  const detail::TcmHold copy_x(program, detail::broadcast_copy_bytes(tx, shape));
  const detail::TcmHold copy_y(program, detail::broadcast_copy_bytes(ty, shape));
  detail::BroadcastRuns<3> runs({&c, &tx, &ty}, shape, out.mutable_data(), out.element_bytes());
  if (c.has_data() && tx.has_data() && ty.has_data()) {
    run_select(tx.element_bytes(), runs);
  } else {
    detail::drop_elements(out);  // a pointer chosen by loaded data: load and store refuse it
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
  Tile out(detail::kUninitialized, shape, r, false, program);
  const detail::TcmHold copy_x(program, detail::broadcast_copy_bytes(tx, shape));
  const detail::TcmHold copy_y(program, detail::broadcast_copy_bytes(ty, shape));
  const detail::TcmHold copy_z(program, detail::broadcast_copy_bytes(tz, shape));
  detail::BroadcastRuns<3> runs({&tx, &ty, &tz}, shape, out.mutable_data(), out.element_bytes());
  if (!tx.has_data() || !ty.has_data() || !tz.has_data()) {
    detail::drop_elements(out);
    detail::charge_vector(program, VectorClass::simple, r, shape.numel());
    return out;
  }
  detail::dispatch(r, [&](auto e) {
    using E = decltype(e);
    using S = typename E::Storage;
    detail::BroadcastRuns<3>::Run run;
    while (runs.next(run)) {
      const auto [ix, iy, iz] = run.in;
      const S* px = reinterpret_cast<const S*>(ix.data);
      const S* py = reinterpret_cast<const S*>(iy.data);
      const S* pz = reinterpret_cast<const S*>(iz.data);
      S* po = reinterpret_cast<S*>(run.out);
      for (std::int64_t i = 0; i < run.n; ++i) {
        const auto a = E::load(px[i * ix.step]), b = E::load(py[i * iy.step]),
                   c = E::load(pz[i * iz.step]);
        if constexpr (detail::kIsFloat<E>) {
          po[i] = E::store(std::fma(a, b, c));
        } else {
          po[i] = E::store(detail::add(detail::mul(a, b), c));
        }
      }
    }
  });
  detail::charge_vector(program, VectorClass::simple, r, shape.numel());
  return out;
}

}  // namespace kernbench::tl
