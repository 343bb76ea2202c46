#include "kernbench/tl/typed_kernel.h"

#include <limits>
#include <variant>

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::tl::detail {

namespace {

std::string param_name(Param param) {
  switch (param.kind) {
    case ParamKind::pointer:
      return param.dtype ? fmt::format("tl::PointerTo<{}>", *param.dtype) : "tl::Pointer";
    case ParamKind::i32: return "std::int32_t";
    case ParamKind::i64: return "std::int64_t";
    case ParamKind::f32: return "float";
    case ParamKind::f64: return "double";
    case ParamKind::boolean: return "bool";
    case ParamKind::scalar_tile: return "tl::Tile";
  }
  return "?";
}

std::string passed(const rt::KernelArg& arg) {
  if (const auto* t = std::get_if<rt::TensorArg>(&arg))
    return fmt::format("tensor '{}' of {}", t->name, t->dtype);
  const auto& s = std::get<rt::ScalarArg>(arg);
  return std::visit([&](auto v) { return fmt::format("{} scalar {}", s.dtype, v); }, s.value);
}

// Whether `arg` suits `param`; `why` says what it must be otherwise.
bool suits(const rt::KernelArg& arg, Param param, std::string& why) {
  const auto* t = std::get_if<rt::TensorArg>(&arg);
  const auto* s = std::get_if<rt::ScalarArg>(&arg);
  switch (param.kind) {
    case ParamKind::pointer:
      why = param.dtype ? fmt::format("a tensor of {}", *param.dtype) : "a tensor";
      return t != nullptr && (!param.dtype || t->dtype == *param.dtype);
    case ParamKind::i32:
    case ParamKind::i64: {
      why = param.kind == ParamKind::i32 ? "an integer scalar that fits i32" : "an integer scalar";
      const auto* v = s != nullptr ? std::get_if<std::int64_t>(&s->value) : nullptr;
      if (v == nullptr) return false;
      return param.kind == ParamKind::i64 || (*v >= std::numeric_limits<std::int32_t>::min() &&
                                              *v <= std::numeric_limits<std::int32_t>::max());
    }
    case ParamKind::f32:
    case ParamKind::f64:
      why = "a floating-point scalar";
      return s != nullptr && std::holds_alternative<double>(s->value);
    case ParamKind::boolean:
      why = "a bool scalar";
      return s != nullptr && std::holds_alternative<bool>(s->value);
    case ParamKind::scalar_tile: why = "a scalar"; return s != nullptr;
  }
  return false;
}

}  // namespace

void check_argument(Program& p, std::size_t i, Param param, std::size_t count) {
  const auto args = p.context().args();
  if (args.size() != count)
    throw base::ShapeError(fmt::format("kernel '{}' takes {} arguments, got {}",
                                       p.context().kernel(), count, args.size()));
  std::string why;
  if (!suits(args[i], param, why))
    throw base::ShapeError(fmt::format("kernel '{}': argument {} ({}) must be {}, got {}",
                                       p.context().kernel(), i, param_name(param), why,
                                       passed(args[i])));
}

Pointer bind_pointer(Program& p, std::size_t i) { return Pointer(p.pointer(i), p.tensor(i)); }

std::int64_t bind_integer(Program& p, std::size_t i) {
  return std::get<std::int64_t>(std::get<rt::ScalarArg>(p.context().args()[i]).value);
}

double bind_floating(Program& p, std::size_t i) {
  return std::get<double>(std::get<rt::ScalarArg>(p.context().args()[i]).value);
}

bool bind_boolean(Program& p, std::size_t i) {
  return std::get<bool>(std::get<rt::ScalarArg>(p.context().args()[i]).value);
}

}  // namespace kernbench::tl::detail
