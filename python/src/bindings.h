// The `kernbench` Python module's C++ side: the machine Python objects keep alive, the handles it
// hands out, and one function per part of the module (errors and values, runtime, distributed).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "kernbench/base/dtype.h"
#include "kernbench/ccl/ccl_config.h"
#include "kernbench/hw/system.h"
#include "kernbench/rt/launch.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/sim/engine.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::python {

namespace py = pybind11;

struct RankState;

/// One simulated machine as Python holds it: engine, hardware and runtime owned together. Every
/// tensor, launch and runtime handle keeps it alive, so none outlives the simulation it names.
class Machine {
 public:
  Machine(topo::TopologySpec spec, rt::Device device);
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;
  ~Machine();

  /// The parts (base::Error once shutdown() took them down).
  sim::Engine& engine() { return *check().engine_; }
  hw::System& system() { return *check().system_; }
  rt::Runtime& runtime() { return *check().runtime_; }

  /// Frees a host tensor whose Python handle died: at once through the machine (simulated time)
  /// when nothing runs the engine, else at the next host call.
  void release(rt::Tensor tensor);
  /// Keeps a tensor that can no longer be freed through the machine until the runtime goes.
  void orphan(rt::Tensor tensor) { orphans_.push_back(std::move(tensor)); }
  /// Frees what release() put aside and drops the references keep() gave back (called as a
  /// host call starts, GIL held).
  void drain();
  /// `object` held for C++ code that may drop it where Python must not run (a fiber, without the
  /// GIL): the last copy of the pointer gives the reference back to the machine, which drops it
  /// at the next host call or when it dies. The machine must outlive the pointer's copies.
  std::shared_ptr<PyObject> keep(py::object object);
  /// Takes the simulation down at once (after a failed distributed run, whose ranks may still be
  /// blocked): `why` is what later uses are told.
  void shutdown(std::string why);

  /// Counts a call that may run the engine; release() defers while one is open.
  class Busy {
   public:
    explicit Busy(Machine& m) : m_(m) { ++m_.busy_; }
    Busy(const Busy&) = delete;
    Busy& operator=(const Busy&) = delete;
    ~Busy() { --m_.busy_; }

   private:
    Machine& m_;
  };
  bool busy() const { return busy_ > 0; }
  /// True while kernbench.distributed.run runs ranks on this machine.
  bool in_ranks = false;
  /// The ccl.yaml entries its process groups may name (Machine(ccl=FILE, set={"ccl.E.K": V}));
  /// absent: the embedded configs/ccl.yaml.
  std::optional<ccl::CclConfig> ccl;

 private:
  Machine& check();

  // Declared before the runtime, so what is still held when the machine dies is destroyed after
  // it: handles go inert without running the engine.
  std::vector<rt::Tensor> orphans_;
  std::vector<rt::Tensor> deferred_;
  std::mutex given_back_mutex_;
  std::vector<PyObject*> given_back_;  // references keep()'s pointers gave back
  std::unique_ptr<sim::Engine> engine_;
  std::unique_ptr<hw::System> system_;
  std::unique_ptr<rt::Runtime> runtime_;
  std::string shut_down_;
  int busy_ = 0;
};

/// A tensor handle as Python holds it; the machine outlives it. A rank's tensor (rank set) is
/// freed by its rank: when the handle dies, or when the rank function returns.
struct TensorHandle {
  std::shared_ptr<Machine> machine;
  rt::Tensor tensor;
  RankState* rank = nullptr;

  TensorHandle(std::shared_ptr<Machine> m, rt::Tensor t, RankState* r = nullptr);
  TensorHandle(const TensorHandle&) = delete;
  TensorHandle& operator=(const TensorHandle&) = delete;
  ~TensorHandle();
};

/// A session as Python holds it: the host's, or a rank's under kernbench.distributed.
struct RuntimeHandle {
  std::shared_ptr<Machine> machine;
  rt::Session* session;
  std::shared_ptr<RankState> rank;  // kept, so a handle kept past its rank errs, not dangles
};

/// A launch in flight or done, with the session that waits for it.
struct LaunchResult {
  std::shared_ptr<Machine> machine;
  rt::Session* session;
  std::shared_ptr<RankState> rank;
  rt::LaunchHandle handle;
};

/// A Python launch argument: a Tensor, a kernbench.Scalar, a bool, an int (i32 when it fits,
/// else i64) or a float (f32). ShapeError naming the kernel and argument otherwise.
rt::LaunchArg to_launch_arg(py::handle v, std::string_view kernel, std::size_t index);
/// Submits a launch of `fn` (empty: the kernel registered as `kernel`) on `r`'s session and,
/// given `wait`, waits for it. `grid` is an int, a tuple, a kernbench.Grid or a function of the
/// PE's argument views (called here, on the caller's thread).
LaunchResult submit_launch(RuntimeHandle& r, const std::string& kernel, rt::KernelFn fn,
                           const py::object& grid, std::vector<rt::LaunchArg> list, bool wait);
/// The session a tensor's launches go to: its maker's (the host's, or its rank's).
RuntimeHandle session_of(const TensorHandle& t);

/// True on the thread of a Python kernel's program (while its code runs).
bool in_kernel_program();

/// base::Error when the host's runtime is used by a rank or a rank's by anyone else, or any
/// runtime by a kernel's program (what in_session checks first).
void check_session(const Machine& machine, const RankState* rank);

/// Runs `call`, which may block `rank`'s session (null: the host's): on the rank's fiber from
/// its own thread, or as a host call. base::Error when the host's runtime is used by a rank or a
/// rank's by anyone else.
void in_session(Machine& machine, RankState* rank, const std::function<void()>& call);

/// The dtype a Python value names: a DType, a name ("f32", "bfloat16") or a numpy dtype or type.
base::DType to_dtype(py::handle value);
/// The numpy dtype that holds `dtype`'s elements (bf16: uint16, its raw bits).
py::dtype numpy_dtype(base::DType dtype);
/// `array` as contiguous elements of `dtype`: converted by numpy, bf16 from floating arrays
/// rounded to nearest even, from uint16 taken as raw bits.
py::array as_elements(py::handle array, base::DType dtype);
/// A numpy array holding a copy of `host`.
py::array to_numpy(const rt::HostTensor& host);
/// A HostTensor of `dtype` holding `array`'s elements (converted as as_elements).
rt::HostTensor to_host_tensor(py::handle array, base::DType dtype);

/// Exception classes (kernbench.Error and one per C++ error type) and their translation.
void bind_errors(py::module_& m);
/// DType, Device, Level, Placement, Machine and the bf16 helpers.
void bind_values(py::module_& m);
/// Runtime, Tensor, Launch, statistics and completion rows.
void bind_runtime(py::module_& m);
/// kernbench.distributed's core: ranks, their contexts, process groups.
void bind_distributed(py::module_& m);
/// kernbench.language's core (`_kernbench.language`): tiles, the tl ops, and launches of Python
/// kernels whose programs run through a sim::ProcessSwitcher (language_launch.cc).
void bind_language(py::module_& m);

}  // namespace kernbench::python
