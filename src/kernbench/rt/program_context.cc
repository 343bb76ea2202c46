#include "kernbench/rt/program_context.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::rt {
namespace {

std::string_view kind(const KernelArg& arg) {
  return std::holds_alternative<TensorArg>(arg) ? "a tensor" : "a scalar";
}

}  // namespace

ProgramStats& ProgramStats::operator+=(const ProgramStats& o) {
  elapsed += o.elapsed;
  dma += o.dma;
  vector += o.vector;
  matrix += o.matrix;
  wait += o.wait;
  translation += o.translation;
  dma_requests += o.dma_requests;
  tcm_peak_bytes = std::max(tcm_peak_bytes, o.tcm_peak_bytes);
  tlb_lookups += o.tlb_lookups;
  tlb_misses += o.tlb_misses;
  tlb_reach_bytes = std::max(tlb_reach_bytes, o.tlb_reach_bytes);
  return *this;
}

std::int64_t ProgramContext::num_programs(int axis) const {
  switch (axis) {
    case 0: return grid_.x;
    case 1: return grid_.y;
    case 2: return grid_.z;
  }
  throw base::ShapeError(
      fmt::format("kernel '{}': grid axis {} does not exist (0, 1 or 2)", kernel_, axis));
}

const TensorArg& ProgramContext::tensor(std::size_t i) const {
  if (i >= args_.size())
    throw base::ShapeError(fmt::format("kernel '{}': argument {} asked for, but the launch has {}",
                                       kernel_, i, args_.size()));
  if (const auto* t = std::get_if<TensorArg>(&args_[i])) return *t;
  throw base::ShapeError(
      fmt::format("kernel '{}': argument {} is {}, not a tensor", kernel_, i, kind(args_[i])));
}

const ScalarArg& ProgramContext::scalar(std::size_t i) const {
  if (i >= args_.size())
    throw base::ShapeError(fmt::format("kernel '{}': argument {} asked for, but the launch has {}",
                                       kernel_, i, args_.size()));
  if (const auto* s = std::get_if<ScalarArg>(&args_[i])) return *s;
  throw base::ShapeError(fmt::format("kernel '{}': argument {} is {} '{}', not a scalar", kernel_,
                                     i, kind(args_[i]), std::get<TensorArg>(args_[i]).name));
}

}  // namespace kernbench::rt
