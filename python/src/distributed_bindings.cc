// kernbench.distributed's core: run a Python function once per rank as simulated processes
// (ccl::run_ranks), each rank's Python on its process's fiber under its own Python thread state
// (thread_state_switcher.h), with the rank's context, process groups and collectives; and where
// each session's calls run (in_session).
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "bindings.h"
#include "thread_state_switcher.h"

#include "kernbench/base/error.h"
#include "kernbench/ccl/process_group.h"
#include "kernbench/ccl/rank_context.h"
#include "kernbench/ccl/rank_launcher.h"

namespace kernbench::python {

/// What one rank of a run holds: how its Python is switched, its context and the tensors it made.
struct RankState : std::enable_shared_from_this<RankState> {
  ThreadStateSwitcher thread;  // its Python on its process's fiber, under its own thread state
  ccl::RankContext* context = nullptr;  // valid while active
  int index = -1;                       // the rank
  bool active = true;                   // false once the rank function has returned
  bool initialized = false;             // its init_process_group has returned
  std::set<TensorHandle*> live;         // handles of its tensors
  std::vector<rt::Tensor> dead;         // tensors whose handles died, freed at its next call

  // On the fiber: frees the tensors of dead handles.
  void free_dead() {
    std::vector<rt::Tensor> pending = std::move(dead);
    dead.clear();
    for (rt::Tensor& t : pending) t.free();
  }
  // On the fiber, the rank function done: frees every tensor it still holds (timed) -- or, when
  // it failed, keeps them until the runtime goes; its handles then belong to no rank.
  void finish(Machine& machine, bool timed) {
    active = false;
    for (TensorHandle* h : live) {
      h->rank = nullptr;
      dead.push_back(std::move(h->tensor));
    }
    live.clear();
    if (timed) {
      free_dead();
      return;
    }
    for (rt::Tensor& t : dead) machine.orphan(std::move(t));
    dead.clear();
  }
};

TensorHandle::TensorHandle(std::shared_ptr<Machine> m, rt::Tensor t, RankState* r)
    : machine(std::move(m)), tensor(std::move(t)), rank(r) {
  if (rank != nullptr) rank->live.insert(this);
}

TensorHandle::~TensorHandle() {
  if (rank != nullptr) {
    rank->live.erase(this);
    rank->dead.push_back(std::move(tensor));
  } else if (machine && tensor.valid()) {
    machine->release(std::move(tensor));
  }
}

namespace {

// A kernel's program runs inside the engine: running it again from there would re-enter it.
void check_not_in_program() {
  if (in_kernel_program())
    throw base::Error(
        "a kernel's program cannot use the runtime (tensors, launches, collectives): it reaches "
        "memory through its pointer arguments and kernbench.language");
}

}  // namespace

namespace {

// The rank whose Python the calling OS thread runs now: ranks' Python runs on their fibers, one
// at a time, so it is set while a rank's function runs and cleared while it is switched out.
thread_local RankState* t_rank = nullptr;

// Runs the rank's function, naming the rank while its Python runs.
void run_as(RankState& rank, const std::function<void()>& fn) {
  rank.thread.run([&] {
    t_rank = &rank;
    try {
      fn();
    } catch (...) {
      t_rank = nullptr;
      throw;
    }
    t_rank = nullptr;
  });
}

}  // namespace

void check_session(const Machine& machine, const RankState* rank) {
  check_not_in_program();
  if (rank == nullptr) {
    if (machine.in_ranks)
      throw base::Error(
          "the host's runtime and tensors cannot be used inside kernbench.distributed.run: a "
          "rank uses its context's runtime (ctx.zeros, ctx.from_numpy, ...) and its own tensors");
    return;
  }
  if (!rank->active || t_rank != rank)
    throw base::Error(
        fmt::format("rank {}'s runtime and tensors are used only by rank {}, inside its function",
                    rank->index, rank->index));
}

void in_session(Machine& machine, RankState* rank, const std::function<void()>& call) {
  check_session(machine, rank);
  if (rank == nullptr) {
    machine.drain();
    const Machine::Busy busy(machine);
    // The engine may run a Python kernel's programs, whose threads take the GIL.
    const py::gil_scoped_release release;
    call();
    return;
  }
  t_rank = nullptr;  // switched out: other ranks' Python may run, or the engine return
  try {
    rank->thread.on_fiber([&] {
      rank->free_dead();
      call();
    });
  } catch (...) {
    t_rank = rank;
    throw;
  }
  t_rank = rank;
}

RuntimeHandle session_of(const TensorHandle& t) {
  if (t.rank == nullptr) return {t.machine, &t.machine->runtime().host(), nullptr};
  check_session(*t.machine, t.rank);
  return {t.machine, &t.rank->context->session(), t.rank->shared_from_this()};
}

namespace {

/// A rank's context as its Python function sees it.
struct RankHandle {
  std::shared_ptr<Machine> machine;
  std::shared_ptr<RankState> state;  // outlives the rank, so a kept context errs, not dangles

  ccl::RankContext& context() const {
    if (!state->active) throw base::Error("a rank's context is used after its function returned");
    return *state->context;
  }
  void run(const std::function<void()>& call) const { in_session(*machine, state.get(), call); }
};

/// A process group as one member holds it.
struct GroupHandle {
  RankHandle rank;
  ccl::ProcessGroup* group;
};

ccl::ReduceOp to_reduce_op(const std::string& text) {
  for (const ccl::ReduceOp op : {ccl::ReduceOp::sum, ccl::ReduceOp::prod, ccl::ReduceOp::max,
                                 ccl::ReduceOp::min, ccl::ReduceOp::avg})
    if (text == ccl::name(op)) return op;
  throw base::NotFoundError(
      fmt::format("unknown reduce op '{}'; known: sum, prod, max, min, avg", text));
}

rt::Tensor& own_tensor(const RankHandle& r, TensorHandle& t) {
  if (t.rank != r.state.get())
    throw base::Error(fmt::format("rank {}: tensor '{}' is not one this rank made",
                                  r.context().rank(), t.tensor.name()));
  return t.tensor;
}

// The collectives, on a group or (a rank's context) on its world group, each on the rank's fiber.
// The group, while its rank runs (the launch's groups go when it ends).
const ccl::ProcessGroup& live(const GroupHandle& g) {
  (void)g.rank.context();
  return *g.group;
}

ccl::ProcessGroup& group_of(const GroupHandle& g) { return *g.group; }
ccl::ProcessGroup& group_of(const RankHandle& r) { return r.context().world_group(); }
const RankHandle& rank_of(const GroupHandle& g) { return g.rank; }
const RankHandle& rank_of(const RankHandle& r) { return r; }

template <typename H>
void add_collectives(py::class_<H>& cls) {
  cls.def(
         "all_reduce",
         [](const H& h, TensorHandle& t, const std::string& op) {
           const RankHandle& r = rank_of(h);
           rt::Tensor& tensor = own_tensor(r, t);
           const ccl::ReduceOp reduce = to_reduce_op(op);
           r.run([&] { group_of(h).all_reduce(r.context(), tensor, reduce); });
         },
         py::arg("tensor"), py::arg("op") = "sum")
      .def(
          "reduce_scatter",
          [](const H& h, TensorHandle& t, const std::string& op) {
            const RankHandle& r = rank_of(h);
            rt::Tensor& tensor = own_tensor(r, t);
            const ccl::ReduceOp reduce = to_reduce_op(op);
            r.run([&] { group_of(h).reduce_scatter(r.context(), tensor, reduce); });
          },
          py::arg("tensor"), py::arg("op") = "sum")
      .def(
          "all_gather",
          [](const H& h, TensorHandle& t) {
            const RankHandle& r = rank_of(h);
            rt::Tensor& tensor = own_tensor(r, t);
            r.run([&] { group_of(h).all_gather(r.context(), tensor); });
          },
          py::arg("tensor"))
      .def(
          "broadcast",
          [](const H& h, TensorHandle& t, int root) {
            const RankHandle& r = rank_of(h);
            rt::Tensor& tensor = own_tensor(r, t);
            r.run([&] { group_of(h).broadcast(r.context(), tensor, root); });
          },
          py::arg("tensor"), py::arg("src"))
      .def(
          "reduce",
          [](const H& h, TensorHandle& t, int root, const std::string& op) {
            const RankHandle& r = rank_of(h);
            rt::Tensor& tensor = own_tensor(r, t);
            const ccl::ReduceOp reduce = to_reduce_op(op);
            r.run([&] { group_of(h).reduce(r.context(), tensor, root, reduce); });
          },
          py::arg("tensor"), py::arg("dst"), py::arg("op") = "sum")
      .def(
          "all_to_all",
          [](const H& h, TensorHandle& out, TensorHandle& in) {
            const RankHandle& r = rank_of(h);
            rt::Tensor& output = own_tensor(r, out);
            const rt::Tensor& input = own_tensor(r, in);
            r.run([&] { group_of(h).all_to_all(r.context(), output, input); });
          },
          py::arg("output"), py::arg("input"))
      .def("barrier", [](const H& h) {
        const RankHandle& r = rank_of(h);
        r.run([&] { group_of(h).barrier(r.context()); });
      });
}

ccl::RankMap rank_map(const std::string& per, const py::object& pes) {
  if (!pes.is_none()) {
    std::vector<topo::PeCoord> list;
    for (const auto& [sip, cube, pe] : pes.cast<std::vector<std::tuple<int, int, int>>>())
      list.push_back({sip, cube, pe});
    return ccl::RankMap::on_pes(std::move(list));
  }
  if (per == "sip") return ccl::RankMap::per_sip();
  if (per == "cube") return ccl::RankMap::per_cube();
  if (per == "pe") return ccl::RankMap::per_pe();
  throw base::NotFoundError(fmt::format("ranks per '{}': known: sip, cube, pe", per));
}

// Runs fn(ctx) once per rank; a failed run takes the machine down (its ranks may be blocked).
void run(const std::shared_ptr<Machine>& machine, const py::function& fn, std::optional<int> world,
         const std::string& per, const py::object& pes, bool timing_only) {
  check_not_in_program();
  if (machine->in_ranks) throw base::Error("kernbench.distributed.run is already running ranks");
  ccl::LaunchOptions options;
  options.ranks = rank_map(per, pes);
  options.timing_only = timing_only;
  if (machine->ccl) options.ccl = &*machine->ccl;
  rt::Runtime& runtime = machine->runtime();
  machine->drain();
  // Named, so it outlives run_ranks: a failed run's blocked ranks unwind in shutdown(), later.
  const std::function<void(ccl::RankContext&)> bench = [&](ccl::RankContext& ctx) {
    const auto state = std::make_shared<RankState>();
    state->context = &ctx;
    state->index = ctx.rank();
    try {
      run_as(*state, [&] { fn(RankHandle{machine, state}); });
    } catch (...) {
      state->finish(*machine, false);
      throw;
    }
    state->finish(*machine, true);
  };
  machine->in_ranks = true;
  try {
    py::gil_scoped_release release;
    const Machine::Busy busy(*machine);
    try {
      if (world)
        ccl::run_ranks(runtime, *world, bench, options);
      else
        ccl::run_ranks(runtime, bench, options);
    } catch (const std::exception& e) {
      machine->shutdown(e.what());
      throw;
    }
  } catch (...) {
    machine->in_ranks = false;
    throw;
  }
  machine->in_ranks = false;
}

}  // namespace

void bind_distributed(py::module_& m) {
  py::class_<RankHandle> rank(m, "RankContext",
                              "One rank's view inside kernbench.distributed.run.");
  rank.def_property_readonly("rank", [](const RankHandle& r) { return r.context().rank(); })
      .def_property_readonly("world_size",
                             [](const RankHandle& r) { return r.context().world_size(); })
      .def_property_readonly("pe",
                             [](const RankHandle& r) {
                               const topo::PeCoord p = r.context().pe();
                               return py::make_tuple(p.sip, p.cube, p.pe);
                             })
      .def_property_readonly("device", [](const RankHandle& r) { return r.context().device(); })
      .def_property_readonly("runtime",
                             [](const RankHandle& r) {
                               return RuntimeHandle{r.machine, &r.context().session(), r.state};
                             })
      .def(
          "set_device", [](const RankHandle& r, int i) { r.context().set_device(i); },
          py::arg("index"))
      .def(
          "set_device", [](const RankHandle& r, rt::Device d) { r.context().set_device(d); },
          py::arg("device"))
      .def(
          "set_device_index", [](const RankHandle& r, int i) { r.context().set_device(i); },
          py::arg("index"))
      .def(
          "init_process_group",
          [](const RankHandle& r, const std::string& entry) {
            ccl::ProcessGroup* g = nullptr;
            r.run([&] { g = &r.context().init_process_group(entry); });
            r.state->initialized = true;
            return GroupHandle{r, g};
          },
          py::arg("entry") = "")
      .def(
          "is_initialized",
          [](const RankHandle& r) {
            (void)r.context();
            return r.state->initialized;
          },
          "True once this rank's init_process_group (ctx's or dist's) has returned.")
      .def(
          "new_group",
          [](const RankHandle& r, std::vector<int> ranks, const std::string& entry) {
            ccl::ProcessGroup* g = nullptr;
            r.run([&] { g = &r.context().new_group(std::move(ranks), entry); });
            return GroupHandle{r, g};
          },
          py::arg("ranks"), py::arg("entry") = "");
  add_collectives(rank);

  py::class_<GroupHandle> group(m, "ProcessGroup", "A process group as one member holds it.");
  group.def_property_readonly("name", [](const GroupHandle& g) { return live(g).name(); })
      .def_property_readonly("ranks", [](const GroupHandle& g) { return live(g).ranks(); })
      .def_property_readonly("size", [](const GroupHandle& g) { return live(g).size(); })
      .def_property_readonly("entry", [](const GroupHandle& g) { return live(g).plan().entry; })
      .def(
          "rank_of", [](const GroupHandle& g, int r) { return live(g).rank_of(r); },
          py::arg("rank"));
  add_collectives(group);

  m.def("run_ranks", &run, py::arg("machine"), py::arg("fn"), py::arg("world") = py::none(),
        py::arg("per") = "sip", py::arg("pes") = py::none(), py::arg("timing_only") = false);
}

}  // namespace kernbench::python
