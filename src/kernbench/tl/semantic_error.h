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

}  // namespace kernbench::tl
