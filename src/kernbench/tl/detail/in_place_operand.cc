#include "kernbench/tl/detail/in_place_operand.h"

#include <cstring>

#include "kernbench/tl/detail/convert.h"
#include "kernbench/tl/program.h"
#include "kernbench/tl/tcm_ledger.h"

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
  if (program != nullptr) {
    ledger_ = program->tcm_ledger().get();
    bytes_ = base::size_bytes(r);
    ledger_->add(bytes_);
  }
}

InPlaceOperand::~InPlaceOperand() {
  if (ledger_ != nullptr) ledger_->release(bytes_);
}

}  // namespace kernbench::tl::detail
