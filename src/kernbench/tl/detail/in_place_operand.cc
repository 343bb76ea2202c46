#include "kernbench/tl/detail/in_place_operand.h"

#include <cstring>

#include "kernbench/tl/detail/convert.h"

namespace kernbench::tl::detail {

InPlaceOperand::InPlaceOperand(const Operand& o, DType r, Program* program) {
  if (!o.is_weak()) {
    tile_ = &o.tile();
    return;
  }
  dispatch(r, [&](auto e) {
    using E = decltype(e);
    const typename E::Storage v = convert_weak<E>(o.weak());
    std::memcpy(splat_.data(), &v, sizeof v);
  });
  held_.emplace(program, base::size_bytes(r));
}

}  // namespace kernbench::tl::detail
