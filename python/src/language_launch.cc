// kernbench.language's pointers and launches: block pointers, tensor descriptors and atomics (the
// C++ tl ops), and launches of @kernbench.jit kernels, whose programs' Python runs through a
// sim::ProcessSwitcher -- on the program's fiber under its own Python thread state, or on its PE's
// OS thread (one RankThread per PE of a launch, kept from one program to the next) -- while every
// op runs on the fiber.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "program_run.h"
#include "thread_state_switcher.h"
#include "tutorial_twins.h"

#include "kernbench/base/error.h"
#include "kernbench/hw/pe.h"
#include "kernbench/tl/tl.h"

namespace kernbench::python {
namespace {

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
  run_op(run, op, [&] { out = make(); });
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

/// A tensor descriptor as Python holds it (as a block pointer).
struct PyTensorDesc {
  tl::TensorDesc desc;
  std::weak_ptr<const int> owner;
};

const tl::TensorDesc& desc_of(const PyTensorDesc& d, std::string_view op) {
  if (d.owner.lock() != current(op).alive)
    throw base::Error(fmt::format("tl.{}: {} was made in another program", op, d.desc.describe()));
  return d.desc;
}

void bind_tensor_descriptors(py::module_& m) {
  py::class_<PyTensorDesc>(m, "tensor_descriptor",
                           "A tensor descriptor of a Python kernel's program: load(offsets) reads "
                           "zeros outside the tensor, store(offsets, value) drops what lies "
                           "outside.")
      .def("__repr__", [](const PyTensorDesc& d) { return d.desc.describe(); })
      .def(
          "load",
          [](const PyTensorDesc& d, py::handle offsets) {
            const tl::TensorDesc& desc = desc_of(d, "load");
            const IntList o(offsets, "load");
            return on_fiber("load", [&] { return desc.load(o.offsets()); });
          },
          py::arg("offsets"))
      .def(
          "store",
          [](const PyTensorDesc& d, py::handle offsets, py::handle value) {
            const tl::TensorDesc& desc = desc_of(d, "store");
            const IntList o(offsets, "store");
            const PyOperand v(value, "store");
            on_fiber_void("store", [&] { desc.store(o.offsets(), v.get()); });
          },
          py::arg("offsets"), py::arg("value"))
      .def_property_readonly("block_shape",
                             [](const PyTensorDesc& d) { return d.desc.block_shape(); })
      .def_property_readonly("shape", [](const PyTensorDesc& d) { return d.desc.shape(); })
      .def_property_readonly("strides", [](const PyTensorDesc& d) { return d.desc.strides(); });
  m.def(
      "make_tensor_descriptor",
      [](py::handle base, py::handle shape, py::handle strides,
         std::vector<std::int64_t> block_shape) {
        const char* op = "make_tensor_descriptor";
        const tl::Tile& b = need_tile(base, op, "base");
        const IntList s(shape, op), st(strides, op);
        ProgramRun& run = current(op);
        std::optional<tl::TensorDesc> out;
        run_op(run, op,
               [&] { out = tl::make_tensor_descriptor(b, s.values(), st.values(), block_shape); });
        return PyTensorDesc{std::move(*out), run.alive};
      },
      py::arg("base"), py::arg("shape"), py::arg("strides"), py::arg("block_shape"));
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
/// program's argument tiles) through a sim::ProcessSwitcher: on the program's own fiber under a
/// Python thread state of its own (ThreadStateSwitcher, the default), or on their PE's OS thread
/// with a baton (RankThread, `on_threads`); the tl ops it calls run on the fiber either way.
rt::KernelFn python_kernel(std::shared_ptr<PyObject> program, bool on_threads) {
  auto threads = on_threads ? std::make_shared<ProgramThreads>() : nullptr;
  return tl::kernel([program = std::move(program), threads](tl::Program& p) {
    std::vector<tl::Tile> args;
    const auto list = p.context().args();
    for (std::size_t i = 0; i < list.size(); ++i)
      args.push_back(std::holds_alternative<rt::TensorArg>(list[i]) ? p.pointer(i) : p.scalar(i));
    ThreadStateSwitcher own_fiber;
    sim::ProcessSwitcher& thread =
        threads ? static_cast<sim::ProcessSwitcher&>(threads->of(p.context().pe().coord()))
                : own_fiber;
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
                    const py::list& args, bool wait, const std::string& switching) {
  if (switching != "fiber" && switching != "thread")
    throw base::Error(fmt::format("kernel '{}': program_switching '{}' is not one of fiber, thread",
                                  name, switching));
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
  rt::KernelFn fn = python_kernel(r.machine->keep(std::move(program)), switching == "thread");
  return submit_launch(r, name, std::move(fn), grid, std::move(list), wait);
}

}  // namespace

void bind_language_launch(py::module_& m) {
  bind_block_pointers(m);
  bind_tensor_descriptors(m);
  bind_atomics(m);
  m.def("launch", &launch, py::arg("name"), py::arg("program"), py::arg("grid"), py::arg("args"),
        py::arg("wait") = true, py::arg("switching") = "fiber");
  m.def(
      "register_twin",
      [](const RuntimeHandle& r, const std::string& name, const std::string& kind,
         std::vector<std::int64_t> blocks) {
        r.machine->runtime().kernels().add(name, tutorial_twin(kind, blocks),
                                           "C++ twin of the Python " + kind + " kernel");
      },
      py::arg("runtime"), py::arg("name"), py::arg("kind"), py::arg("blocks"),
      "Registers the C++ twin of a tutorial-style Python kernel (tests, python/tools).");
}

}  // namespace kernbench::python
