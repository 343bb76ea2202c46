#include "kernbench/tl/detail/tcm_hold.h"

#include "kernbench/tl/program.h"
#include "kernbench/tl/tcm_ledger.h"

namespace kernbench::tl::detail {

TcmHold::TcmHold(Program* program, std::uint64_t bytes) {
  if (program == nullptr || bytes == 0) return;
  program->tcm_ledger()->add(bytes);
  ledger_ = program->tcm_ledger().get();
  bytes_ = bytes;
}

TcmHold::~TcmHold() {
  if (ledger_ != nullptr) ledger_->release(bytes_);
}

}  // namespace kernbench::tl::detail
