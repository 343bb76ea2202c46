// The runtime as Python sees it: tensors from shapes or numpy arrays, placements by keyword,
// launches of registered kernels (ints become i32, floats f32), their statistics, and the
// completion and phase tables as rows.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "bindings.h"

#include "kernbench/base/error.h"
#include "kernbench/rt/completion_table.h"
#include "kernbench/rt/launch.h"
#include "kernbench/rt/session.h"

namespace kernbench::python {
namespace {

// Makes `device` current for the length of a call (none: leaves the current device).
class DeviceScope {
 public:
  DeviceScope(rt::Session& s, std::optional<rt::Device> device)
      : s_(s), saved_(s.current_device()) {
    if (device) s_.set_device(*device);
  }
  DeviceScope(const DeviceScope&) = delete;
  DeviceScope& operator=(const DeviceScope&) = delete;
  ~DeviceScope() { s_.set_device(saved_); }

 private:
  rt::Session& s_;
  rt::Device saved_;
};

std::optional<rt::Device> to_device(const py::object& d) {
  if (d.is_none()) return std::nullopt;
  return d.cast<rt::Device>();
}

rt::Shape to_shape(py::handle shape) {
  if (py::isinstance<py::int_>(shape)) return {shape.cast<std::int64_t>()};
  rt::Shape out;
  for (py::handle e : py::iter(shape)) out.push_back(e.cast<std::int64_t>());
  return out;
}

rt::Placement to_placement(const py::object& p) {
  return p.is_none() ? rt::Placement{} : p.cast<rt::Placement>();
}

py::tuple pe_tuple(topo::PeCoord p) { return py::make_tuple(p.sip, p.cube, p.pe); }

std::string repr_of(py::handle v) { return py::repr(v).cast<std::string>(); }

// A Python integer as a kernel scalar: i32 when it fits (as the previous tool passed ints),
// else i64.
rt::ScalarArg int_scalar(py::handle v, std::string_view kernel, std::size_t index) {
  std::int64_t value = 0;
  try {
    value = v.cast<std::int64_t>();
  } catch (const py::cast_error&) {
    throw base::ShapeError(fmt::format("launch '{}': argument {} ({}) does not fit in 64 bits",
                                       kernel, index, repr_of(v)));
  }
  const bool fits = value >= std::numeric_limits<std::int32_t>::min() &&
                    value <= std::numeric_limits<std::int32_t>::max();
  return {fits ? base::DType::i32 : base::DType::i64, value};
}

rt::Grid to_grid(py::handle g, std::string_view kernel) {
  if (py::isinstance<py::int_>(g)) return {g.cast<std::int64_t>()};
  if (py::isinstance<rt::Grid>(g)) return g.cast<rt::Grid>();
  if (py::isinstance<py::tuple>(g) || py::isinstance<py::list>(g)) {
    const auto v = g.cast<std::vector<std::int64_t>>();
    if (!v.empty() && v.size() <= 3)
      return {v[0], v.size() > 1 ? v[1] : 1, v.size() > 2 ? v[2] : 1};
  }
  throw base::ShapeError(fmt::format(
      "launch '{}': grid {} is not an int, a tuple of 1-3 ints or a function of the PE's "
      "arguments",
      kernel, repr_of(g)));
}

py::object arg_view(const rt::KernelArg& a) {
  if (const auto* t = std::get_if<rt::TensorArg>(&a)) return py::cast(*t);
  return py::cast(std::get<rt::ScalarArg>(a));
}

bool same_arg(const rt::KernelArg& a, const rt::KernelArg& b) {
  const auto* s = std::get_if<rt::ScalarArg>(&a);
  const auto* t = std::get_if<rt::ScalarArg>(&b);
  if (s != nullptr || t != nullptr)
    return s != nullptr && t != nullptr && s->dtype == t->dtype && s->value == t->value;
  const auto& x = std::get<rt::TensorArg>(a);
  const auto& y = std::get<rt::TensorArg>(b);
  return x.name == y.name && x.dtype == y.dtype && x.va == y.va && x.shape == y.shape &&
         x.strides == y.strides && x.global_offset == y.global_offset &&
         x.global_shape == y.global_shape;
}

/// The launch's grid. A Python grid function is called here, on the caller's thread, once per
/// target PE (the PEs' views need no engine), so no Python runs where the launch is carried out
/// (a rank's fiber); the spec returned looks the grids up by the PE's arguments.
rt::GridSpec to_grid_spec(const py::object& g, const std::string& kernel,
                          std::span<const rt::LaunchArg> list) {
  if (!PyCallable_Check(g.ptr())) return to_grid(g, kernel);
  const rt::GridSpec python([&g, &kernel](std::span<const rt::KernelArg> args) {
    py::list views;
    for (const rt::KernelArg& a : args) views.append(arg_view(a));
    return to_grid(g(views), kernel);
  });
  std::vector<rt::PeWork> work = rt::plan_launch(kernel, {}, python, list).work;
  return rt::GridSpec([work = std::move(work), kernel](std::span<const rt::KernelArg> args) {
    for (const rt::PeWork& w : work)
      if (std::ranges::equal(w.args, args, same_arg)) return w.grid;
    throw base::Error(
        fmt::format("launch '{}': a PE's arguments changed after its grid function ran", kernel));
  });
}

LaunchResult launch(RuntimeHandle& r, const std::string& kernel, const py::object& grid,
                    const py::args& args, const py::kwargs& kwargs, bool wait) {
  std::vector<rt::LaunchArg> list;
  for (py::handle a : args) list.push_back(to_launch_arg(a, kernel, list.size()));
  for (const auto& item : kwargs) list.push_back(to_launch_arg(item.second, kernel, list.size()));
  return submit_launch(r, kernel, {}, grid, std::move(list), wait);
}

std::unique_ptr<TensorHandle> create(RuntimeHandle& r, const py::object& shape,
                                     const py::object& dtype, const py::object& placement,
                                     std::string name, const py::object& device,
                                     std::optional<double> fill, bool zero) {
  const base::DType t = to_dtype(dtype);
  const rt::Placement p = to_placement(placement);
  rt::Shape extents = to_shape(shape);
  const std::optional<rt::Device> on = to_device(device);
  rt::Tensor tensor;
  in_session(*r.machine, r.rank.get(), [&] {
    const DeviceScope scope(*r.session, on);
    tensor = fill   ? r.session->full(std::move(extents), *fill, t, p, std::move(name))
             : zero ? r.session->zeros(std::move(extents), t, p, std::move(name))
                    : r.session->empty(std::move(extents), t, p, std::move(name));
  });
  return std::make_unique<TensorHandle>(r.machine, std::move(tensor), r.rank.get());
}

std::string table(RuntimeHandle& r, bool summary) {
  std::ostringstream out;
  if (summary)
    rt::write_phase_summary(out, r.machine->system(), r.machine->runtime().records());
  else
    rt::write_completion_table(out, r.machine->system(), r.machine->runtime().records());
  return out.str();
}

/// Runtime.zeros and Runtime.empty: the same arguments, the tensor zero-filled or not.
void def_create(py::class_<RuntimeHandle>& runtime, const char* method, bool zero) {
  runtime.def(
      method,
      [zero](RuntimeHandle& r, py::object shape, py::object dtype, py::object placement,
             std::string name, py::object device) {
        return create(r, shape, dtype, placement, std::move(name), device, {}, zero);
      },
      py::arg("shape"), py::arg("dtype") = base::DType::f32, py::kw_only(),
      py::arg("placement") = py::none(), py::arg("name") = "", py::arg("device") = py::none());
}

void bind_runtime_class(py::module_& m) {
  py::class_<RuntimeHandle> runtime(m, "Runtime",
                                    "The machine's runtime as one session sees it (the host's, "
                                    "or a rank's under kernbench.distributed).");
  runtime.def(py::init([](std::shared_ptr<Machine> mc) {
                return RuntimeHandle{mc, &mc->runtime().host(), nullptr};
              }),
              py::arg("machine"));
  def_create(runtime, "zeros", true);
  def_create(runtime, "empty", false);
  runtime
      .def(
          "full",
          [](RuntimeHandle& r, py::object shape, double value, py::object dtype,
             py::object placement, std::string name, py::object device) {
            return create(r, shape, dtype, placement, std::move(name), device, value, false);
          },
          py::arg("shape"), py::arg("value"), py::arg("dtype") = base::DType::f32, py::kw_only(),
          py::arg("placement") = py::none(), py::arg("name") = "", py::arg("device") = py::none())
      .def(
          "from_numpy",
          [](RuntimeHandle& r, py::object array, py::object dtype, py::object placement,
             std::string name, py::object device) {
            const base::DType t = to_dtype(
                dtype.is_none() ? py::module_::import("numpy").attr("asarray")(array).attr("dtype")
                                : dtype);
            const rt::HostTensor host = to_host_tensor(array, t);
            const rt::Placement p = to_placement(placement);
            const std::optional<rt::Device> on = to_device(device);
            rt::Tensor tensor;
            in_session(*r.machine, r.rank.get(), [&] {
              const DeviceScope scope(*r.session, on);
              tensor = r.session->from_host(host, p, std::move(name));
            });
            return std::make_unique<TensorHandle>(r.machine, std::move(tensor), r.rank.get());
          },
          py::arg("array"), py::arg("dtype") = py::none(), py::kw_only(),
          py::arg("placement") = py::none(), py::arg("name") = "", py::arg("device") = py::none())
      .def(
          "launch",
          [](RuntimeHandle& r, const std::string& kernel, py::object grid, py::args args,
             py::kwargs kwargs) { return launch(r, kernel, grid, args, kwargs, true); },
          py::arg("kernel"), py::arg("grid"))
      .def(
          "launch_async",
          [](RuntimeHandle& r, const std::string& kernel, py::object grid, py::args args,
             py::kwargs kwargs) { return launch(r, kernel, grid, args, kwargs, false); },
          py::arg("kernel"), py::arg("grid"))
      .def(
          "wait",
          [](RuntimeHandle& r, const LaunchResult& l) {
            in_session(*r.machine, r.rank.get(), [&] { r.session->wait(l.handle); });
          },
          py::arg("launch"))
      .def(
          "wait_all",
          [](RuntimeHandle& r, const std::vector<LaunchResult>& ls) {
            in_session(*r.machine, r.rank.get(), [&] {
              for (const LaunchResult& l : ls) r.session->wait(l.handle);
            });
          },
          py::arg("launches"))
      .def("synchronize",
           [](RuntimeHandle& r) {
             in_session(*r.machine, r.rank.get(), [&] { r.session->synchronize(); });
           })
      .def(
          "set_device", [](RuntimeHandle& r, int index) { r.session->set_device(index); },
          py::arg("index"))
      .def(
          "set_device", [](RuntimeHandle& r, rt::Device d) { r.session->set_device(d); },
          py::arg("device"))
      .def(
          "set_device_index", [](RuntimeHandle& r, int i) { r.session->set_device_index(i); },
          py::arg("index"))
      .def_property_readonly("current_device",
                             [](const RuntimeHandle& r) { return r.session->current_device(); })
      .def_property_readonly("device",
                             [](const RuntimeHandle& r) { return r.machine->runtime().device(); })
      .def_property_readonly("machine", [](const RuntimeHandle& r) { return r.machine; })
      .def("kernels", [](const RuntimeHandle& r) { return r.machine->runtime().kernels().names(); })
      .def(
          "kernel_help",
          [](const RuntimeHandle& r, const std::string& name) {
            return r.machine->runtime().kernels().help(name);
          },
          py::arg("name"))
      .def_property_readonly(
          "live_tensors",
          [](const RuntimeHandle& r) { return r.machine->runtime().live_tensors(); })
      .def_property_readonly("in_flight",
                             [](const RuntimeHandle& r) { return r.session->in_flight(); })
      .def(
          "completions",
          [](const RuntimeHandle& r) {
            return rt::completion_rows(r.machine->system(), r.machine->runtime().records());
          },
          "One row per request, in submission order.")
      .def(
          "phase_table",
          [](const RuntimeHandle& r) {
            return rt::phase_rows(r.machine->system(), r.machine->runtime().records());
          },
          "One row per run of requests with the same phase and name.")
      .def("completion_table", [](RuntimeHandle& r) { return table(r, false); })
      .def("phase_summary", [](RuntimeHandle& r) { return table(r, true); });

  m.def("runtime_of", [](std::shared_ptr<Machine> mc) {
    return RuntimeHandle{mc, &mc->runtime().host(), nullptr};
  });
}

void bind_tensor(py::module_& m) {
  py::class_<rt::Shard>(m, "Shard", "One piece of a tensor on one PE.")
      .def_property_readonly("pe", [](const rt::Shard& s) { return pe_tuple(s.pe); })
      .def_readonly("part", &rt::Shard::part)
      .def_readonly("global_offset", &rt::Shard::global_offset)
      .def_readonly("shape", &rt::Shard::shape)
      .def_property_readonly("byte_offset",
                             [](const rt::Shard& s) { return s.byte_offset.count(); })
      .def_property_readonly("size_bytes", [](const rt::Shard& s) { return s.size.count(); });

  py::class_<TensorHandle>(m, "Tensor", "A tensor on the machine (freed when its handle dies).")
      .def_property_readonly("name", [](const TensorHandle& t) { return t.tensor.name(); })
      .def_property_readonly("dtype", [](const TensorHandle& t) { return t.tensor.dtype(); })
      .def_property_readonly(
          "shape", [](const TensorHandle& t) { return py::tuple(py::cast(t.tensor.shape())); })
      .def_property_readonly("numel", [](const TensorHandle& t) { return t.tensor.numel(); })
      .def_property_readonly("size_bytes",
                             [](const TensorHandle& t) { return t.tensor.size_bytes().count(); })
      .def_property_readonly("placement",
                             [](const TensorHandle& t) { return t.tensor.placement(); })
      .def_property_readonly("shards",
                             [](const TensorHandle& t) {
                               const auto s = t.tensor.shards();
                               return std::vector<rt::Shard>(s.begin(), s.end());
                             })
      .def_property_readonly("valid", [](const TensorHandle& t) { return t.tensor.valid(); })
      .def(
          "numpy",
          [](TensorHandle& t) {
            std::optional<rt::HostTensor> host;
            in_session(*t.machine, t.rank, [&] { host = t.tensor.to_host(); });
            return to_numpy(*host);
          },
          "The tensor's data gathered to the host (bf16 as uint16 bits).")
      .def(
          "copy_",
          [](TensorHandle& t, py::object array) -> TensorHandle& {
            const rt::HostTensor host = to_host_tensor(array, t.tensor.dtype());
            in_session(*t.machine, t.rank, [&] { t.tensor.copy_(host); });
            return t;
          },
          py::arg("array"), py::return_value_policy::reference_internal,
          "Scatters host data (converted to the tensor's dtype) into every shard.")
      .def("free",
           [](TensorHandle& t) { in_session(*t.machine, t.rank, [&] { t.tensor.free(); }); })
      .def("__repr__", [](const TensorHandle& t) {
        if (!t.tensor.valid())
          return fmt::format("<kernbench.Tensor '{}' (freed)>", t.tensor.name());
        return fmt::format("<kernbench.Tensor '{}' {} {} on {}>", t.tensor.name(), t.tensor.dtype(),
                           rt::to_string(t.tensor.shape()), t.tensor.placement());
      });
}

py::object time_or_none(const std::optional<base::SimTime>& t) {
  return t ? py::cast(t->ps()) : py::none();
}

void bind_stats(py::module_& m) {
  py::class_<rt::ProgramStats>(m, "ProgramStats",
                               "Where programs' time went, in picoseconds, and their counts.")
      .def_property_readonly("elapsed_ps", [](const rt::ProgramStats& s) { return s.elapsed.ps(); })
      .def_property_readonly("dma_ps", [](const rt::ProgramStats& s) { return s.dma.ps(); })
      .def_property_readonly("vector_ps", [](const rt::ProgramStats& s) { return s.vector.ps(); })
      .def_property_readonly("matrix_ps", [](const rt::ProgramStats& s) { return s.matrix.ps(); })
      .def_property_readonly("wait_ps", [](const rt::ProgramStats& s) { return s.wait.ps(); })
      .def_property_readonly("translation_ps",
                             [](const rt::ProgramStats& s) { return s.translation.ps(); })
      .def_readonly("dma_requests", &rt::ProgramStats::dma_requests)
      .def_readonly("tcm_peak_bytes", &rt::ProgramStats::tcm_peak_bytes)
      .def_readonly("tlb_lookups", &rt::ProgramStats::tlb_lookups)
      .def_readonly("tlb_misses", &rt::ProgramStats::tlb_misses)
      .def_readonly("tlb_reach_bytes", &rt::ProgramStats::tlb_reach_bytes);

  py::class_<rt::ProgramRecord>(m, "ProgramRecord", "One program of a launch.")
      .def_property_readonly("pe", [](const rt::ProgramRecord& p) { return pe_tuple(p.pe); })
      .def_property_readonly("program_id",
                             [](const rt::ProgramRecord& p) {
                               return py::make_tuple(p.program_id[0], p.program_id[1],
                                                     p.program_id[2]);
                             })
      .def_property_readonly("start_ps", [](const rt::ProgramRecord& p) { return p.start.ps(); })
      .def_property_readonly("end_ps", [](const rt::ProgramRecord& p) { return p.end.ps(); })
      .def_readonly("reported", &rt::ProgramRecord::reported)
      .def_readonly("stats", &rt::ProgramRecord::stats);

  py::class_<rt::PeStats>(m, "PeStats", "One target PE's part of a launch.")
      .def_property_readonly("pe", [](const rt::PeStats& p) { return pe_tuple(p.pe); })
      .def_readonly("programs", &rt::PeStats::programs)
      .def_readonly("reported", &rt::PeStats::reported)
      .def_property_readonly("start_ps", [](const rt::PeStats& p) { return p.start.ps(); })
      .def_property_readonly("end_ps", [](const rt::PeStats& p) { return p.end.ps(); })
      .def_readonly("total", &rt::PeStats::total);

  py::class_<rt::TensorArg>(m, "TensorArg", "A tensor argument as one PE sees it (its shard).")
      .def_readonly("name", &rt::TensorArg::name)
      .def_readonly("dtype", &rt::TensorArg::dtype)
      .def_readonly("shape", &rt::TensorArg::shape)
      .def_readonly("strides", &rt::TensorArg::strides)
      .def_readonly("global_offset", &rt::TensorArg::global_offset)
      .def_readonly("global_shape", &rt::TensorArg::global_shape)
      .def_property_readonly("numel", &rt::TensorArg::numel);

  py::class_<rt::ScalarArg>(m, "Scalar", "A kernel scalar of an explicit dtype.")
      .def(py::init([](py::object value, py::object dtype) {
             const base::DType t = to_dtype(dtype);
             if (t == base::DType::boolean) return rt::ScalarArg{t, value.cast<bool>()};
             if (base::is_floating(t)) return rt::ScalarArg{t, value.cast<double>()};
             return rt::ScalarArg{t, value.cast<std::int64_t>()};
           }),
           py::arg("value"), py::arg("dtype"))
      .def_readonly("dtype", &rt::ScalarArg::dtype)
      .def_property_readonly("value", [](const rt::ScalarArg& s) {
        return std::visit([](auto v) { return py::cast(v); }, s.value);
      });

  py::class_<rt::Grid>(m, "Grid", "A 1-3-D grid of programs.")
      .def(py::init([](std::int64_t x, std::int64_t y, std::int64_t z) {
             return rt::Grid{x, y, z};
           }),
           py::arg("x"), py::arg("y") = 1, py::arg("z") = 1)
      .def_readonly("x", &rt::Grid::x)
      .def_readonly("y", &rt::Grid::y)
      .def_readonly("z", &rt::Grid::z);

  py::class_<LaunchResult>(m, "Launch", "A launch: its kernel, whether it is done, its figures.")
      .def_property_readonly("kernel", [](const LaunchResult& l) { return l.handle.kernel; })
      .def_property_readonly("done",
                             [](const LaunchResult& l) {
                               for (const hw::RequestHandle h : l.handle.requests)
                                 if (!l.machine->system().completion(h).done) return false;
                               return true;
                             })
      .def("wait",
           [](LaunchResult& l) {
             in_session(*l.machine, l.rank.get(), [&] { l.session->wait(l.handle); });
           })
      .def_property_readonly("programs",
                             [](const LaunchResult& l) {
                               const auto p = l.handle.stats->programs();
                               return std::vector<rt::ProgramRecord>(p.begin(), p.end());
                             })
      .def_property_readonly("pes",
                             [](const LaunchResult& l) {
                               const auto p = l.handle.stats->pes();
                               return std::vector<rt::PeStats>(p.begin(), p.end());
                             })
      .def(
          "total",
          [](const LaunchResult& l, std::optional<int> sip) {
            return sip ? l.handle.stats->total(*sip) : l.handle.stats->total();
          },
          py::arg("sip") = py::none(), "Sums over every PE, or over one SIP's PEs.");

  py::class_<rt::PhaseRow>(m, "PhaseRow",
                           "A row of the completion table (one request) or phase table (a run "
                           "of requests with one phase and name); times in picoseconds.")
      .def_readonly("phase", &rt::PhaseRow::phase)
      .def_readonly("name", &rt::PhaseRow::name)
      .def_readonly("requests", &rt::PhaseRow::requests)
      .def_readonly("targets", &rt::PhaseRow::targets)
      .def_property_readonly("bytes", [](const rt::PhaseRow& r) { return r.bytes.count(); })
      .def_property_readonly("start_ps", [](const rt::PhaseRow& r) { return r.start.ps(); })
      .def_property_readonly("end_ps", [](const rt::PhaseRow& r) { return time_or_none(r.end); })
      .def_property_readonly("duration_ps",
                             [](const rt::PhaseRow& r) {
                               return r.end ? py::cast((*r.end - r.start).ps()) : py::none();
                             })
      .def_property_readonly("breakdown",
                             [](const rt::PhaseRow& r) {
                               return r.reported == 0 ? py::none() : py::cast(r.breakdown);
                             })
      .def_readonly("reported", &rt::PhaseRow::reported)
      .def("__repr__", [](const rt::PhaseRow& r) {
        return fmt::format("<PhaseRow {} '{}' requests={} targets={} bytes={} start_ps={}>",
                           r.phase, r.name, r.requests, r.targets, r.bytes.count(), r.start.ps());
      });
}

}  // namespace

rt::LaunchArg to_launch_arg(py::handle v, std::string_view kernel, std::size_t index) {
  if (py::isinstance<TensorHandle>(v)) return &v.cast<TensorHandle&>().tensor;
  if (py::isinstance<rt::ScalarArg>(v)) return v.cast<rt::ScalarArg>();
  if (py::isinstance<py::bool_>(v)) return rt::ScalarArg{base::DType::boolean, v.cast<bool>()};
  if (py::isinstance<py::int_>(v)) return int_scalar(v, kernel, index);
  if (py::isinstance<py::float_>(v)) return rt::ScalarArg{base::DType::f32, v.cast<double>()};
  throw base::ShapeError(fmt::format(
      "launch '{}': argument {} is {}; arguments are kernbench tensors, ints (i32), floats (f32), "
      "bools or kernbench.Scalar",
      kernel, index, repr_of(v)));
}

LaunchResult submit_launch(RuntimeHandle& r, const std::string& kernel, rt::KernelFn fn,
                           const py::object& grid, std::vector<rt::LaunchArg> list, bool wait) {
  check_session(*r.machine, r.rank.get());
  const rt::GridSpec spec = to_grid_spec(grid, kernel, list);
  LaunchResult out{r.machine, r.session, r.rank, {}};
  in_session(*r.machine, r.rank.get(), [&] {
    out.handle = r.session->submit_launch(kernel, std::move(fn), spec, list);
    if (wait) r.session->wait(out.handle);
  });
  return out;
}

void bind_runtime(py::module_& m) {
  bind_stats(m);
  bind_tensor(m);
  bind_runtime_class(m);
}

}  // namespace kernbench::python
