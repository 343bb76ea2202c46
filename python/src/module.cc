// The module's entry point and its values: exception classes mapped from the C++ error types
// (same messages), dtypes and their numpy forms, devices, placements and the machine.
#include <cstring>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <pybind11/stl.h>

#include "bindings.h"

#include "kernbench/base/error.h"
#include "kernbench/base/limit_error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/collective_call.h"
#include "kernbench/rt/demo_kernels.h"
#include "kernbench/rt/host_tensor.h"
#include "kernbench/rt/placement.h"
#include "kernbench/tl/semantic_error.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::python {

namespace {

// A kernel program's Python runs on its process's fiber (ThreadStateSwitcher), one C stack level
// per nested Python call made through a C slot (about 1 KiB each): 2 MiB holds Python's default
// recursion limit of 1000 frames, which then ends a runaway recursion with a RecursionError.
// Untouched stack pages cost no memory.
constexpr std::size_t kFiberStackBytes = std::size_t{2} << 20;

}  // namespace

Machine::Machine(topo::TopologySpec spec, rt::Device device)
    : engine_(std::make_unique<sim::Engine>(sim::EngineConfig{{}, kFiberStackBytes})),
      system_(std::make_unique<hw::System>(*engine_, std::move(spec))),
      runtime_(std::make_unique<rt::Runtime>(*system_, device)) {
  engine_->set_limits(hw::run_limits(system_->spec()));
  rt::register_demo_kernels(runtime_->kernels());
}

Machine::~Machine() {
  // Ranks left blocked by a failed run may still hold threads that need the GIL to finish.
  if (PyGILState_Check() != 0) {
    py::gil_scoped_release release;
    runtime_.reset();
    system_.reset();
    engine_.reset();
  }
  if (PyGILState_Check() != 0)
    for (PyObject* object : given_back_) Py_DECREF(object);
}

std::shared_ptr<PyObject> Machine::keep(py::object object) {
  return {object.release().ptr(), [this](PyObject* given) {
            const std::lock_guard lock(given_back_mutex_);
            given_back_.push_back(given);
          }};
}

Machine& Machine::check() {
  if (!engine_) throw base::Error("this machine was taken down by a failed run: " + shut_down_);
  return *this;
}

void Machine::shutdown(std::string why) {
  shut_down_ = std::move(why);
  runtime_.reset();  // tensors' handles go inert
  system_.reset();
  engine_.reset();  // unwinds the processes still blocked
}

void Machine::release(rt::Tensor tensor) {
  if (!tensor.valid()) return;
  if (busy()) {
    deferred_.push_back(std::move(tensor));
    return;
  }
  const Busy busy(*this);
  try {
    // The engine may run a Python kernel's programs, whose threads take the GIL.
    std::optional<py::gil_scoped_release> release;
    if (PyGILState_Check() != 0) release.emplace();
    tensor.free();
  } catch (const std::exception&) {
    // A free that fails (a broken simulation) leaves the storage to the runtime's teardown.
  }
}

void Machine::drain() {
  std::vector<PyObject*> given_back;
  {
    const std::lock_guard lock(given_back_mutex_);
    given_back.swap(given_back_);
  }
  for (PyObject* object : given_back) Py_DECREF(object);
  if (busy() || !engine_) return;
  std::vector<rt::Tensor> pending = std::move(deferred_);
  deferred_.clear();
  for (rt::Tensor& t : pending) release(std::move(t));
}

namespace {

// "f16, bf16, ..." for errors.
std::string dtype_names() {
  std::vector<std::string_view> names;
  for (const base::DType t : base::kAllDTypes) names.push_back(base::name(t));
  return fmt::format("{}", fmt::join(names, ", "));
}

base::DType from_numpy_dtype(const py::dtype& d) {
  const char kind = d.kind();
  const auto size = static_cast<std::size_t>(d.itemsize());
  for (const base::DType t : base::kAllDTypes) {
    if (t == base::DType::bf16 || base::size_bytes(t) != size) continue;
    const char want = base::is_floating(t)           ? 'f'
                      : base::is_signed_integer(t)   ? 'i'
                      : base::is_unsigned_integer(t) ? 'u'
                                                     : 'b';
    if (kind == want) return t;
  }
  throw base::NotFoundError(
      fmt::format("numpy dtype '{}' has no KernBench dtype; known: {}",
                  py::str(static_cast<const py::handle&>(d)).cast<std::string>(), dtype_names()));
}

}  // namespace

base::DType to_dtype(py::handle value) {
  if (py::isinstance<base::DType>(value)) return value.cast<base::DType>();
  if (py::isinstance<py::str>(value)) {
    const auto text = value.cast<std::string>();
    if (const auto t = base::parse_dtype(text)) return *t;
    if (text == "bool") return base::DType::boolean;
    throw base::NotFoundError(fmt::format("unknown dtype '{}'; known: {}", text, dtype_names()));
  }
  return from_numpy_dtype(py::dtype::from_args(py::reinterpret_borrow<py::object>(value)));
}

py::dtype numpy_dtype(base::DType dtype) {
  switch (dtype) {
    case base::DType::f16: return py::dtype("float16");
    case base::DType::bf16: return py::dtype("uint16");
    case base::DType::f32: return py::dtype("float32");
    case base::DType::f64: return py::dtype("float64");
    case base::DType::i8: return py::dtype("int8");
    case base::DType::i16: return py::dtype("int16");
    case base::DType::i32: return py::dtype("int32");
    case base::DType::i64: return py::dtype("int64");
    case base::DType::u8: return py::dtype("uint8");
    case base::DType::u16: return py::dtype("uint16");
    case base::DType::u32: return py::dtype("uint32");
    case base::DType::boolean: return py::dtype("bool");
  }
  throw base::InternalError("numpy_dtype: unknown dtype");
}

namespace {

py::module_ numpy() { return py::module_::import("numpy"); }

// f32 elements -> bf16 bits, round to nearest even.
py::array float_to_bf16(py::handle values) {
  const auto in = numpy().attr("ascontiguousarray")(values, "float32").cast<py::array>();
  py::array out(py::dtype("uint16"), std::vector<py::ssize_t>(in.shape(), in.shape() + in.ndim()));
  const auto* src = static_cast<const float*>(in.data());
  auto* dst = static_cast<std::uint16_t*>(out.mutable_data());
  for (py::ssize_t i = 0; i < in.size(); ++i) dst[i] = base::f32_to_bf16_bits(src[i]);
  return out;
}

// bf16 bits -> f32 (exact).
py::array bf16_to_float(py::handle bits) {
  const auto in = numpy().attr("ascontiguousarray")(bits).cast<py::array>();
  if (!in.dtype().is(py::dtype("uint16")) && in.dtype().kind() != 'u')
    throw base::ShapeError(fmt::format("bf16 bits must be a uint16 array, not {}",
                                       py::str(in.dtype()).cast<std::string>()));
  const auto u16 = numpy().attr("ascontiguousarray")(in, "uint16").cast<py::array>();
  py::array out(py::dtype("float32"),
                std::vector<py::ssize_t>(u16.shape(), u16.shape() + u16.ndim()));
  const auto* src = static_cast<const std::uint16_t*>(u16.data());
  auto* dst = static_cast<float*>(out.mutable_data());
  for (py::ssize_t i = 0; i < u16.size(); ++i) dst[i] = base::bf16_bits_to_f32(src[i]);
  return out;
}

}  // namespace

py::array as_elements(py::handle array, base::DType dtype) {
  py::object a = numpy().attr("asarray")(array);
  if (dtype == base::DType::bf16 && a.attr("dtype").attr("kind").cast<std::string>() != "u")
    return float_to_bf16(a);
  return numpy().attr("ascontiguousarray")(a, numpy_dtype(dtype)).cast<py::array>();
}

py::array to_numpy(const rt::HostTensor& host) {
  py::array out(numpy_dtype(host.dtype()), host.shape());
  if (!host.bytes().empty())
    std::memcpy(out.mutable_data(), host.bytes().data(), host.bytes().size());
  return out;
}

rt::HostTensor to_host_tensor(py::handle array, base::DType dtype) {
  const py::array a = as_elements(array, dtype);
  std::vector<std::byte> bytes(static_cast<std::size_t>(a.nbytes()));
  if (!bytes.empty()) std::memcpy(bytes.data(), a.data(), bytes.size());
  return rt::HostTensor(dtype, rt::Shape(a.shape(), a.shape() + a.ndim()), std::move(bytes));
}

void bind_errors(py::module_& m) {
  // One Python class per C++ type, all under kernbench.Error, with the C++ message.
  static py::exception<base::Error> error(m, "Error");
  static py::exception<base::ConfigError> config(m, "ConfigError", error.ptr());
  static py::exception<base::ShapeError> shape(m, "ShapeError", error.ptr());
  static py::exception<base::OutOfMemoryError> oom(m, "OutOfMemoryError", error.ptr());
  static py::exception<base::AddressError> address(m, "AddressError", error.ptr());
  static py::exception<base::NotFoundError> not_found(m, "NotFoundError", error.ptr());
  static py::exception<base::DeadlockError> deadlock(m, "DeadlockError", error.ptr());
  static py::exception<base::SimulationLimitError> limit(m, "SimulationLimitError", error.ptr());
  static py::exception<base::ProcessError> process(m, "ProcessError", error.ptr());
  static py::exception<ccl::CollectiveMismatchError> mismatch(m, "CollectiveMismatchError",
                                                              error.ptr());
  static py::exception<tl::SemanticError> semantic(m, "SemanticError", error.ptr());
  static py::exception<base::InternalError> internal(m, "InternalError");
  static py::exception<base::InputSizeLimitError> input_size(m, "InputSizeLimitError",
                                                             config.ptr());
  static py::exception<base::HostMemoryLimitError> host_memory(m, "HostMemoryLimitError",
                                                               oom.ptr());
  // Raises the C++ error `kind` with `message` (tests check every translation with it).
  m.def("_raise", [](const std::string& kind, const std::string& message) {
    if (kind == "ConfigError") throw base::ConfigError({message});
    if (kind == "InputSizeLimitError") throw base::InputSizeLimitError({message});
    if (kind == "HostMemoryLimitError") throw base::HostMemoryLimitError(message);
    if (kind == "ShapeError") throw base::ShapeError(message);
    if (kind == "OutOfMemoryError") throw base::OutOfMemoryError(message);
    if (kind == "AddressError") throw base::AddressError(message);
    if (kind == "NotFoundError") throw base::NotFoundError(message);
    if (kind == "DeadlockError") throw base::DeadlockError(message);
    if (kind == "SimulationLimitError") throw base::SimulationLimitError(message);
    if (kind == "ProcessError") throw base::ProcessError(message);
    if (kind == "CollectiveMismatchError") throw ccl::CollectiveMismatchError(message);
    if (kind == "SemanticError") throw tl::SemanticError(message);
    if (kind == "InternalError") throw base::InternalError(message);
    throw base::Error(message);
  });
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const base::InputSizeLimitError& e) {
      input_size(e.what());
    } catch (const base::HostMemoryLimitError& e) {
      host_memory(e.what());
    } catch (const base::ConfigError& e) {
      config(e.what());
    } catch (const base::ShapeError& e) {
      shape(e.what());
    } catch (const base::OutOfMemoryError& e) {
      oom(e.what());
    } catch (const base::AddressError& e) {
      address(e.what());
    } catch (const base::NotFoundError& e) {
      not_found(e.what());
    } catch (const base::DeadlockError& e) {
      deadlock(e.what());
    } catch (const base::SimulationLimitError& e) {
      limit(e.what());
    } catch (const base::ProcessError& e) {
      process(e.what());
    } catch (const ccl::CollectiveMismatchError& e) {
      mismatch(e.what());
    } catch (const tl::SemanticError& e) {
      semantic(e.what());
    } catch (const base::Error& e) {
      error(e.what());
    } catch (const base::InternalError& e) {
      internal(e.what());
    }
  });
}

namespace {

rt::LevelPlacement to_level(py::handle value, const char* level) {
  if (value.is_none()) return {};
  if (py::isinstance<rt::LevelPlacement>(value)) return value.cast<rt::LevelPlacement>();
  if (py::isinstance<py::int_>(value) && !py::isinstance<py::bool_>(value))
    return rt::LevelPlacement::at(value.cast<int>());
  if (py::isinstance<py::str>(value)) {
    const auto text = value.cast<std::string>();
    for (const rt::Split s : {rt::Split::replicate, rt::Split::rows, rt::Split::columns})
      if (text == rt::name(s)) return {s, 0};
    throw base::NotFoundError(fmt::format(
        "placement level '{}': unknown split '{}'; known: replicate, rows, columns", level, text));
  }
  throw base::ShapeError(
      fmt::format("placement level '{}': {} is not a split name, a unit index or a kernbench.Level",
                  level, py::repr(value).cast<std::string>()));
}

rt::Split to_split(const std::string& text) { return to_level(py::str(text), "level").split; }

std::string level_repr(const rt::LevelPlacement& l) {
  return fmt::format("kernbench.Level('{}', count={}, first={})", rt::name(l.split), l.count,
                     l.first);
}

topo::PeCoord to_pe(const std::tuple<int, int, int>& t) {
  return {std::get<0>(t), std::get<1>(t), std::get<2>(t)};
}

void bind_placement(py::module_& m) {
  py::class_<rt::LevelPlacement>(m, "Level",
                                 "One level's placement: a split over `count` units (0: all) "
                                 "from unit `first` (-1: the device's first).")
      .def(py::init([](const std::string& split, int count, int first) {
             return rt::LevelPlacement{to_split(split), count, first};
           }),
           py::arg("split") = "replicate", py::arg("count") = 0, py::arg("first") = -1)
      .def_property_readonly("split", [](const rt::LevelPlacement& l) { return rt::name(l.split); })
      .def_readonly("count", &rt::LevelPlacement::count)
      .def_readonly("first", &rt::LevelPlacement::first)
      .def("__eq__",
           [](const rt::LevelPlacement& a, const rt::LevelPlacement& b) { return a == b; })
      .def("__repr__", &level_repr)
      .def("__str__", [](const rt::LevelPlacement& l) { return fmt::format("{}", l); });
  m.def("replicate", &rt::LevelPlacement::replicate, py::arg("count") = 0,
        "A copy on each of `count` units (0: all).");
  m.def("rows", &rt::LevelPlacement::rows, py::arg("count") = 0,
        "Dimension 0 split over `count` units (0: all).");
  m.def("columns", &rt::LevelPlacement::columns, py::arg("count") = 0,
        "The last dimension split over `count` units (0: all).");
  m.def("at", &rt::LevelPlacement::at, py::arg("index"), "Unit `index` alone.");

  py::class_<rt::Placement>(m, "Placement",
                            "Per level (sip, cube, pe): a split name, a unit index or a Level; "
                            "Placement() is one copy on the current device's first PE.")
      .def(py::init([](py::object sip, py::object cube, py::object pe) {
             return rt::Placement{to_level(sip, "sip"), to_level(cube, "cube"), to_level(pe, "pe")};
           }),
           py::kw_only(), py::arg("sip") = py::none(), py::arg("cube") = py::none(),
           py::arg("pe") = py::none())
      .def_static(
          "at", [](const std::tuple<int, int, int>& pe) { return rt::Placement::at(to_pe(pe)); },
          py::arg("pe"), "One copy on PE (sip, cube, pe).")
      .def_readonly("sip", &rt::Placement::sip)
      .def_readonly("cube", &rt::Placement::cube)
      .def_readonly("pe", &rt::Placement::pe)
      .def("__eq__", [](const rt::Placement& a, const rt::Placement& b) { return a == b; })
      .def("__repr__",
           [](const rt::Placement& p) {
             return fmt::format("kernbench.Placement(sip={}, cube={}, pe={})", level_repr(p.sip),
                                level_repr(p.cube), level_repr(p.pe));
           })
      .def("__str__", [](const rt::Placement& p) { return fmt::format("{}", p); });
}

void bind_device(py::module_& m) {
  py::class_<rt::Device>(m, "Device", "Every SIP, a SIP, a cube or a PE.")
      .def_static("all", &rt::Device::all)
      .def_static("sip", &rt::Device::sip, py::arg("index"))
      .def_static(
          "cube",
          [](int sip, int cube) {
            return rt::Device::cube({sip, cube});
          },
          py::arg("sip"), py::arg("cube"))
      .def_static(
          "pe",
          [](int sip, int cube, int pe) {
            return rt::Device::pe({sip, cube, pe});
          },
          py::arg("sip"), py::arg("cube"), py::arg("pe"))
      .def_property_readonly("kind",
                             [](const rt::Device& d) {
                               static constexpr const char* kKinds[] = {"all", "sip", "cube", "pe"};
                               return kKinds[static_cast<int>(d.kind())];
                             })
      .def_property_readonly("first_pe",
                             [](const rt::Device& d) {
                               const topo::PeCoord p = d.first_pe();
                               return py::make_tuple(p.sip, p.cube, p.pe);
                             })
      .def("__eq__", [](const rt::Device& a, const rt::Device& b) { return a == b; })
      .def("__repr__", [](const rt::Device& d) { return fmt::format("<Device {}>", d); })
      .def("__str__", [](const rt::Device& d) { return fmt::format("{}", d); });
}

topo::Overrides to_overrides(const py::dict& set) {
  topo::Overrides out;
  for (const auto& [key, value] : set) {
    std::string text = py::isinstance<py::bool_>(value) ? (value.cast<bool>() ? "true" : "false")
                                                        : py::str(value).cast<std::string>();
    out.push_back(py::str(key).cast<std::string>() + "=" + text);
  }
  return out;
}

// The ccl.yaml a machine's process groups name entries of: the embedded one with `file`'s entries
// added and the ccl.* settings among `overrides` (as --ccl and --set give them to the command
// line, with its errors); absent when neither is given. Each note (an added entry replacing a
// built-in one) is a UserWarning.
std::optional<ccl::CclConfig> machine_ccl(const py::object& file,
                                          const topo::Overrides& overrides) {
  ccl::CclInputs inputs;
  if (!file.is_none()) inputs.file = py::str(file).cast<std::string>();
  for (const std::string& o : overrides)
    if (ccl::is_ccl_setting(o)) inputs.settings.push_back(o);
  if (inputs.file.empty() && inputs.settings.empty()) return std::nullopt;
  ccl::CclConfig config = ccl::load_ccl_config(inputs, ccl::default_algorithm_registry());
  for (const std::string& note : config.notes)
    if (PyErr_WarnEx(PyExc_UserWarning, note.c_str(), 1) != 0) throw py::error_already_set();
  return config;
}

void bind_machine(py::module_& m) {
  py::class_<Machine, std::shared_ptr<Machine>>(
      m, "Machine",
      "A simulated machine: the embedded default, a topology file or YAML text, with overrides "
      "(set={'key.path': value}, ccl.yaml keys as 'ccl.ENTRY.KEY' or 'ccl.defaults.KEY'), the "
      "ccl.yaml entries of the file `ccl` added to the built-in ones; its runtime targets "
      "`device` (every SIP by default).")
      .def(py::init([](py::object topology, py::object yaml, py::dict set, py::object device,
                       py::object ccl_file) {
             topo::Overrides overrides;
             for (std::string& o : to_overrides(set))
               if (!ccl::is_ccl_setting(o)) overrides.push_back(std::move(o));
             std::optional<ccl::CclConfig> ccl = machine_ccl(ccl_file, to_overrides(set));
             topo::TopologySpec spec =
                 !yaml.is_none()
                     ? topo::load_topology_text(yaml.cast<std::string>(), "<yaml>", overrides)
                 : !topology.is_none()
                     ? topo::load_topology_file(py::str(topology).cast<std::string>(), overrides)
                     : topo::default_topology(overrides);
             const rt::Device d = device.is_none() ? rt::Device::all() : device.cast<rt::Device>();
             auto machine = std::make_shared<Machine>(std::move(spec), d);
             machine->ccl = std::move(ccl);
             return machine;
           }),
           py::arg("topology") = py::none(), py::kw_only(), py::arg("yaml") = py::none(),
           py::arg("set") = py::dict(), py::arg("device") = py::none(), py::arg("ccl") = py::none())
      .def_property_readonly("sips",
                             [](Machine& mc) { return mc.system().spec().system.sip_count; })
      .def_property_readonly("cubes_per_sip",
                             [](Machine& mc) { return mc.system().spec().cubes_per_sip(); })
      .def_property_readonly("pes_per_cube",
                             [](Machine& mc) { return mc.system().spec().pes_per_cube(); })
      .def_property_readonly(
          "now_ps", [](Machine& mc) { return mc.engine().now().ps(); },
          "The simulated time, in picoseconds.");
}

}  // namespace

void bind_values(py::module_& m) {
  py::enum_<base::DType> dtype(m, "DType", "Element types; bf16 crosses to numpy as uint16 bits.");
  for (const base::DType t : base::kAllDTypes)
    dtype.value(t == base::DType::boolean ? "bool_" : std::string(base::name(t)).c_str(), t);
  dtype.def_property_readonly("itemsize", [](base::DType t) { return base::size_bytes(t); })
      .def_property_readonly("numpy", &numpy_dtype, "The numpy dtype holding its elements.");
  // Replaces the enum's own __str__ (a def would only add an overload behind it).
  dtype.attr("__str__") = py::cpp_function([](base::DType t) { return std::string(base::name(t)); },
                                           py::is_method(dtype));
  m.def(
      "dtype", [](py::handle v) { return to_dtype(v); }, py::arg("value"),
      "The DType a name, numpy dtype or DType names.");
  m.def("float_to_bf16", &float_to_bf16, py::arg("values"),
        "bf16 bits (uint16) of floats, rounded to nearest even.");
  m.def("bf16_to_float", &bf16_to_float, py::arg("bits"), "float32 values of bf16 bits.");
  bind_placement(m);
  bind_device(m);
  bind_machine(m);
}

}  // namespace kernbench::python

PYBIND11_MODULE(_kernbench, m) {
  namespace kp = kernbench::python;
  m.doc() = "KernBench: a simulator of the AHBM near-memory AI accelerator (C++ core).";
  kp::bind_errors(m);
  kp::bind_values(m);
  kp::bind_runtime(m);
  kp::bind_distributed(m);
  kp::bind_language(m);
}
