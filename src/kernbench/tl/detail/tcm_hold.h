// Internal: bytes an op holds in its program's TCM while it runs without making a tile for them:
// a weak number read as a splat, a broadcast operand walked in place. The model counts them as
// the rank-0 tile or the broadcast copy they stand for, so the TCM peak (and an out-of-memory
// error) does not depend on whether an op took a fast path.
#pragma once

#include <cstdint>

namespace kernbench::tl {
class Program;
class TcmLedger;
}  // namespace kernbench::tl

namespace kernbench::tl::detail {

class TcmHold {
 public:
  TcmHold() = default;
  /// Counts `bytes` in `program`'s ledger until destroyed (nothing without a program or bytes);
  /// OutOfMemoryError as a new tile of `bytes` would raise.
  TcmHold(Program* program, std::uint64_t bytes);
  TcmHold(const TcmHold&) = delete;
  TcmHold& operator=(const TcmHold&) = delete;
  ~TcmHold();

 private:
  TcmLedger* ledger_ = nullptr;
  std::uint64_t bytes_ = 0;
};

}  // namespace kernbench::tl::detail
