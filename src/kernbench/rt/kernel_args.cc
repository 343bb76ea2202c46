#include "kernbench/rt/kernel_args.h"

#include "kernbench/rt/shape.h"

namespace kernbench::rt {

std::int64_t TensorArg::numel() const { return rt::numel(shape); }

}  // namespace kernbench::rt
