#include "kernbench/tl/tcm_ledger.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::tl {

TcmLedger::TcmLedger(std::string kernel, std::array<std::int64_t, 3> program_id, topo::PeCoord pe,
                     base::Bytes capacity)
    : kernel_(std::move(kernel)), program_id_(program_id), pe_(pe), capacity_(capacity) {}

void TcmLedger::add(std::uint64_t bytes) {
  const std::uint64_t want = live_ + bytes;
  if (want > capacity_.count())
    throw base::OutOfMemoryError(fmt::format(
        "kernel '{}' program ({}, {}, {}) on PE {}: live tiles would occupy {} bytes of TCM "
        "({} live + a new tile of {}), more than the {} usable bytes",
        kernel_, program_id_[0], program_id_[1], program_id_[2], pe_, want, live_, bytes,
        capacity_.count()));
  live_ = want;
  peak_ = std::max(peak_, live_);
}

}  // namespace kernbench::tl
