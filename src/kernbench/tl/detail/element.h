// Internal: how each dtype is stored in a tile (its native encoding) and computed with (float for
// f16 / bf16 / f32, double for f64, the integer itself), and the one dtype switch every op goes
// through, so an op dispatches once and then runs a tight loop over typed pointers.
#pragma once

#include <cstdint>
#include <type_traits>

#include "kernbench/base/assert.h"
#include "kernbench/base/dtype.h"
#include "kernbench/tl/detail/widen.h"

namespace kernbench::tl::detail {

using base::DType;

template <DType D, class S, class C>
struct ElemBase {
  static constexpr DType kDType = D;
  using Storage = S;  // the bytes in the tile
  using Compute = C;  // what arithmetic runs in before rounding once to Storage
  static C load(S s) { return static_cast<C>(s); }
  static S store(C c) { return static_cast<S>(c); }
};

template <DType D>
struct Elem;
// Loads widen inline and branch-free (widen.h: base's values to the bit, DotWiden.* checks every
// encoding), so element loops over f16 / bf16 inputs vectorise their loads.
template <>
struct Elem<DType::f16> : ElemBase<DType::f16, std::uint16_t, float> {
  static float load(std::uint16_t s) { return f16_to_f32(s); }
  static std::uint16_t store(float c) { return base::f32_to_f16_bits(c); }
};
template <>
struct Elem<DType::bf16> : ElemBase<DType::bf16, std::uint16_t, float> {
  static float load(std::uint16_t s) { return bf16_to_f32(s); }
  static std::uint16_t store(float c) { return base::f32_to_bf16_bits(c); }
};
template <>
struct Elem<DType::f32> : ElemBase<DType::f32, float, float> {};
template <>
struct Elem<DType::f64> : ElemBase<DType::f64, double, double> {};
template <>
struct Elem<DType::i8> : ElemBase<DType::i8, std::int8_t, std::int8_t> {};
template <>
struct Elem<DType::i16> : ElemBase<DType::i16, std::int16_t, std::int16_t> {};
template <>
struct Elem<DType::i32> : ElemBase<DType::i32, std::int32_t, std::int32_t> {};
template <>
struct Elem<DType::i64> : ElemBase<DType::i64, std::int64_t, std::int64_t> {};
template <>
struct Elem<DType::u8> : ElemBase<DType::u8, std::uint8_t, std::uint8_t> {};
template <>
struct Elem<DType::u16> : ElemBase<DType::u16, std::uint16_t, std::uint16_t> {};
template <>
struct Elem<DType::u32> : ElemBase<DType::u32, std::uint32_t, std::uint32_t> {};
// Bool is stored as one byte 0/1; arithmetic on it is modulo 2, as on LLVM's i1.
template <>
struct Elem<DType::boolean> : ElemBase<DType::boolean, std::uint8_t, std::uint8_t> {
  static std::uint8_t store(std::uint8_t c) { return c & 1u; }
};

template <class E>
constexpr bool kIsFloat = std::is_floating_point_v<typename E::Compute>;

/// Calls f(Elem<t>{}) for the runtime dtype t; every branch is one instantiation of f.
template <class F>
decltype(auto) dispatch(DType t, F&& f) {
  switch (t) {
    case DType::f16: return f(Elem<DType::f16>{});
    case DType::bf16: return f(Elem<DType::bf16>{});
    case DType::f32: return f(Elem<DType::f32>{});
    case DType::f64: return f(Elem<DType::f64>{});
    case DType::i8: return f(Elem<DType::i8>{});
    case DType::i16: return f(Elem<DType::i16>{});
    case DType::i32: return f(Elem<DType::i32>{});
    case DType::i64: return f(Elem<DType::i64>{});
    case DType::u8: return f(Elem<DType::u8>{});
    case DType::u16: return f(Elem<DType::u16>{});
    case DType::u32: return f(Elem<DType::u32>{});
    case DType::boolean: return f(Elem<DType::boolean>{});
  }
  KB_ASSERT(false, "unknown dtype");
  return f(Elem<DType::i32>{});
}

}  // namespace kernbench::tl::detail
