// kernbench.language's core: the tl ops on tiles for kernels written in Python with Triton's
// syntax. A Python kernel's program runs on an OS thread of its own (RankThread, as a rank's
// code does) while its process keeps the fiber; each op is carried out on the fiber by the same C++
// tl function a C++ kernel calls, so it computes and charges the PE exactly as there.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "rank_thread.h"
#include "tutorial_twins.h"

#include "kernbench/base/error.h"
#include "kernbench/hw/pe.h"
#include "kernbench/tl/tl.h"

namespace kernbench::python {
namespace {

/// One program of a Python kernel as its thread sees it.
struct ProgramRun {
  ProgramRun(tl::Program& p, RankThread& t) : program(p), thread(t) {}
  tl::Program& program;
  RankThread& thread;
  std::string op;  // the op entered last: the one that failed, when one fails
  std::shared_ptr<const int> alive = std::make_shared<const int>(0);  // its tiles' owner
};

// The program the calling thread runs. Triton's ops take no program argument, and a program's
// thread runs nothing else, so the thread names it (set only while the program's code runs).
thread_local ProgramRun* t_current = nullptr;

class CurrentProgram {
 public:
  explicit CurrentProgram(ProgramRun& run) { t_current = &run; }
  CurrentProgram(const CurrentProgram&) = delete;
  CurrentProgram& operator=(const CurrentProgram&) = delete;
  ~CurrentProgram() { t_current = nullptr; }
};

/// A tile as Python holds it; `owner` expires when the program that computed it ends, so a tile
/// kept past its program is an error, not a dangling program.
struct PyTile {
  tl::Tile tile;
  std::weak_ptr<const int> owner;
};

ProgramRun& current(std::string_view op) {
  if (t_current == nullptr)
    throw base::Error(
        fmt::format("tl.{}: called outside a kernel's program (kernbench.language ops run inside a "
                    "@kernbench.jit kernel launched as kernel[grid](...))",
                    op));
  t_current->op = op;
  return *t_current;
}

const tl::Tile& tile_of(const PyTile& t, std::string_view op) {
  const ProgramRun& run = current(op);
  if (t.tile.program() != nullptr && t.owner.lock() != run.alive)
    throw base::Error(fmt::format(
        "tl.{}: operand {} was computed in another program (a tile lives in its own program)", op,
        t.tile.describe()));
  return t.tile;
}

PyTile wrap(tl::Tile t) { return {std::move(t), t_current->alive}; }

/// Runs `f` on the program's fiber (where it may block on DMA and units) and returns its tile.
template <class F>
PyTile on_fiber(std::string_view op, F&& f) {
  ProgramRun& run = current(op);
  std::optional<tl::Tile> out;
  run.thread.on_fiber([&] { out = f(); });
  return wrap(std::move(*out));
}

template <class F>
void on_fiber_void(std::string_view op, F&& f) {
  current(op).thread.on_fiber(f);
}

/// An operand of an element-wise op: a tile, or a Python bool / int / float (a weak number).
class PyOperand {
 public:
  PyOperand(const PyTile& t, std::string_view op) : tile_(&tile_of(t, op)) {}
  PyOperand(py::handle v, std::string_view op) {
    if (py::isinstance<PyTile>(v)) {
      tile_ = &tile_of(v.cast<const PyTile&>(), op);
    } else if (py::isinstance<py::bool_>(v)) {
      weak_ = tl::Operand(v.cast<bool>());
    } else if (py::isinstance<py::int_>(v)) {
      try {
        weak_ = tl::Operand(v.cast<std::int64_t>());
      } catch (const py::cast_error&) {
        throw tl::SemanticError(fmt::format("tl.{}: the literal {} does not fit in 64 bits", op,
                                            py::repr(v).cast<std::string>()));
      }
    } else if (py::isinstance<py::float_>(v)) {
      weak_ = tl::Operand(v.cast<double>());
    } else {
      throw tl::SemanticError(fmt::format("tl.{}: operand {} is not a tile, bool, int or float", op,
                                          py::repr(v).cast<std::string>()));
    }
  }
  tl::Operand get() const { return tile_ != nullptr ? tl::Operand(*tile_) : *weak_; }

 private:
  const tl::Tile* tile_ = nullptr;
  std::optional<tl::Operand> weak_;
};

const tl::Tile& need_tile(py::handle v, std::string_view op, const char* what) {
  if (!py::isinstance<PyTile>(v))
    throw tl::SemanticError(
        fmt::format("tl.{}: {} must be a tile, not {}", op, what, py::repr(v).cast<std::string>()));
  return tile_of(v.cast<const PyTile&>(), op);
}

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

/// Binds a binary operator and its reflected form (`3 - x` is __rsub__(x, 3)).
void def_binary(py::class_<PyTile>& cls, const char* name, const char* reflected, const char* op,
                tl::BinaryOp code) {
  cls.def(name, [op, code](const PyTile& a, py::handle b) {
    const PyOperand x(a, op), y(b, op);
    return on_fiber(op, [&] { return tl::binary(code, x.get(), y.get()); });
  });
  if (reflected == nullptr) return;
  cls.def(reflected, [op, code](const PyTile& a, py::handle b) {
    const PyOperand x(b, op), y(a, op);
    return on_fiber(op, [&] { return tl::binary(code, x.get(), y.get()); });
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
  return on_fiber("index", [&] {
    tl::Tile out = x;
    for (const int axis : inserted) out = tl::expand_dims(out, axis);
    return out;
  });
}

std::int64_t item(const PyTile& x) {
  const tl::Tile& t = tile_of(x, "item");
  std::int64_t out = 0;
  on_fiber_void("item", [&] { out = t.item(); });
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
             on_fiber_void("bool", [&] { out = static_cast<bool>(t); });
             return out;
           })
      .def("__float__",
           [](const PyTile& x) {
             const tl::Tile& t = tile_of(x, "float");
             double out = 0;
             on_fiber_void("float", [&] { out = t.item_double(); });
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
         return on_fiber("program_id", [&] { return p.program_id(axis); });
       },
       py::arg("axis"))
      .def(
          "num_programs",
          [](int axis) {
            tl::Program& p = current("num_programs").program;
            return on_fiber("num_programs", [&] { return p.num_programs(axis); });
          },
          py::arg("axis"))
      .def(
          "arange",
          [](std::int64_t start, std::int64_t end) {
            return on_fiber("arange", [&] { return tl::arange(start, end); });
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
            return on_fiber("full", [&] { return tl::full(s, v.get().weak(), d); });
          },
          py::arg("shape"), py::arg("value"), py::arg("dtype"))
      .def(
          "zeros",
          [](py::object shape, py::object dtype) {
            const tl::Shape s = to_tile_shape(shape);
            const tl::DType d = to_dtype(dtype);
            return on_fiber("zeros", [&] { return tl::zeros(s, d); });
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
         return on_fiber("reshape", [&] { return tl::reshape(t, s); });
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
            return on_fiber("expand_dims", [&] { return tl::expand_dims(t, axis); });
          },
          py::arg("input"), py::arg("axis"));
}

/// A block pointer as Python holds it (its base tile's program, as a tile's).
struct PyBlockPtr {
  tl::BlockPtr ptr;
  std::weak_ptr<const int> owner;
};

const tl::BlockPtr& block_ptr_of(py::handle v, std::string_view op) {
  const auto& b = v.cast<const PyBlockPtr&>();
  if (b.owner.lock() != current(op).alive)
    throw base::Error(fmt::format("tl.{}: {} was made in another program", op, b.ptr.describe()));
  return b.ptr;
}

// Sizes and offsets given as ints or integer scalar tiles; tiles are read on the fiber.
struct IntList {
  std::vector<std::int64_t> ints;
  std::vector<const tl::Tile*> tiles;  // null where ints holds the value
  IntList(py::handle seq, std::string_view op) {
    for (py::handle v : py::iter(seq)) {
      if (py::isinstance<PyTile>(v)) {
        tiles.push_back(&tile_of(v.cast<const PyTile&>(), op));
        ints.push_back(0);
      } else {
        tiles.push_back(nullptr);
        ints.push_back(py::int_(py::reinterpret_borrow<py::object>(v)).cast<std::int64_t>());
      }
    }
  }
  std::vector<std::int64_t> values() const {  // on the fiber
    std::vector<std::int64_t> out = ints;
    for (std::size_t i = 0; i < out.size(); ++i)
      if (tiles[i] != nullptr) out[i] = tiles[i]->item();
    return out;
  }
  std::vector<tl::BlockOffset> offsets() const {  // on the fiber
    std::vector<tl::BlockOffset> out;
    for (std::size_t i = 0; i < ints.size(); ++i)
      out.push_back(tiles[i] != nullptr ? tl::BlockOffset(*tiles[i]) : tl::BlockOffset(ints[i]));
    return out;
  }
};

PyBlockPtr wrap_block(std::string_view op, const std::function<tl::BlockPtr()>& make) {
  ProgramRun& run = current(op);
  std::optional<tl::BlockPtr> out;
  run.thread.on_fiber([&] { out = make(); });
  return {std::move(*out), run.alive};
}

void bind_block_pointers(py::module_& m) {
  py::class_<PyBlockPtr>(m, "block_ptr", "A block pointer of a Python kernel's program.")
      .def("__repr__", [](const PyBlockPtr& b) { return b.ptr.describe(); });
  m.def(
       "make_block_ptr",
       [](py::handle base, py::handle shape, py::handle strides, py::handle offsets,
          std::vector<std::int64_t> block_shape, std::vector<int> order) {
         const char* op = "make_block_ptr";
         const tl::Tile& b = need_tile(base, op, "base");
         const IntList s(shape, op), st(strides, op), o(offsets, op);
         return wrap_block(op, [&] {
           return tl::make_block_ptr(b, s.values(), st.values(), o.offsets(), block_shape, order);
         });
       },
       py::arg("base"), py::arg("shape"), py::arg("strides"), py::arg("offsets"),
       py::arg("block_shape"), py::arg("order"))
      .def(
          "advance",
          [](py::handle ptr, py::handle offsets) {
            const tl::BlockPtr& p = block_ptr_of(ptr, "advance");
            const IntList o(offsets, "advance");
            return wrap_block("advance", [&] { return tl::advance(p, o.offsets()); });
          },
          py::arg("base"), py::arg("offsets"))
      .def(
          "load_block",
          [](py::handle ptr, std::vector<int> boundary_check, const std::string& padding) {
            const tl::BlockPtr& p = block_ptr_of(ptr, "load");
            if (padding != "" && padding != "zero" && padding != "nan")
              throw tl::SemanticError(
                  fmt::format("tl.load: padding_option '{}' is not one of zero, nan", padding));
            const auto pad = padding == "nan" ? tl::Padding::nan : tl::Padding::zero;
            return on_fiber("load", [&] { return tl::load(p, boundary_check, pad); });
          },
          py::arg("pointer"), py::arg("boundary_check"), py::arg("padding_option"))
      .def(
          "store_block",
          [](py::handle ptr, py::handle value, std::vector<int> boundary_check) {
            const tl::BlockPtr& p = block_ptr_of(ptr, "store");
            const PyOperand v(value, "store");
            on_fiber_void("store", [&] { tl::store(p, v.get(), boundary_check); });
          },
          py::arg("pointer"), py::arg("value"), py::arg("boundary_check"));
}

void bind_atomics(py::module_& m) {
  using Atomic = tl::Tile (*)(const tl::Tile&, const tl::Operand&);
  using MaskedAtomic = tl::Tile (*)(const tl::Tile&, const tl::Operand&, const tl::Tile&);
  const struct {
    const char* name;
    Atomic fn;
    MaskedAtomic masked;
  } atomics[] = {{"atomic_add", &tl::atomic_add, &tl::atomic_add},
                 {"atomic_max", &tl::atomic_max, &tl::atomic_max},
                 {"atomic_min", &tl::atomic_min, &tl::atomic_min},
                 {"atomic_xchg", &tl::atomic_xchg, &tl::atomic_xchg}};
  for (const auto& a : atomics)
    m.def(
        a.name,
        [a](py::handle pointer, py::handle val, py::handle mask) {
          const tl::Tile& p = need_tile(pointer, a.name, "pointer");
          const PyOperand v(val, a.name);
          const tl::Tile* k = mask.is_none() ? nullptr : &need_tile(mask, a.name, "mask");
          return on_fiber(
              a.name, [&] { return k == nullptr ? a.fn(p, v.get()) : a.masked(p, v.get(), *k); });
        },
        py::arg("pointer"), py::arg("val"), py::arg("mask") = py::none());
  m.def(
      "atomic_cas",
      [](py::handle pointer, py::handle cmp, py::handle val) {
        const tl::Tile& p = need_tile(pointer, "atomic_cas", "pointer");
        const PyOperand c(cmp, "atomic_cas"), v(val, "atomic_cas");
        return on_fiber("atomic_cas", [&] { return tl::atomic_cas(p, c.get(), v.get()); });
      },
      py::arg("pointer"), py::arg("cmp"), py::arg("val"));
}

/// The threads of one launch's programs: one per PE, kept from one program to the next (a PE
/// runs its programs one after another). Used on the fibers only.
class ProgramThreads {
 public:
  RankThread& of(topo::PeCoord pe) {
    for (auto& [coord, thread] : threads_)
      if (coord == pe) return *thread;
    return *threads_.emplace_back(pe, std::make_unique<RankThread>()).second;
  }

 private:
  std::vector<std::pair<topo::PeCoord, std::unique_ptr<RankThread>>> threads_;
};

/// A launch's kernel whose programs run `program` (a Python callable taking the list of the
/// program's argument tiles) on their PE's thread; the tl ops it calls run on the fiber.
rt::KernelFn python_kernel(std::shared_ptr<PyObject> program) {
  auto threads = std::make_shared<ProgramThreads>();
  return tl::kernel([program = std::move(program), threads](tl::Program& p) {
    std::vector<tl::Tile> args;
    const auto list = p.context().args();
    for (std::size_t i = 0; i < list.size(); ++i)
      args.push_back(std::holds_alternative<rt::TensorArg>(list[i]) ? p.pointer(i) : p.scalar(i));
    RankThread& thread = threads->of(p.context().pe().coord());
    ProgramRun run(p, thread);
    thread.run([&] {
      const CurrentProgram scope(run);
      py::list values;
      for (tl::Tile& t : args) values.append(PyTile{std::move(t), run.alive});
      try {
        py::handle(program.get())(values);
      } catch (py::error_already_set& e) {
        // The message only: the launch reports it as its program's failure, as for C++ kernels.
        throw base::Error(py::str(e.value()).cast<std::string>());
      }
    });
  });
}

LaunchResult launch(const std::string& name, py::object program, py::object grid,
                    const py::list& args, bool wait) {
  std::vector<rt::LaunchArg> list;
  const TensorHandle* first = nullptr;
  for (py::handle a : args) {
    list.push_back(to_launch_arg(a, name, list.size()));
    if (first == nullptr && py::isinstance<TensorHandle>(a)) first = &a.cast<const TensorHandle&>();
  }
  if (first == nullptr)
    throw base::ShapeError(fmt::format(
        "kernel '{}': no tensor argument (a launch runs on the PEs holding its tensors)", name));
  RuntimeHandle r = session_of(*first);
  rt::KernelFn fn = python_kernel(r.machine->keep(std::move(program)));
  return submit_launch(r, name, std::move(fn), grid, std::move(list), wait);
}

}  // namespace

void bind_language(py::module_& parent) {
  py::module_ m = parent.def_submodule("language", "kernbench.language's C++ side.");
  bind_tile(m);
  bind_creation(m);
  bind_memory(m);
  bind_math(m);
  bind_reductions(m);
  bind_shape_ops(m);
  bind_block_pointers(m);
  bind_atomics(m);
  m.def("launch", &launch, py::arg("name"), py::arg("program"), py::arg("grid"), py::arg("args"),
        py::arg("wait") = true);
  m.def(
      "register_twin",
      [](const RuntimeHandle& r, const std::string& name, const std::string& kind,
         std::vector<std::int64_t> blocks) {
        r.machine->runtime().kernels().add(name, tutorial_twin(kind, blocks),
                                           "C++ twin of the Python " + kind + " kernel");
      },
      py::arg("runtime"), py::arg("name"), py::arg("kind"), py::arg("blocks"),
      "Registers the C++ twin of a tutorial-style Python kernel (tests, python/tools).");
  m.def(
      "current_op", [] { return t_current == nullptr ? std::string() : t_current->op; },
      "The op the calling program entered last (for its error message).");
}

}  // namespace kernbench::python
