#include "benches/kernel_span.h"

#include <algorithm>

#include "kernbench/hw/pe.h"
#include "kernbench/sim/process.h"

namespace kernbench::benches {

rt::KernelFn KernelSpan::wrap(rt::KernelFn kernel) {
  return [this, kernel = std::move(kernel)](rt::ProgramContext& ctx) {
    const base::SimTime start = ctx.process().now();
    kernel(ctx);  // tl::kernel waits for the program's last DMA before returning
    const base::SimTime end = ctx.process().now();
    first_start_ = any_ ? std::min(first_start_, start) : start;
    last_end_ = any_ ? std::max(last_end_, end) : end;
    any_ = true;
    pes_.insert(ctx.pe().coord());
  };
}

base::SimTime KernelSpan::elapsed() const {
  return any_ ? last_end_ - first_start_ : base::SimTime::zero();
}

}  // namespace kernbench::benches
