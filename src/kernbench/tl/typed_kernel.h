// Kernels with typed parameters: tl::kernel([](Program& p, Pointer x, Pointer y, std::int32_t n)
// {...}) binds the launch's arguments to the parameters by position when each program starts and
// checks them (kind, dtype, count); a mismatch is a ShapeError naming the kernel, the argument
// and what was passed. The untyped form (`p.pointer(i)`, `p.scalar(i)`) stays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "kernbench/tl/program.h"
#include "kernbench/tl/tile.h"

namespace kernbench::tl {

/// A tensor argument as a typed kernel receives it: the scalar pointer to its PE's shard (a
/// pointer tile, so `x + offsets` works) and the runtime's view of the shard.
class Pointer : public Tile {
 public:
  Pointer(Tile pointer, const rt::TensorArg& arg) : Tile(std::move(pointer)), arg_(&arg) {}
  /// The shard as the runtime passed it (shape, strides, where it sits in the whole tensor).
  const rt::TensorArg& arg() const { return *arg_; }

 private:
  const rt::TensorArg* arg_;
};

/// A tensor argument that must hold elements of `D`.
template <DType D>
class PointerTo : public Pointer {
 public:
  explicit PointerTo(Pointer p) : Pointer(std::move(p)) {}
  static constexpr DType kDType = D;
};

namespace detail {

/// What a parameter of a typed kernel takes, as bind_argument checks it.
enum class ParamKind : std::uint8_t { pointer, i32, i64, f32, f64, boolean, scalar_tile };

struct Param {
  ParamKind kind;
  std::optional<DType> dtype;  // a PointerTo's element dtype
};

/// Checks argument `i` of the program's launch against `param` (and that the launch passed
/// `count` arguments); ShapeError naming the kernel, the argument and what was passed.
void check_argument(Program& p, std::size_t i, Param param, std::size_t count);
/// Argument `i`, checked, as a pointer / integer / floating / bool value.
Pointer bind_pointer(Program& p, std::size_t i);
std::int64_t bind_integer(Program& p, std::size_t i);
double bind_floating(Program& p, std::size_t i);
bool bind_boolean(Program& p, std::size_t i);

template <class T>
constexpr Param param_of() {
  if constexpr (std::is_base_of_v<Pointer, T> && !std::is_same_v<T, Pointer>)
    return {ParamKind::pointer, T::kDType};
  else if constexpr (std::is_same_v<T, Pointer>)
    return {ParamKind::pointer, std::nullopt};
  else if constexpr (std::is_same_v<T, bool>)
    return {ParamKind::boolean, std::nullopt};
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return {ParamKind::i32, std::nullopt};
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return {ParamKind::i64, std::nullopt};
  else if constexpr (std::is_same_v<T, float>)
    return {ParamKind::f32, std::nullopt};
  else if constexpr (std::is_same_v<T, double>)
    return {ParamKind::f64, std::nullopt};
  else if constexpr (std::is_same_v<T, Tile>)
    return {ParamKind::scalar_tile, std::nullopt};
  else
    static_assert(sizeof(T) == 0,
                  "a typed kernel parameter is tl::Pointer, tl::PointerTo<D>, tl::Tile (a scalar "
                  "typed as Triton types it), bool, std::int32_t, std::int64_t, float or double");
}

template <class T>
T bind_argument(Program& p, std::size_t i, std::size_t count) {
  check_argument(p, i, param_of<T>(), count);
  if constexpr (std::is_base_of_v<Pointer, T> && !std::is_same_v<T, Pointer>)
    return T(bind_pointer(p, i));
  else if constexpr (std::is_same_v<T, Pointer>)
    return bind_pointer(p, i);
  else if constexpr (std::is_same_v<T, bool>)
    return bind_boolean(p, i);
  else if constexpr (std::is_integral_v<T>)
    return static_cast<T>(bind_integer(p, i));
  else if constexpr (std::is_floating_point_v<T>)
    return static_cast<T>(bind_floating(p, i));
  else
    return p.scalar(i);
}

/// The parameters after Program& of a lambda's call operator (none for anything else, such as
/// a generic lambda).
template <class F, class = void>
struct Signature {};
template <class F>
struct Signature<F, std::void_t<decltype(&F::operator())>> : Signature<decltype(&F::operator())> {};
template <class C, class... A>
struct Signature<void (C::*)(Program&, A...) const, void> {
  using Args = std::tuple<std::remove_cvref_t<A>...>;
};
template <class C, class... A>
struct Signature<void (C::*)(Program&, A...), void> {
  using Args = std::tuple<std::remove_cvref_t<A>...>;
};

template <class F>
concept TypedBody = requires {
  typename Signature<F>::Args;
}
&&std::tuple_size_v<typename Signature<F>::Args> > 0;

template <class F, class... A, std::size_t... I>
void call_bound(F& fn, Program& p, std::tuple<A...>*, std::index_sequence<I...>) {
  fn(p, bind_argument<A>(p, I, sizeof...(A))...);
}

}  // namespace detail

/// A kernel whose parameters after Program& are typed (tl::Pointer, tl::PointerTo<D>, tl::Tile,
/// bool, std::int32_t, std::int64_t, float, double): each program binds the launch's arguments
/// to them by position, checked.
template <detail::TypedBody F>
rt::KernelFn kernel(F fn) {
  using Args = typename detail::Signature<F>::Args;
  return kernel(std::function<void(Program&)>([fn = std::move(fn)](Program& p) mutable {
    detail::call_bound(fn, p, static_cast<Args*>(nullptr),
                       std::make_index_sequence<std::tuple_size_v<Args>>{});
  }));
}

}  // namespace kernbench::tl
