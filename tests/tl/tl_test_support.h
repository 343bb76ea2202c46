// Shared by the tl tests: tiles from host values, and a rig that runs a program body on a PE of
// the default machine (memory mapped by hand, as the runtime will do) inside an engine process,
// and the closed forms the timing tests compare with (computed from the spec, never the model).
#pragma once

#include <array>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "hw/hw_test_support.h"

#include "kernbench/rt/program_context.h"
#include "kernbench/sim/process.h"
#include "kernbench/tl/tl.h"

namespace kernbench::tl::testing {

/// A 1-D tile of `dtype` from host doubles.
inline Tile make(DType dtype, std::vector<double> v) {
  return Tile::from_doubles(Shape{static_cast<std::int64_t>(v.size())}, dtype, v);
}
/// A 1-D tile of `dtype` from host integers.
inline Tile imake(DType dtype, std::vector<std::int64_t> v) {
  return Tile::from_ints(Shape{static_cast<std::int64_t>(v.size())}, dtype, v);
}
/// A rank-0 tile.
inline Tile scalar(DType dtype, double v) { return Tile::from_doubles(Shape{}, dtype, {&v, 1}); }
/// 0, 1, ..., n - 1 as host doubles (tensor contents that show where each element came from).
inline std::vector<double> iota(int n) {
  std::vector<double> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0.0);
  return v;
}

/// A machine, one PE, memory mapped at fresh VAs, and programs run in a process.
class Rig {
 public:
  explicit Rig(topo::PeCoord pe = {0, 0, 0}, const topo::Overrides& overrides = {})
      : machine_(overrides), pe_(pe) {}

  hw::System& system() { return machine_.system; }
  sim::Engine& engine() { return machine_.engine; }
  hw::Pe& pe() { return machine_.system.pe(pe_); }

  /// Maps `size` bytes of the PE's home HBM at a fresh page-aligned VA.
  mem::VirtAddr map(std::uint64_t size) {
    const auto page = machine_.system.spec().cube.pe.mmu.page_size;
    const std::uint64_t rounded = (size + page.count() - 1) / page.count() * page.count();
    const auto pa = machine_.system.allocator().allocate_hbm(pe_, base::Bytes(rounded), page);
    const mem::VirtAddr va(next_va_);
    pe().mmu().map(va, pa, base::Bytes(rounded));
    next_va_ += rounded + page.count();  // an unmapped page between mappings
    return va;
  }
  /// A tensor argument holding `values` (converted to `dtype`), 1-D unless `shape` is given.
  rt::TensorArg tensor(DType dtype, const std::vector<double>& values,
                       std::vector<std::int64_t> shape = {}) {
    if (shape.empty()) shape = {static_cast<std::int64_t>(values.size())};
    const Tile t = Tile::from_doubles(Shape(shape), dtype, values);
    const std::uint64_t bytes = values.size() * base::size_bytes(dtype);
    rt::TensorArg arg;
    arg.name = "t" + std::to_string(next_va_);
    arg.dtype = dtype;
    arg.va = map(bytes);
    arg.shape = shape;
    write(arg.va, {t.data(), bytes});
    return arg;
  }
  void write(mem::VirtAddr va, std::span<const std::byte> data) {
    machine_.system.bytes().write(pe().mmu().page_table().translate(va).pa, data);
  }
  /// The tensor's current contents as doubles.
  std::vector<double> read(const rt::TensorArg& arg) {
    std::int64_t n = 1;
    for (auto d : arg.shape) n *= d;
    Tile t(Shape{n}, arg.dtype);
    machine_.system.bytes().read(
        pe().mmu().page_table().translate(arg.va).pa,
        {t.mutable_data(), static_cast<std::size_t>(n) * t.element_bytes()});
    return t.values();
  }

  /// Runs `body` as each program of `grid` in x -> y -> z order on the PE; rethrows what the
  /// body threw (with its own type, not the engine's ProcessError wrapper).
  void run(const std::function<void(Program&)>& body, std::vector<rt::KernelArg> args,
           rt::Grid grid = {}, std::string kernel = "test_kernel") {
    run_on({pe_}, body, std::move(args), grid, std::move(kernel));
  }
  /// Runs the grid on each of `pes` at once (one process per PE, all starting at time 0).
  void run_on(const std::vector<topo::PeCoord>& pes, const std::function<void(Program&)>& body,
              std::vector<rt::KernelArg> args, rt::Grid grid = {},
              std::string kernel = "test_kernel") {
    std::exception_ptr failure;
    for (const topo::PeCoord& at : pes)
      machine_.engine.spawn("prog", [&, at](sim::Process& p) {
        try {
          for (std::int64_t x = 0; x < grid.x; ++x)
            for (std::int64_t y = 0; y < grid.y; ++y)
              for (std::int64_t z = 0; z < grid.z; ++z) {
                rt::ProgramContext ctx(p, machine_.system.pe(at), kernel, grid, {x, y, z}, args);
                ctx.set_timing_only(timing_only_);
                Program program(ctx);
                body(program);
                program.finish();
                last_work_ = program.work();
                last_stats_ = program.stats();
                stats_by_pe_[at] = last_stats_;
              }
        } catch (...) {
          if (!failure) failure = std::current_exception();
        }
      });
    machine_.engine.run();
    if (failure) std::rethrow_exception(failure);
  }
  /// Maps the bytes of `arg` (mapped on this rig's PE) into `other`'s MMU at the same VA.
  void share(const rt::TensorArg& arg, topo::PeCoord other) {
    const auto page = machine_.system.spec().cube.pe.mmu.page_size.count();
    std::uint64_t bytes = base::size_bytes(arg.dtype);
    for (auto d : arg.shape) bytes *= static_cast<std::uint64_t>(d);
    const std::uint64_t rounded = (bytes + page - 1) / page * page;
    machine_.system.pe(other).mmu().map(arg.va, pe().mmu().page_table().translate(arg.va).pa,
                                        base::Bytes(rounded));
  }
  /// Runs the programs timing only (`--timing-only`): loads make data-less tiles.
  void set_timing_only(bool on) { timing_only_ = on; }
  /// The work tally of the last program run.
  const WorkTally& last_work() const { return last_work_; }
  /// Where the last program's time went.
  const ProgramStats& last_stats() const { return last_stats_; }
  /// Where the time of the last program run on `pe` went.
  const ProgramStats& last_stats(topo::PeCoord pe) const { return stats_by_pe_.at(pe); }

 private:
  hw::testing::Machine machine_;
  topo::PeCoord pe_;
  std::uint64_t next_va_ = 0x10000000;
  WorkTally last_work_;
  ProgramStats last_stats_;
  std::map<topo::PeCoord, ProgramStats> stats_by_pe_;
  bool timing_only_ = false;
};

}  // namespace kernbench::tl::testing
