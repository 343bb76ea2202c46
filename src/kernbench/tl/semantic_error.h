// The kernel language's error for programs Triton would reject at compile time for a reason other
// than shape: a dtype an op does not take, a weak literal out of range, an illegal operand kind.
// Shape mismatches are base::ShapeError; accesses outside any mapping are base::AddressError.
#pragma once

#include "kernbench/base/error.h"

namespace kernbench::tl {

/// A dtype or operand-kind error; the message names the op and the operands' shapes and dtypes.
class SemanticError : public base::Error {
 public:
  using base::Error::Error;
};

/// A kernel run timing only (`--timing-only`) whose control flow or addresses depend on the
/// values it loaded: the message names the kernel, the op and "needs data: run without
/// --timing-only", so no run ever reports a time computed from values that were not there.
class NeedsDataError : public base::Error {
 public:
  using base::Error::Error;
};

}  // namespace kernbench::tl
