// The TCM bytes a program's live tiles occupy. Every tile buffer attributed to a program is
// counted from its creation until its last owner (a tile or a view) dies; exceeding the PE's
// usable TCM is an error. Shared by the program and its buffers, so a tile that outlives its
// program (kept by a test, say) still releases into a valid ledger.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "kernbench/base/units.h"
#include "kernbench/topo/coord.h"

namespace kernbench::tl {

class TcmLedger {
 public:
  /// A ledger of `capacity` bytes for one program, named in errors as kernel / program / PE.
  TcmLedger(std::string kernel, std::array<std::int64_t, 3> program_id, topo::PeCoord pe,
            base::Bytes capacity);

  /// Counts `bytes` more live; OutOfMemoryError (nothing counted) if that exceeds the capacity.
  void add(std::uint64_t bytes);
  /// Counts `bytes` as freed.
  void release(std::uint64_t bytes) { live_ -= bytes; }

  std::uint64_t live_bytes() const { return live_; }
  std::uint64_t peak_bytes() const { return peak_; }
  base::Bytes capacity() const { return capacity_; }

 private:
  std::string kernel_;
  std::array<std::int64_t, 3> program_id_;
  topo::PeCoord pe_;
  base::Bytes capacity_;
  std::uint64_t live_ = 0;
  std::uint64_t peak_ = 0;
};

}  // namespace kernbench::tl
