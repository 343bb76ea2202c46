// What a kernel program receives for each launch argument: for a tensor, a typed view of the
// shard that lives on its PE and where that shard sits in the whole tensor; for a scalar, its
// value and dtype. No integer is ever rewritten behind the kernel's back.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "kernbench/base/dtype.h"
#include "kernbench/mem/virt_addr.h"

namespace kernbench::rt {

/// A tensor argument as one PE sees it: its local shard (row-major, contiguous in VA).
struct TensorArg {
  std::string name;
  base::DType dtype = base::DType::f32;
  mem::VirtAddr va;                         // the shard's first element, mapped on this PE
  std::vector<std::int64_t> shape;          // local shard shape
  std::vector<std::int64_t> strides;        // in elements, row-major over `shape`
  std::vector<std::int64_t> global_offset;  // where the shard starts in the whole tensor
  std::vector<std::int64_t> global_shape;   // the whole tensor's shape

  std::int64_t numel() const;
};

/// A scalar argument: its dtype (i64 for C++ integers, f64 for floating, bool) and value.
struct ScalarArg {
  base::DType dtype = base::DType::i64;
  std::variant<bool, std::int64_t, double> value;
};

using KernelArg = std::variant<TensorArg, ScalarArg>;

}  // namespace kernbench::rt
