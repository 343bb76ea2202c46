#include "kernbench/tl/tile.h"

#include <cstring>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"
#include "kernbench/tl/detail/convert.h"
#include "kernbench/tl/dma_request.h"
#include "kernbench/tl/program.h"
#include "kernbench/tl/semantic_error.h"
#include "kernbench/tl/tcm_ledger.h"

namespace kernbench::tl {

namespace {
std::size_t storage_bytes(const Shape& shape, DType dtype, bool pointer) {
  const std::size_t each = pointer ? sizeof(std::uint64_t) : base::size_bytes(dtype);
  return static_cast<std::size_t>(shape.numel()) * each;
}

template <class V>
Tile from_host(Shape shape, DType dtype, std::span<const V> values, const char* op) {
  if (static_cast<std::int64_t>(values.size()) != shape.numel())
    throw base::ShapeError(fmt::format("{}: {} values for shape {} ({} elements)", op,
                                       values.size(), shape, shape.numel()));
  Tile t(shape, dtype);
  detail::dispatch(dtype, [&](auto e) {
    using E = decltype(e);
    auto* out = reinterpret_cast<typename E::Storage*>(t.mutable_data());
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = detail::convert<E>(values[i]);
  });
  return t;
}
}  // namespace

Tile::Tile() : Tile(Shape{}, DType::i32) {}

Tile::Tile(Shape shape, DType dtype, bool pointer, Program* program)
    : Tile(detail::kUninitialized, shape, dtype, pointer, program) {
  std::memset(data_->bytes(), 0, data_->size_bytes);
}

Tile::Tile(detail::Uninitialized, Shape shape, DType dtype, bool pointer, Program* program)
    : shape_(shape),
      dtype_(dtype),
      pointer_(pointer),
      program_(program),
      data_(detail::BufferRef::allocate(storage_bytes(shape, dtype, pointer))) {
  count_in(program);
}

Tile Tile::dataless(Shape shape, DType dtype, Program* program) {
  Tile t(detail::kUninitialized, shape, dtype, false, program);
  t.drop_elements();
  return t;
}

void Tile::count_in(Program* program) {
  if (program == nullptr || data_->ledger != nullptr) return;
  program->tcm_ledger()->add(data_->size_bytes);
  data_->ledger = program->tcm_ledger();
}

void Tile::arrives_with(std::shared_ptr<DmaRequest> request) {
  if (request != nullptr && !request->done()) data_->pending = std::move(request);
}

bool Tile::in_flight() const { return data_->pending != nullptr && !data_->pending->done(); }

void Tile::await_pending() const {
  DmaRequest& r = *data_->pending;
  if (!r.done()) {
    KB_ASSERT(r.issuer() != nullptr, "a tile still in flight is read after its program ended");
    r.issuer()->await(r);
  }
  data_->pending.reset();
}

void Tile::settle() const {
  if (data_->pending != nullptr) await_pending();
  if (data_->zero_on_read) {  // a data-less tile's elements read as zeros
    std::memset(data_->bytes(), 0, data_->size_bytes);
    data_->zero_on_read = false;
  }
}

void Tile::throw_needs_data(std::string_view op) const {
  const std::string where =
      program_ != nullptr ? program_->where() : std::string("a tile outside any program");
  throw NeedsDataError(fmt::format(
      "{}: {}: {} was computed from loaded data, which a timing-only run does not compute; the "
      "kernel needs data: run without --timing-only",
      where, op, describe()));
}

Tile Tile::from_doubles(Shape shape, DType dtype, std::span<const double> values) {
  return from_host(shape, dtype, values, "from_doubles");
}

Tile Tile::from_ints(Shape shape, DType dtype, std::span<const std::int64_t> values) {
  return from_host(shape, dtype, values, "from_ints");
}

std::size_t Tile::element_bytes() const {
  return pointer_ ? sizeof(std::uint64_t) : base::size_bytes(dtype_);
}

std::string Tile::describe() const {
  return fmt::format("{}{}{}", pointer_ ? "*" : "", dtype_, shape_);
}

double Tile::value(std::int64_t flat) const {
  if (pointer_) return static_cast<double>(address(flat));
  return detail::dispatch(dtype_, [&](auto e) -> double {
    using E = decltype(e);
    return static_cast<double>(E::load(reinterpret_cast<const typename E::Storage*>(data())[flat]));
  });
}

std::int64_t Tile::int_value(std::int64_t flat) const {
  if (pointer_) return static_cast<std::int64_t>(address(flat));
  return detail::dispatch(dtype_, [&](auto e) -> std::int64_t {
    using E = decltype(e);
    const auto v = E::load(reinterpret_cast<const typename E::Storage*>(data())[flat]);
    return detail::convert<detail::Elem<DType::i64>>(v);
  });
}

std::uint64_t Tile::address(std::int64_t flat) const {
  std::uint64_t a = 0;
  std::memcpy(&a, data() + static_cast<std::size_t>(flat) * sizeof a, sizeof a);
  return a;
}

std::vector<double> Tile::values() const {
  require_data("values");
  std::vector<double> v(static_cast<std::size_t>(numel()));
  for (std::int64_t i = 0; i < numel(); ++i) v[static_cast<std::size_t>(i)] = value(i);
  return v;
}

std::vector<std::int64_t> Tile::int_values() const {
  require_data("int_values");
  std::vector<std::int64_t> v(static_cast<std::size_t>(numel()));
  for (std::int64_t i = 0; i < numel(); ++i) v[static_cast<std::size_t>(i)] = int_value(i);
  return v;
}

Tile::operator bool() const {
  if (rank() != 0)
    throw base::ShapeError(fmt::format(
        "the truth value of a block {} is ambiguous: only scalars (rank 0) convert to bool",
        describe()));
  require_data("if (a scalar used as a condition)");
  return value(0) != 0.0;
}

std::int64_t Tile::item() const {
  if (rank() != 0)
    throw base::ShapeError(fmt::format("item: {} is not a scalar (rank 0)", describe()));
  require_data("item");
  return int_value(0);
}

double Tile::item_double() const {
  if (rank() != 0)
    throw base::ShapeError(fmt::format("item_double: {} is not a scalar (rank 0)", describe()));
  require_data("item_double");
  return value(0);
}

Tile Tile::with_program(Program* program) const {
  Tile t = *this;
  t.program_ = program;
  t.count_in(program);
  return t;
}

Tile Tile::reshaped(Shape shape) const {
  if (shape.numel() != numel())
    throw base::ShapeError(
        fmt::format("reshape: cannot view {} as {} (element counts differ)", describe(), shape));
  Tile t = *this;
  t.shape_ = shape;
  return t;
}

}  // namespace kernbench::tl
