// kernbench.language's core: the tl ops on tiles for kernels written in Python with Triton's
// syntax. A Python kernel's program runs through a sim::ProcessSwitcher (language_launch.cc);
// each op is carried out on the program's fiber by the same C++ tl function a C++ kernel calls,
// so it computes and charges the PE exactly as there.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "program_run.h"

#include "kernbench/base/error.h"
#include "kernbench/tl/tl.h"

namespace kernbench::python {
namespace {

tl::Shape to_tile_shape(py::handle shape) {
  if (py::isinstance<py::int_>(shape)) return tl::Shape{shape.cast<std::int64_t>()};
  std::vector<std::int64_t> dims;
  for (py::handle d : py::iter(shape))
    dims.push_back(py::int_(py::reinterpret_borrow<py::object>(d)).cast<std::int64_t>());
  return tl::Shape(dims);
}

std::optional<int> to_axis(const py::object& axis) {
  if (axis.is_none()) return std::nullopt;
  return axis.cast<int>();
}

std::optional<tl::DType> to_optional_dtype(const py::object& dtype) {
  if (dtype.is_none()) return std::nullopt;
  return to_dtype(dtype);
}

tl::KeepDims keep(bool keep_dims) { return keep_dims ? tl::KeepDims::yes : tl::KeepDims::no; }

/// A binary op: on the program's thread when it charges nothing (index arithmetic on aranges
/// and literals), else on the fiber.
PyTile run_binary(const char* op, tl::BinaryOp code, const PyOperand& x, const PyOperand& y) {
  const auto compute = [&] { return tl::binary(code, x.get(), y.get()); };
  if (x.charges_nothing() && y.charges_nothing()) return on_thread(op, compute);
  return on_fiber(op, compute);
}

/// Binds a binary operator and its reflected form (`3 - x` is __rsub__(x, 3)).
void def_binary(py::class_<PyTile>& cls, const char* name, const char* reflected, const char* op,
                tl::BinaryOp code) {
  cls.def(name, [op, code](const PyTile& a, py::handle b) {
    const PyOperand x(a, op), y(b, op);
    return run_binary(op, code, x, y);
  });
  if (reflected == nullptr) return;
  cls.def(reflected, [op, code](const PyTile& a, py::handle b) {
    const PyOperand x(b, op), y(a, op);
    return run_binary(op, code, x, y);
  });
}

/// x[None, :], x[:, None]: None inserts a size-1 dim, `:` keeps one (Triton allows nothing else).
PyTile index(const PyTile& self, py::handle key) {
  const tl::Tile& x = tile_of(self, "index");
  const py::tuple entries =
      py::isinstance<py::tuple>(key) ? py::reinterpret_borrow<py::tuple>(key) : py::make_tuple(key);
  std::vector<int> inserted;
  int kept = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const py::handle e = entries[i];
    const bool full_slice = py::isinstance<py::slice>(e) && e.attr("start").is_none() &&
                            e.attr("stop").is_none() && e.attr("step").is_none();
    if (e.is_none())
      inserted.push_back(static_cast<int>(i));
    else if (full_slice)
      ++kept;
    else
      throw tl::SemanticError(fmt::format(
          "tl.index: {} index entry {} is {}; only None (a new dim) and : (keep a dim) are allowed",
          x.describe(), i, py::repr(e).cast<std::string>()));
  }
  if (kept != x.rank())
    throw base::ShapeError(
        fmt::format("tl.index: {} has rank {} but the index keeps {} dims (one : per dim)",
                    x.describe(), x.rank(), kept));
  return on_thread("index", [&] {  // views: nothing charged
    tl::Tile out = x;
    for (const int axis : inserted) out = tl::expand_dims(out, axis);
    return out;
  });
}

std::int64_t item(const PyTile& x) {
  const tl::Tile& t = tile_of(x, "item");
  std::int64_t out = 0;
  if (t.in_flight())
    on_fiber_void("item", [&] { out = t.item(); });  // waits for the load
  else
    out = on_thread("item", [&] { return t.item(); });
  return out;
}

void bind_tile(py::module_& m) {
  py::class_<PyTile> cls(m, "tensor", "A tile of a Python kernel's program (kernbench.language).");
  const struct {
    const char* name;
    const char* reflected;
    const char* op;
    tl::BinaryOp code;
  } binaries[] = {
      {"__add__", "__radd__", "add", tl::BinaryOp::add},
      {"__sub__", "__rsub__", "sub", tl::BinaryOp::sub},
      {"__mul__", "__rmul__", "mul", tl::BinaryOp::mul},
      {"__truediv__", "__rtruediv__", "truediv", tl::BinaryOp::truediv},
      {"__floordiv__", "__rfloordiv__", "floordiv", tl::BinaryOp::floordiv},
      {"__mod__", "__rmod__", "mod", tl::BinaryOp::mod},
      {"__and__", "__rand__", "and", tl::BinaryOp::bit_and},
      {"__or__", "__ror__", "or", tl::BinaryOp::bit_or},
      {"__xor__", "__rxor__", "xor", tl::BinaryOp::bit_xor},
      {"__lshift__", "__rlshift__", "lshift", tl::BinaryOp::shl},
      {"__rshift__", "__rrshift__", "rshift", tl::BinaryOp::shr},
      {"__lt__", nullptr, "lt", tl::BinaryOp::lt},
      {"__le__", nullptr, "le", tl::BinaryOp::le},
      {"__gt__", nullptr, "gt", tl::BinaryOp::gt},
      {"__ge__", nullptr, "ge", tl::BinaryOp::ge},
      {"__eq__", nullptr, "eq", tl::BinaryOp::eq},
      {"__ne__", nullptr, "ne", tl::BinaryOp::ne},
  };
  for (const auto& b : binaries) def_binary(cls, b.name, b.reflected, b.op, b.code);
  cls.attr("__hash__") = py::none();
  cls.def("__neg__",
          [](const PyTile& x) {
            const tl::Tile& t = tile_of(x, "neg");
            return on_fiber("neg", [&] { return -t; });
          })
      .def("__pos__", [](const PyTile& x) { return x; })
      .def("__invert__",
           [](const PyTile& x) {
             const tl::Tile& t = tile_of(x, "invert");
             return on_fiber("invert", [&] { return ~t; });
           })
      .def("__getitem__", &index)
      .def(
          "to",
          [](const PyTile& x, py::object dtype, bool bitcast) {
            const tl::Tile& t = tile_of(x, "to");
            const tl::DType d = to_dtype(dtype);
            return on_fiber("to", [&] { return bitcast ? t.bitcast(d) : t.to(d); });
          },
          py::arg("dtype"), py::arg("bitcast") = false)
      .def_property_readonly("T",
                             [](const PyTile& x) {
                               const tl::Tile& t = tile_of(x, "trans");
                               return on_fiber("trans", [&] { return tl::trans(t); });
                             })
      .def_property_readonly("dtype", [](const PyTile& x) { return x.tile.dtype(); })
      .def_property_readonly("shape",
                             [](const PyTile& x) {
                               const auto& s = x.tile.shape();
                               py::list dims;
                               for (int i = 0; i < s.rank(); ++i) dims.append(s[i]);
                               return py::tuple(dims);
                             })
      .def_property_readonly("numel", [](const PyTile& x) { return x.tile.numel(); })
      .def_property_readonly("is_pointer", [](const PyTile& x) { return x.tile.is_pointer(); })
      .def("__index__", [](const PyTile& x) { return item(x); })
      .def("__int__", [](const PyTile& x) { return item(x); })
      .def("__bool__",
           [](const PyTile& x) {
             const tl::Tile& t = tile_of(x, "bool");
             bool out = false;
             if (t.in_flight())
               on_fiber_void("bool", [&] { out = static_cast<bool>(t); });
             else
               out = on_thread("bool", [&] { return static_cast<bool>(t); });
             return out;
           })
      .def("__float__",
           [](const PyTile& x) {
             const tl::Tile& t = tile_of(x, "float");
             double out = 0;
             if (t.in_flight())
               on_fiber_void("float", [&] { out = t.item_double(); });
             else
               out = on_thread("float", [&] { return t.item_double(); });
             return out;
           })
      .def("__repr__", [](const PyTile& x) {
        return fmt::format("<kernbench.language.tensor {}>", x.tile.describe());
      });
}

PyTile unary(py::handle x, const char* op, tl::Tile (*fn)(const tl::Tile&)) {
  const tl::Tile& t = need_tile(x, op, "x");
  return on_fiber(op, [&] { return fn(t); });
}

void bind_creation(py::module_& m) {
  m.def(
       "program_id",
       [](int axis) {
         tl::Program& p = current("program_id").program;  // the thread's, read here
         return on_thread("program_id", [&] { return p.program_id(axis); });
       },
       py::arg("axis"))
      .def(
          "num_programs",
          [](int axis) {
            tl::Program& p = current("num_programs").program;
            return on_thread("num_programs", [&] { return p.num_programs(axis); });
          },
          py::arg("axis"))
      .def(
          "arange",
          [](std::int64_t start, std::int64_t end) {
            return on_thread("arange", [&] { return tl::arange(start, end); });
          },
          py::arg("start"), py::arg("end"))
      .def(
          "full",
          [](py::object shape, py::handle value, py::object dtype) {
            const tl::Shape s = to_tile_shape(shape);
            const tl::DType d = to_dtype(dtype);
            const PyOperand v(value, "full");
            if (!v.get().is_weak())
              throw tl::SemanticError("tl.full: the value must be a Python bool, int or float");
            return on_thread("full", [&] { return tl::full(s, v.get().weak(), d); });
          },
          py::arg("shape"), py::arg("value"), py::arg("dtype"))
      .def(
          "zeros",
          [](py::object shape, py::object dtype) {
            const tl::Shape s = to_tile_shape(shape);
            const tl::DType d = to_dtype(dtype);
            return on_thread("zeros", [&] { return tl::zeros(s, d); });
          },
          py::arg("shape"), py::arg("dtype"))
      .def(
          "zeros_like",
          [](py::handle x) {
            const tl::Tile& t = need_tile(x, "zeros_like", "input");
            return on_fiber("zeros_like", [&] { return tl::zeros_like(t); });
          },
          py::arg("input"));
}

void bind_memory(py::module_& m) {
  m.def(
       "load",
       [](py::handle pointer, py::handle mask, py::handle other) {
         const tl::Tile& p = need_tile(pointer, "load", "pointer");
         const tl::Tile* k = mask.is_none() ? nullptr : &need_tile(mask, "load", "mask");
         const std::optional<PyOperand> o =
             other.is_none() ? std::nullopt : std::make_optional<PyOperand>(other, "load");
         return on_fiber("load", [&] {
           if (k == nullptr) return tl::load(p);
           return o ? tl::load(p, *k, o->get()) : tl::load(p, *k);
         });
       },
       py::arg("pointer"), py::arg("mask") = py::none(), py::arg("other") = py::none())
      .def(
          "store",
          [](py::handle pointer, py::handle value, py::handle mask) {
            const tl::Tile& p = need_tile(pointer, "store", "pointer");
            const PyOperand v(value, "store");
            const tl::Tile* k = mask.is_none() ? nullptr : &need_tile(mask, "store", "mask");
            on_fiber_void("store", [&] {
              if (k == nullptr)
                tl::store(p, v.get());
              else
                tl::store(p, v.get(), *k);
            });
          },
          py::arg("pointer"), py::arg("value"), py::arg("mask") = py::none());
}

void bind_math(py::module_& m) {
  const struct {
    const char* name;
    tl::Tile (*fn)(const tl::Tile&);
  } unaries[] = {{"exp", &tl::exp},   {"exp2", &tl::exp2},       {"log", &tl::log},
                 {"log2", &tl::log2}, {"sqrt", &tl::sqrt},       {"rsqrt", &tl::rsqrt},
                 {"abs", &tl::abs},   {"sigmoid", &tl::sigmoid}, {"ravel", &tl::ravel}};
  for (const auto& u : unaries)
    m.def(
        u.name, [name = u.name, fn = u.fn](py::handle x) { return unary(x, name, fn); },
        py::arg("x"));
  m.def(
       "where",
       [](py::handle c, py::handle x, py::handle y) {
         const PyOperand a(c, "where"), b(x, "where"), d(y, "where");
         return on_fiber("where", [&] { return tl::where(a.get(), b.get(), d.get()); });
       },
       py::arg("condition"), py::arg("x"), py::arg("y"))
      .def(
          "fma",
          [](py::handle x, py::handle y, py::handle z) {
            const PyOperand a(x, "fma"), b(y, "fma"), c(z, "fma");
            return on_fiber("fma", [&] { return tl::fma(a.get(), b.get(), c.get()); });
          },
          py::arg("x"), py::arg("y"), py::arg("z"));
  for (const bool is_max : {false, true})
    m.def(
        is_max ? "maximum" : "minimum",
        [is_max](py::handle x, py::handle y, bool propagate_nan) {
          const char* op = is_max ? "maximum" : "minimum";
          const PyOperand a(x, op), b(y, op);
          const auto nan = propagate_nan ? tl::PropagateNan::all : tl::PropagateNan::none;
          return on_fiber(op, [&] {
            return is_max ? tl::maximum(a.get(), b.get(), nan) : tl::minimum(a.get(), b.get(), nan);
          });
        },
        py::arg("x"), py::arg("y"), py::arg("propagate_nan") = false);
  m.def(
       "clamp",
       [](py::handle x, py::handle lo, py::handle hi, bool propagate_nan) {
         const PyOperand a(x, "clamp"), b(lo, "clamp"), c(hi, "clamp");
         const auto nan = propagate_nan ? tl::PropagateNan::all : tl::PropagateNan::none;
         return on_fiber("clamp", [&] { return tl::clamp(a.get(), b.get(), c.get(), nan); });
       },
       py::arg("x"), py::arg("min"), py::arg("max"), py::arg("propagate_nan") = false)
      .def(
          "assume",
          [](py::handle cond, const std::string& message) {
            const tl::Tile& c = need_tile(cond, "assume", "cond");
            on_fiber_void("assume", [&] { tl::assume(c, message); });
          },
          py::arg("cond"), py::arg("message"));
  m.def(
      "cdiv",
      [](py::handle x, py::handle d) {
        const PyOperand a(x, "cdiv"), b(d, "cdiv");
        return on_fiber("cdiv", [&] { return tl::cdiv(a.get(), b.get()); });
      },
      py::arg("x"), py::arg("div"));
}

void bind_reductions(py::module_& m) {
  m.def(
       "sum",
       [](py::handle x, py::object axis, bool keep_dims, py::object dtype) {
         const tl::Tile& t = need_tile(x, "sum", "input");
         const auto a = to_axis(axis);
         const auto d = to_optional_dtype(dtype);
         return on_fiber("sum", [&] { return tl::sum(t, a, keep(keep_dims), d); });
       },
       py::arg("input"), py::arg("axis") = py::none(), py::arg("keep_dims") = false,
       py::arg("dtype") = py::none())
      .def(
          "cumsum",
          [](py::handle x, int axis, bool reverse, py::object dtype) {
            const tl::Tile& t = need_tile(x, "cumsum", "input");
            const auto d = to_optional_dtype(dtype);
            return on_fiber("cumsum", [&] { return tl::cumsum(t, axis, reverse, d); });
          },
          py::arg("input"), py::arg("axis") = 0, py::arg("reverse") = false,
          py::arg("dtype") = py::none());
  for (const bool is_max : {false, true}) {
    m.def(
        is_max ? "max" : "min",
        [is_max](py::handle x, py::object axis, bool keep_dims) {
          const char* op = is_max ? "max" : "min";
          const tl::Tile& t = need_tile(x, op, "input");
          const auto a = to_axis(axis);
          return on_fiber(op, [&] {
            return is_max ? tl::max(t, a, keep(keep_dims)) : tl::min(t, a, keep(keep_dims));
          });
        },
        py::arg("input"), py::arg("axis") = py::none(), py::arg("keep_dims") = false);
    m.def(
        is_max ? "max_with_indices" : "min_with_indices",
        [is_max](py::handle x, py::object axis, bool keep_dims) {
          const char* op = is_max ? "max" : "min";
          const tl::Tile& t = need_tile(x, op, "input");
          const auto a = to_axis(axis);
          std::optional<std::pair<tl::Tile, tl::Tile>> out;
          run_op(current(op), op, [&] {
            out = is_max ? tl::max_with_indices(t, a, keep(keep_dims))
                         : tl::min_with_indices(t, a, keep(keep_dims));
          });
          return py::make_tuple(wrap(std::move(out->first)), wrap(std::move(out->second)));
        },
        py::arg("input"), py::arg("axis") = py::none(), py::arg("keep_dims") = false);
    m.def(
        is_max ? "argmax" : "argmin",
        [is_max](py::handle x, int axis, bool keep_dims) {
          const char* op = is_max ? "argmax" : "argmin";
          const tl::Tile& t = need_tile(x, op, "input");
          return on_fiber(op, [&] {
            return is_max ? tl::argmax(t, axis, keep(keep_dims))
                          : tl::argmin(t, axis, keep(keep_dims));
          });
        },
        py::arg("input"), py::arg("axis"), py::arg("keep_dims") = false);
  }
  m.def(
      "dot",
      [](py::handle a, py::handle b, py::handle acc, const std::string& precision,
         py::object out_dtype) {
        const tl::Tile& x = need_tile(a, "dot", "input");
        const tl::Tile& y = need_tile(b, "dot", "other");
        const tl::Tile* c = acc.is_none() ? nullptr : &need_tile(acc, "dot", "acc");
        if (precision != "ieee" && precision != "tf32")
          throw tl::SemanticError(
              fmt::format("tl.dot: input_precision '{}' is not one of ieee, tf32", precision));
        const auto p = precision == "tf32" ? tl::InputPrecision::tf32 : tl::InputPrecision::ieee;
        const tl::DType d = to_dtype(out_dtype);
        return on_fiber("dot", [&] {
          return tl::dot(x, y, c != nullptr ? std::optional<tl::Tile>(*c) : std::nullopt, p, d);
        });
      },
      py::arg("input"), py::arg("other"), py::arg("acc") = py::none(),
      py::arg("input_precision") = "ieee", py::arg("out_dtype") = base::DType::f32);
}

void bind_shape_ops(py::module_& m) {
  m.def(
       "reshape",
       [](py::handle x, py::object shape) {
         const tl::Tile& t = need_tile(x, "reshape", "input");
         const tl::Shape s = to_tile_shape(shape);
         return on_thread("reshape", [&] { return tl::reshape(t, s); });
       },
       py::arg("input"), py::arg("shape"))
      .def(
          "permute",
          [](py::handle x, std::vector<int> dims) {
            const tl::Tile& t = need_tile(x, "permute", "input");
            return on_fiber("permute", [&] { return tl::permute(t, dims); });
          },
          py::arg("input"), py::arg("dims"))
      .def(
          "trans",
          [](py::handle x) {
            const tl::Tile& t = need_tile(x, "trans", "input");
            return on_fiber("trans", [&] { return tl::trans(t); });
          },
          py::arg("input"))
      .def(
          "broadcast_to",
          [](py::handle x, py::object shape) {
            const tl::Tile& t = need_tile(x, "broadcast_to", "input");
            const tl::Shape s = to_tile_shape(shape);
            return on_fiber("broadcast_to", [&] { return tl::broadcast_to(t, s); });
          },
          py::arg("input"), py::arg("shape"))
      .def(
          "expand_dims",
          [](py::handle x, int axis) {
            const tl::Tile& t = need_tile(x, "expand_dims", "input");
            return on_thread("expand_dims", [&] { return tl::expand_dims(t, axis); });
          },
          py::arg("input"), py::arg("axis"));
}

}  // namespace

bool in_kernel_program() { return t_current != nullptr; }

void bind_language(py::module_& parent) {
  py::module_ m = parent.def_submodule("language", "kernbench.language's C++ side.");
  bind_tile(m);
  bind_creation(m);
  bind_memory(m);
  bind_math(m);
  bind_reductions(m);
  bind_shape_ops(m);
  bind_language_launch(m);
  m.def(
      "failed_op",
      [] {
        if (t_current == nullptr) return std::string();
        return std::exchange(t_current->failed_op, std::string());
      },
      "The op whose call failed last in the calling program, forgotten once read ('' if none).");
}

}  // namespace kernbench::python
