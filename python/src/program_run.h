// kernbench.language's C++ side, shared by its two files: the program a Python kernel's thread
// runs, tiles as Python holds them, and how an op is handed to the program's fiber.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include "bindings.h"
#include "rank_thread.h"

#include "kernbench/base/error.h"
#include "kernbench/sim/process_switcher.h"
#include "kernbench/tl/tl.h"

namespace kernbench::python {

/// One program of a Python kernel as its thread sees it.
struct ProgramRun {
  ProgramRun(tl::Program& p, sim::ProcessSwitcher& t) : program(p), thread(t) {}
  tl::Program& program;
  sim::ProcessSwitcher& thread;  // how its ops reach the fiber (a RankThread)
  std::string failed_op;         // the op whose C++ call threw last (for the kernel's error)
  std::shared_ptr<const int> alive = std::make_shared<const int>(0);  // its tiles' owner
};

// The program the calling thread runs. Triton's ops take no program argument, and a program's
// thread runs nothing else, so the thread names it (set only while the program's code runs).
inline thread_local ProgramRun* t_current = nullptr;

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

inline ProgramRun& current(std::string_view op) {
  if (t_current == nullptr)
    throw base::Error(
        fmt::format("tl.{}: called outside a kernel's program (kernbench.language ops run inside a "
                    "@kernbench.jit kernel launched as kernel[grid](...))",
                    op));
  return *t_current;
}

inline const tl::Tile& tile_of(const PyTile& t, std::string_view op) {
  const ProgramRun& run = current(op);
  if (t.tile.program() != nullptr && t.owner.lock() != run.alive)
    throw base::Error(fmt::format(
        "tl.{}: operand {} was computed in another program (a tile lives in its own program)", op,
        t.tile.describe()));
  return t.tile;
}

inline PyTile wrap(tl::Tile t) { return {std::move(t), t_current->alive}; }

/// Runs `call` on the program's fiber (where it may block on DMA and units); a failure is
/// recorded as the op's, for the kernel's error. Meanwhile the program runs no Python: other
/// programs may run theirs on this OS thread (ThreadStateSwitcher), or the engine may return to
/// the host, so this thread names no program until the call is back.
inline void run_op(ProgramRun& run, std::string_view op, const std::function<void()>& call) {
  t_current = nullptr;
  try {
    run.thread.on_fiber(call);
  } catch (...) {
    t_current = &run;
    run.failed_op = op;
    throw;
  }
  t_current = &run;
}

/// run_op for an op that makes a tile.
template <class F>
PyTile on_fiber(std::string_view op, F&& f) {
  ProgramRun& run = current(op);
  std::optional<tl::Tile> out;
  run_op(run, op, [&] { out = f(); });
  return wrap(std::move(*out));
}

/// Runs `f` on the program's own thread, without a hand-off: only for ops that charge no unit
/// and wait on nothing (tiles made from nothing, views, ops on tiles of no program, reads of a
/// tile no DMA fills), so where they run changes no time.
template <class F>
auto on_thread(std::string_view op, F&& f) {
  ProgramRun& run = current(op);
  try {
    if constexpr (std::is_same_v<decltype(f()), tl::Tile>)
      return wrap(f());
    else
      return f();
  } catch (...) {
    run.failed_op = op;
    throw;
  }
}

template <class F>
void on_fiber_void(std::string_view op, F&& f) {
  run_op(current(op), op, f);
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
  /// A weak number or a tile of no program: an op on such operands charges nothing.
  bool charges_nothing() const { return tile_ == nullptr || tile_->program() == nullptr; }

 private:
  const tl::Tile* tile_ = nullptr;
  std::optional<tl::Operand> weak_;
};

inline const tl::Tile& need_tile(py::handle v, std::string_view op, const char* what) {
  if (!py::isinstance<PyTile>(v))
    throw tl::SemanticError(
        fmt::format("tl.{}: {} must be a tile, not {}", op, what, py::repr(v).cast<std::string>()));
  return tile_of(v.cast<const PyTile&>(), op);
}

/// Block pointers, atomics and the launch of Python kernels (language_launch.cc).
void bind_language_launch(py::module_& m);

}  // namespace kernbench::python
