#include "kernbench/tl/program.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <variant>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/hw/pe.h"
#include "kernbench/hw/system.h"
#include "kernbench/hw/unit_costs.h"
#include "kernbench/sim/event.h"
#include "kernbench/sim/resource.h"
#include "kernbench/tl/creation.h"
#include "kernbench/tl/detail/charge.h"
#include "kernbench/tl/semantic_error.h"

namespace kernbench::tl {

Program::Program(rt::ProgramContext& context)
    : context_(context),
      start_(context.process().now()),
      ledger_(std::make_shared<TcmLedger>(
          std::string(context.kernel()),
          std::array{context.program_id(0), context.program_id(1), context.program_id(2)},
          context.pe().coord(), context.pe().system().spec().cube.pe.tcm.usable())) {}

Program::~Program() {
  for (const auto& r : requests_) r->forget_issuer();
}

void Program::check_axis(int axis, const char* op) const {
  if (axis < 0 || axis > 2)
    throw SemanticError(fmt::format("{}: axis must be 0, 1 or 2, got {} ({})", op, axis, where()));
}

Tile Program::program_id(int axis) {
  check_axis(axis, "program_id");
  return full(Shape{}, context_.program_id(axis), DType::i32).with_program(this);
}

Tile Program::num_programs(int axis) {
  check_axis(axis, "num_programs");
  const rt::Grid& g = context_.grid();
  const std::int64_t n = axis == 0 ? g.x : axis == 1 ? g.y : g.z;
  return full(Shape{}, n, DType::i32).with_program(this);
}

const rt::TensorArg& Program::tensor(std::size_t arg) const {
  const auto args = context_.args();
  const auto* t = arg < args.size() ? std::get_if<rt::TensorArg>(&args[arg]) : nullptr;
  if (t == nullptr)
    throw base::ShapeError(
        fmt::format("argument {} of {} is not a tensor (the kernel has {} "
                    "arguments)",
                    arg, where(), args.size()));
  return *t;
}

Tile Program::pointer(std::size_t arg) {
  const rt::TensorArg& t = tensor(arg);
  Tile p(Shape{}, t.dtype, true, this);
  const std::uint64_t va = t.va.value();
  std::memcpy(p.mutable_data(), &va, sizeof va);
  return p;
}

Tile Program::scalar(std::size_t arg) {
  const auto args = context_.args();
  const auto* s = arg < args.size() ? std::get_if<rt::ScalarArg>(&args[arg]) : nullptr;
  if (s == nullptr)
    throw base::ShapeError(fmt::format("argument {} of {} is not a scalar", arg, where()));
  if (const bool* b = std::get_if<bool>(&s->value))
    return full(Shape{}, *b, DType::boolean).with_program(this);
  if (const double* d = std::get_if<double>(&s->value))
    return full(Shape{}, *d, DType::f32).with_program(this);
  const std::int64_t v = std::get<std::int64_t>(s->value);
  const bool fits = v >= std::numeric_limits<std::int32_t>::min() &&
                    v <= std::numeric_limits<std::int32_t>::max();
  return full(Shape{}, v, fits ? DType::i32 : DType::i64).with_program(this);
}

Tile Program::scalar(std::size_t arg, DType dtype) {
  const auto args = context_.args();
  const auto* s = arg < args.size() ? std::get_if<rt::ScalarArg>(&args[arg]) : nullptr;
  if (s == nullptr)
    throw base::ShapeError(fmt::format("argument {} of {} is not a scalar", arg, where()));
  return std::visit([&](auto v) { return full(Shape{}, v, dtype).with_program(this); }, s->value);
}

std::string Program::where() const {
  return fmt::format("kernel '{}' program ({}, {}, {}) on PE {}", context_.kernel(),
                     context_.program_id(0), context_.program_id(1), context_.program_id(2),
                     context_.pe().coord());
}

void Program::charge_vector(VectorClass cls, DType dtype, std::int64_t elements) {
  (cls == VectorClass::simple ? work_.vector_elements : work_.transcendental_elements) += elements;
  const topo::CoreSpec& core = context_.pe().system().spec().cube.pe.core;
  const bool transcendental = cls == VectorClass::transcendental;
  const auto cycles = hw::vector_cycles(core, dtype, elements, transcendental);  // shared with ccl
  spend(context_.pe().vector_unit(), static_cast<std::int64_t>(cycles.count()), core.clock,
        transcendental ? "transcendental" : "vector", stats_.vector);
}

void Program::charge_matrix(DType dtype, std::int64_t batch, std::int64_t m, std::int64_t n,
                            std::int64_t k) {
  work_.matrix_macs += batch * m * n * k;
  const topo::CoreSpec& core = context_.pe().system().spec().cube.pe.core;
  const auto up = [](std::int64_t v, int tile) {
    return tile > 0 ? (v + tile - 1) / tile * tile : v;
  };
  const std::int64_t padded =
      batch * up(m, core.matrix_tile_m) * up(n, core.matrix_tile_n) * up(k, core.matrix_tile_k);
  const auto rate = core.matrix_macs_per_cycle.find(dtype);
  if (rate == core.matrix_macs_per_cycle.end() || rate->second <= 0)
    throw SemanticError(fmt::format("dot: the matrix unit of {} has no {} mode ({})",
                                    context_.pe().coord(), dtype, where()));
  spend(context_.pe().matrix_unit(), (padded + rate->second - 1) / rate->second, core.clock, "dot",
        stats_.matrix);
}

void Program::spend(sim::Resource& unit, std::int64_t cycles, base::Frequency clock,
                    std::string_view op, base::SimTime& tally) {
  if (cycles <= 0) return;
  const base::SimTime t =
      base::cycles_to_time(base::Cycles(static_cast<std::uint64_t>(cycles)), clock);
  const base::SimTime asked = context_.process().now();
  const base::SimTime began = unit.use(context_.process(), t);
  tally += t;
  stats_.wait += began - asked;  // queued behind another user of the unit
  hw::Pe& pe = context_.pe();
  if (pe.system().engine().trace_sink() != nullptr)
    pe.system().engine().trace_span(
        pe.trace_track(&unit == &pe.matrix_unit() ? hw::TrackKind::matrix : hw::TrackKind::vector),
        op, began, began + t);
}

std::shared_ptr<DmaRequest> Program::charge_dma(DmaDirection direction, std::string_view op,
                                                std::vector<DmaRun> runs) {
  std::int64_t bytes = 0;
  for (const DmaRun& r : runs) bytes += static_cast<std::int64_t>(r.size_bytes);
  if (direction != DmaDirection::write) work_.dma_read_bytes += bytes;
  if (direction != DmaDirection::read) work_.dma_write_bytes += bytes;
  work_.dma_runs += static_cast<std::int64_t>(runs.size());
  if (runs.empty()) return nullptr;
  retire_done();
  ++stats_.dma_requests;
  requests_.push_back(DmaRequest::start(*this, direction, op, std::move(runs)));
  stats_.tlb_lookups += requests_.back()->tlb_lookups();
  stats_.tlb_misses += requests_.back()->tlb_misses();
  return requests_.back();
}

const std::shared_ptr<const hw::Route>& Program::route(const mem::MemoryId& memory,
                                                       bool toward_tcm) {
  auto it = std::ranges::find(routes_, memory, &Routes::memory);
  if (it == routes_.end()) it = routes_.insert(routes_.end(), Routes{memory, nullptr, nullptr});
  std::shared_ptr<const hw::Route>& r = toward_tcm ? it->to_tcm : it->to_memory;
  if (r == nullptr) {
    const hw::Location tcm = hw::Location::memory(mem::MemoryId::tcm(context_.pe().coord()));
    const hw::Location far = hw::Location::memory(memory);
    const hw::Fabric& fabric = context_.pe().system().fabric();
    r = std::make_shared<const hw::Route>(toward_tcm ? fabric.route(far, tcm)
                                                     : fabric.route(tcm, far));
  }
  return r;
}

void Program::await(DmaRequest& request) {
  sim::Process& p = context_.process();
  const base::SimTime from = p.now();
  p.wait(request.done_event());
  stats_.wait += p.now() - from;
  sim::Engine& engine = context_.pe().system().engine();
  if (engine.trace_sink() != nullptr)  // the track's name is built only for a trace
    engine.trace_span(context_.pe().trace_track(hw::TrackKind::wait), "wait", from, p.now());
}

void Program::retire_done() {
  // Requests are issued in time order, so retiring from the front keeps the intervals sorted by
  // start and their union is one running sum.
  while (!requests_.empty() && requests_.front()->done()) {
    const DmaRequest& r = *requests_.front();
    const base::SimTime from = std::max(r.issued(), dma_covered_until_);
    if (r.finished() > from) stats_.dma += r.finished() - from;
    dma_covered_until_ = std::max(dma_covered_until_, r.finished());
    const base::SimTime translating = std::max(r.issued(), translation_covered_until_);
    if (r.translated() > translating) stats_.translation += r.translated() - translating;
    translation_covered_until_ = std::max(translation_covered_until_, r.translated());
    requests_.pop_front();
  }
}

void Program::finish() {
  while (!requests_.empty()) {
    if (!requests_.front()->done()) await(*requests_.front());
    retire_done();
  }
  for (const auto& e : held_)
    if (!e->triggered()) {
      const base::SimTime from = context_.process().now();
      context_.process().wait(*e);
      stats_.wait += context_.process().now() - from;
    }
  held_.clear();
  stats_.elapsed = context_.process().now() - start_;
}

void Program::hold(std::shared_ptr<sim::Event> done) {
  if (held_.size() >= 64)  // forget those already done, so a long program holds few
    std::erase_if(held_, [](const auto& e) { return e->triggered(); });
  held_.push_back(std::move(done));
}

ProgramStats Program::stats() const {
  ProgramStats s = stats_;
  s.tcm_peak_bytes = ledger_->peak_bytes();
  s.tlb_reach_bytes = context_.pe().mmu().tlb_reach().count();
  return s;
}

rt::KernelFn kernel(std::function<void(Program&)> body) {
  return [body = std::move(body)](rt::ProgramContext& context) {
    Program program(context);
    body(program);
    program.finish();
    context.record(program.stats());
  };
}

namespace detail {

Program* program_of(const Tile& a, const Tile* b, const Tile* c) {
  for (const Tile* t : {&a, b, c})
    if (t != nullptr && t->program() != nullptr) return t->program();
  return nullptr;
}

void charge_vector(Program* program, VectorClass cls, base::DType dtype, std::int64_t elements) {
  if (program != nullptr) program->charge_vector(cls, dtype, elements);
}

void charge_matrix(Program* program, base::DType dtype, std::int64_t batch, std::int64_t m,
                   std::int64_t n, std::int64_t k) {
  if (program != nullptr) program->charge_matrix(dtype, batch, m, n, k);
}

}  // namespace detail
}  // namespace kernbench::tl
