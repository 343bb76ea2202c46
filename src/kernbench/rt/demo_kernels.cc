#include "kernbench/rt/demo_kernels.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/hw/pe.h"
#include "kernbench/hw/system.h"
#include "kernbench/rt/host_tensor.h"
#include "kernbench/sim/process.h"
#include "kernbench/topo/peak_figures.h"

namespace kernbench::rt {
namespace {

// The block of local elements [first, first + count) this program owns.
struct Block {
  std::int64_t first = 0;
  std::int64_t count = 0;
};

Block my_block(const ProgramContext& ctx, std::int64_t numel) {
  const std::int64_t programs = ctx.grid().size();
  const std::int64_t id =
      ctx.program_id(0) + ctx.grid().x * (ctx.program_id(1) + ctx.grid().y * ctx.program_id(2));
  const std::int64_t per = (numel + programs - 1) / programs;
  const std::int64_t first = std::min(numel, id * per);
  return {first, std::min(per, numel - first)};
}

// The physical address of `va` on this PE (one mapping holds a whole shard), charging the TLB.
mem::PhysAddr translate(ProgramContext& ctx, mem::VirtAddr va, base::Bytes size) {
  const hw::Mmu::Result r = ctx.pe().mmu().translate(va);
  ctx.process().wait_until(r.ready);
  if (r.translation.contiguous < size)
    throw base::AddressError(fmt::format("kernel '{}': {} bytes at {} cross a mapping on PE {}",
                                         ctx.kernel(), size.count(), va, ctx.pe().coord()));
  return r.translation.pa;
}

// A TCM scratch block of the PE, freed when the program ends (also on an exception).
class Scratch {
 public:
  Scratch(hw::Pe& pe, base::Bytes size)
      : pe_(pe), pa_(pe.system().allocator().allocate_tcm(pe.coord(), size)) {}
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() { pe_.system().allocator().free(pa_); }
  mem::PhysAddr pa() const { return pa_; }

 private:
  hw::Pe& pe_;
  mem::PhysAddr pa_;
};

void charge_vector(ProgramContext& ctx, base::DType dtype, std::int64_t elements) {
  const auto& spec = ctx.pe().system().spec();
  const std::int64_t lanes = topo::vector_lanes(spec, dtype);
  const auto cycles = static_cast<std::uint64_t>((elements + lanes - 1) / lanes);
  ctx.pe().vector_unit().use(ctx.process(),
                             base::cycles_to_time(base::Cycles(cycles), spec.cube.pe.core.clock));
}

// The flat index in the whole tensor of local element `local` of shard `t`.
std::int64_t global_index(const TensorArg& t, std::int64_t local) {
  std::int64_t flat = 0;
  for (std::size_t d = t.shape.size(); d-- > 0;) {
    const std::int64_t idx = local % t.shape[d] + t.global_offset[d];
    local /= t.shape[d];
    std::int64_t stride = 1;
    for (std::size_t e = d + 1; e < t.global_shape.size(); ++e) stride *= t.global_shape[e];
    flat += idx * stride;
  }
  return flat;
}

}  // namespace

void fill_index_kernel(ProgramContext& ctx) {
  const TensorArg& out = ctx.tensor(0);
  const Block block = my_block(ctx, out.numel());
  if (block.count == 0) return;
  const std::size_t width = base::size_bytes(out.dtype);
  const base::Bytes size(static_cast<std::uint64_t>(block.count) * width);
  std::vector<std::byte> data(size.count());
  for (std::int64_t i = 0; i < block.count; ++i) {
    const auto bytes =
        encode_element(static_cast<double>(global_index(out, block.first + i)), out.dtype);
    std::memcpy(data.data() + static_cast<std::size_t>(i) * width, bytes.data(), width);
  }
  Scratch tile(ctx.pe(), size);
  ctx.pe().system().bytes().write(tile.pa(), data);
  charge_vector(ctx, out.dtype, block.count);
  const mem::VirtAddr va = out.va + base::Bytes(static_cast<std::uint64_t>(block.first) * width);
  ctx.pe().dma_copy(ctx.process(), tile.pa(), translate(ctx, va, size), size);
}

void vector_add_kernel(ProgramContext& ctx) {
  const TensorArg& a = ctx.tensor(0);
  const TensorArg& b = ctx.tensor(1);
  const TensorArg& out = ctx.tensor(2);
  for (const TensorArg* t : {&a, &b, &out})
    if (t->dtype != base::DType::f32 || t->shape != out.shape)
      throw base::ShapeError(fmt::format(
          "kernel '{}': tensor '{}' is {} {}; vector_add takes three f32 tensors of one shape",
          ctx.kernel(), t->name, t->dtype, to_string(t->shape)));
  const Block block = my_block(ctx, out.numel());
  if (block.count == 0) return;
  const base::Bytes size(static_cast<std::uint64_t>(block.count) * 4);
  const base::Bytes skip(static_cast<std::uint64_t>(block.first) * 4);
  Scratch ta(ctx.pe(), size), tb(ctx.pe(), size);
  ctx.pe().dma_copy(ctx.process(), translate(ctx, a.va + skip, size), ta.pa(), size);
  ctx.pe().dma_copy(ctx.process(), translate(ctx, b.va + skip, size), tb.pa(), size);
  std::vector<float> x(static_cast<std::size_t>(block.count)), y(x.size());
  auto& bytes = ctx.pe().system().bytes();
  bytes.read(ta.pa(), std::as_writable_bytes(std::span(x)));
  bytes.read(tb.pa(), std::as_writable_bytes(std::span(y)));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += y[i];
  bytes.write(ta.pa(), std::as_bytes(std::span(x)));
  charge_vector(ctx, base::DType::f32, block.count);
  ctx.pe().dma_copy(ctx.process(), ta.pa(), translate(ctx, out.va + skip, size), size);
}

void register_demo_kernels(KernelRegistry& registry) {
  registry.add("fill_index", fill_index_kernel,
               "out[i] = i (flat index in the whole tensor); any dtype");
  registry.add("vector_add", vector_add_kernel, "out = a + b element-wise; f32");
}

}  // namespace kernbench::rt
