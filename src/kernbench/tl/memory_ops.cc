#include "kernbench/tl/memory_ops.h"

#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/hw/pe.h"
#include "kernbench/hw/system.h"
#include "kernbench/tl/creation.h"
#include "kernbench/tl/detail/memory_access.h"
#include "kernbench/tl/program.h"
#include "kernbench/tl/semantic_error.h"
#include "kernbench/tl/shape_ops.h"

namespace kernbench::tl {

namespace detail {

Program& program_of_pointer(const Tile& ptr, const char* op) {
  if (!ptr.is_pointer())
    throw SemanticError(fmt::format("{}: {} is not a pointer tile", op, ptr.describe()));
  if (ptr.program() == nullptr)
    throw SemanticError(fmt::format(
        "{}: pointer tile {} does not come from a program (build it from Program::pointer)", op,
        ptr.describe()));
  return *ptr.program();
}

std::optional<Tile> mask_for(const Tile* mask, const Tile& ptr, const char* op) {
  if (mask == nullptr) return std::nullopt;
  if (mask->dtype() != DType::boolean || mask->is_pointer())
    throw SemanticError(fmt::format("{}: mask must be bool, got {}", op, mask->describe()));
  check_broadcastable_to(mask->shape(), ptr.shape(), op, "mask");
  return broadcast_to(*mask, ptr.shape());
}

void RunPlanner::add(std::uint64_t va, std::uint64_t bytes, std::int64_t lane) {
  for (std::uint64_t done = 0; done < bytes;) {  // lanes may straddle mappings
    const mem::VirtAddr at(va + done);
    if (room_ > 0 && runs_.back().va.value() + runs_.back().size_bytes == at.value()) {
      const std::uint64_t take = std::min(room_, bytes - done);
      runs_.back().size_bytes += take;
      room_ -= take;
      done += take;
      continue;
    }
    const std::int64_t at_lane = lane + static_cast<std::int64_t>(done / eb_);
    if (at.value() - mapped_va_ >= mapped_bytes_) {  // outside the last translation's mapping
      const auto t = program_.context().pe().mmu().find_mapping(at);
      if (!t)
        throw base::AddressError(fmt::format("{}: {}: lane {} accesses {}, which is not mapped",
                                             op_, program_.where(), at_lane, at));
      mapped_va_ = at.value();
      mapped_bytes_ = t->contiguous.count();
      mapped_pa_ = t->pa;
    }
    const std::uint64_t into = at.value() - mapped_va_;
    const std::uint64_t contiguous = mapped_bytes_ - into;
    const std::uint64_t take = std::min(contiguous, bytes - done);
    runs_.push_back({at, mapped_pa_ + base::Bytes(into), take});
    first_lane_.push_back(at_lane);
    room_ = contiguous - take;
    done += take;
  }
}

std::vector<DmaRun> plan_runs(Program& program, const Tile& ptr, const std::optional<Tile>& mask,
                              const char* op, std::vector<std::int64_t>& first_lane) {
  ptr.require_data(op);  // an address computed from loaded data
  if (mask) mask->require_data(op);
  const std::uint64_t eb = base::size_bytes(ptr.dtype());
  const std::uint8_t* active = mask ? reinterpret_cast<const std::uint8_t*>(mask->data()) : nullptr;
  std::vector<DmaRun> runs;
  RunPlanner planner(program, op, eb, runs, first_lane);
  const std::byte* addresses = ptr.data();
  const std::int64_t lanes = ptr.numel();
  for (std::int64_t i = 0; i < lanes; ++i) {
    if (active != nullptr && active[i] == 0) {
      planner.gap();
      continue;
    }
    std::uint64_t va = 0;
    std::memcpy(&va, addresses + static_cast<std::size_t>(i) * sizeof va, sizeof va);
    planner.add(va, eb, i);
  }
  return runs;
}

// Calls fn(run, offset) for each run: a run's bytes sit in the tile where its first lane's element
// starts, or right after the previous run when that run ended inside the same element.
template <class Fn>
void for_each_run(const std::vector<DmaRun>& runs, const std::vector<std::int64_t>& first_lane,
                  std::uint64_t element_bytes, Fn fn) {
  std::uint64_t cursor = 0, lane_of_cursor = ~0ULL;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const auto lane = static_cast<std::uint64_t>(first_lane[r]);
    const std::uint64_t at = lane == lane_of_cursor ? cursor : lane * element_bytes;
    fn(runs[r], at);
    cursor = at + runs[r].size_bytes;
    lane_of_cursor = cursor / element_bytes;
  }
}

Tile load_planned(Program& program, const Shape& shape, DType dtype, const Operand* other,
                  const PlanFn& plan) {
  const bool timing_only = program.context().timing_only();
  // A data-less result (timing only) reads no byte: its buffer is not even zeroed unless read.
  Tile out =
      timing_only ? Tile::dataless(shape, dtype, &program) : Tile(shape, dtype, false, &program);
  if (other != nullptr) {
    const Tile o = other->is_weak() ? full(Shape{}, other->weak(), dtype) : other->tile().to(dtype);
    check_broadcastable_to(o.shape(), shape, "load", "other");
    if (!timing_only) {  // a data-less result has no padding to fill
      const Tile filled = broadcast_to(o, shape);
      std::memcpy(out.mutable_data(), filled.data(),
                  static_cast<std::size_t>(shape.numel()) * out.element_bytes());
    } else {
      o.wait_filled();  // as reading it would
    }
  }
  std::vector<std::int64_t> first_lane;
  std::vector<DmaRun> runs = plan(first_lane);
  if (!timing_only) {  // else the same runs are charged below, but no byte is read
    auto& bytes = program.context().pe().system().bytes();
    for_each_run(runs, first_lane, base::size_bytes(dtype),
                 [&](const DmaRun& run, std::uint64_t at) {
                   bytes.read(run.pa, std::span(out.mutable_data() + at, run.size_bytes));
                 });
  }
  out.arrives_with(program.charge_dma(DmaDirection::read, "load", std::move(runs)));
  return out;
}

Tile load_lanes(Program& program, const Tile& ptr, const Tile* mask, const Operand* other) {
  const std::optional<Tile> m = mask_for(mask, ptr, "load");
  return load_planned(program, ptr.shape(), ptr.dtype(), other,
                      [&](std::vector<std::int64_t>& first_lane) {
                        return plan_runs(program, ptr, m, "load", first_lane);
                      });
}

void store_planned(Program& program, const Shape& shape, DType dtype, const Operand& value,
                   const PlanFn& plan) {
  const Tile v = value.is_weak() ? full(Shape{}, value.weak(), dtype) : value.tile().to(dtype);
  check_broadcastable_to(v.shape(), shape, "store", "value");
  const Tile src = broadcast_to(v, shape);
  std::vector<std::int64_t> first_lane;
  std::vector<DmaRun> runs = plan(first_lane);
  if (src.has_data()) {  // a data-less value is charged the same but writes no byte
    auto& bytes = program.context().pe().system().bytes();
    for_each_run(runs, first_lane, base::size_bytes(dtype),
                 [&](const DmaRun& run, std::uint64_t at) {
                   bytes.write(run.pa, std::span(src.data() + at, run.size_bytes));
                 });
  } else if (!runs.empty()) {
    src.wait_filled();  // as reading it for the first run would
  }
  program.charge_dma(DmaDirection::write, "store", std::move(runs));
}

void store_lanes(Program& program, const Tile& ptr, const Operand& value, const Tile* mask) {
  const std::optional<Tile> m = mask_for(mask, ptr, "store");
  store_planned(program, ptr.shape(), ptr.dtype(), value,
                [&](std::vector<std::int64_t>& first_lane) {
                  return plan_runs(program, ptr, m, "store", first_lane);
                });
}

}  // namespace detail

namespace {

Tile load_impl(const Tile& ptr, const Tile* mask, const Operand* other) {
  return detail::load_lanes(detail::program_of_pointer(ptr, "load"), ptr, mask, other);
}

void store_impl(const Tile& ptr, const Operand& value, const Tile* mask) {
  detail::store_lanes(detail::program_of_pointer(ptr, "store"), ptr, value, mask);
}

}  // namespace

Tile load(const Tile& ptr) { return load_impl(ptr, nullptr, nullptr); }
Tile load(const Tile& ptr, const Tile& mask) { return load_impl(ptr, &mask, nullptr); }
Tile load(const Tile& ptr, const Tile& mask, const Operand& other) {
  return load_impl(ptr, &mask, &other);
}
void store(const Tile& ptr, const Operand& value) { store_impl(ptr, value, nullptr); }
void store(const Tile& ptr, const Operand& value, const Tile& mask) {
  store_impl(ptr, value, &mask);
}

}  // namespace kernbench::tl
