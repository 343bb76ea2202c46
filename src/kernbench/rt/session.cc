#include "kernbench/rt/session.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/rt/runtime.h"

namespace kernbench::rt {
namespace {

// A fill of `value` converted to `dtype`.
mem::FillPattern element_pattern(double value, base::DType dtype) {
  return mem::FillPattern::of_bytes(encode_element(value, dtype).data(), base::size_bytes(dtype));
}

}  // namespace

Session::Session(Runtime& runtime, sim::Process* process)
    : runtime_(runtime),
      process_(process),
      device_(runtime.device()),
      host_memory_(runtime.system().spec()) {}

void Session::account(std::string_view what, const topo::HostMemoryEstimate& next) {
  topo::check_host_memory(what, next.bytes(), host_memory_budget_);
  host_memory_ = next;
}

void Session::set_device(Device device) {
  device.check(runtime_.system().spec());
  if (!runtime_.device().covers(device))
    throw base::NotFoundError(
        fmt::format("set_device({}): this runtime targets {} only", device, runtime_.device()));
  device_ = device;
}

void Session::set_device(int index) {
  if (devices_.empty()) return set_device(Device::sip(index));
  if (index < 0 || index >= static_cast<int>(devices_.size()))
    throw base::NotFoundError(
        fmt::format("set_device({}): devices are numbered by rank, 0..{} (set_device(i) is rank "
                    "i's device)",
                    index, devices_.size() - 1));
  set_device(devices_[static_cast<std::size_t>(index)]);
}

void Session::number_devices(std::vector<Device> devices) { devices_ = std::move(devices); }

Tensor Session::empty(Shape shape, base::DType dtype, const Placement& placement,
                      std::string name) {
  return create(std::move(shape), dtype, placement, std::move(name), nullptr);
}

Tensor Session::zeros(Shape shape, base::DType dtype, const Placement& placement,
                      std::string name) {
  const mem::FillPattern zero;
  return create(std::move(shape), dtype, placement, std::move(name), &zero);
}

Tensor Session::full(Shape shape, double value, base::DType dtype, const Placement& placement,
                     std::string name) {
  const mem::FillPattern pattern = element_pattern(value, dtype);
  return create(std::move(shape), dtype, placement, std::move(name), &pattern);
}

Tensor Session::from_host(const HostTensor& host, const Placement& placement, std::string name) {
  Tensor t = create(host.shape(), host.dtype(), placement, std::move(name), nullptr);
  t.copy_(host);
  return t;
}

// Resolve, allocate (all or nothing), then submit every map and fill before waiting on any.
Tensor Session::create(Shape shape, base::DType dtype, const Placement& placement, std::string name,
                       const mem::FillPattern* fill) {
  hw::System& system = runtime_.system();
  if (name.empty()) name = runtime_.next_name();
  std::vector<Shard> shards =
      resolve_placement(placement, name, shape, dtype, system.spec(), device_);
  const std::uint64_t id =
      runtime_.adopt(allocate_storage(system, runtime_.virtual_space(), name, dtype,
                                      std::move(shape), placement, std::move(shards)));
  Tensor tensor(*this, id, name);  // from here on its destructor cleans up on any error
  const TensorStorage& s = runtime_.storage(id, name);
  std::uint64_t pe_maps = 0, commands = 0;
  for (const PartMapping& m : s.mappings) {
    pe_maps += m.targets.size();
    commands += m.targets.cubes().size();
  }
  account(fmt::format("a run mapping tensor '{}' ({} part maps on PEs)", name, pe_maps),
          host_memory_.with_maps(pe_maps, commands));
  std::vector<hw::RequestHandle> handles;
  try {
    for (const PartMapping& m : s.mappings) {
      const auto part = static_cast<std::size_t>(m.part);
      handles.push_back(
          submit(hw::MmuMap{m.targets, s.part_va(m.part), s.pas[m.source], s.part_sizes[part]},
                 "map", name));
    }
    for (std::size_t i = 0; fill != nullptr && i < s.shards.size(); ++i)
      if (s.shards[i].size.count() > 0)
        handles.push_back(
            submit(hw::MemoryWrite{s.pas[i], s.shards[i].size, *fill}, "write", name));
  } catch (...) {
    wait_requests(handles);  // nothing may still be on its way when the tensor is torn down
    throw;
  }
  wait_requests(handles);
  return tensor;
}

void Session::write(const Tensor& tensor, const HostTensor& host) {
  const TensorStorage& s = tensor.storage();
  if (host.dtype() != s.dtype)
    throw base::ShapeError(fmt::format("copy_ into tensor '{}' ({}): the host data is {}", s.name,
                                       s.dtype, host.dtype()));
  if (host.shape() != s.shape)
    throw base::ShapeError(
        fmt::format("copy_ into tensor '{}': host shape {} differs from the "
                    "tensor's {}",
                    s.name, to_string(host.shape()), to_string(s.shape)));
  std::uint64_t bytes = 0;
  for (const Shard& shard : s.shards) bytes += shard.size.count();
  account(fmt::format("a run writing {} into tensor '{}'", base::Bytes(bytes), s.name),
          host_memory_.with_write(bytes));
  synchronize();  // like a stream: earlier launches finish before the data changes under them
  std::vector<hw::RequestHandle> handles;
  for (std::size_t i = 0; i < s.shards.size(); ++i) {
    const Shard& shard = s.shards[i];
    if (shard.size.count() == 0) continue;
    handles.push_back(submit(hw::MemoryWrite{s.pas[i], shard.size,
                                             extract_box(host.bytes(), s.shape, shard.global_offset,
                                                         shard.shape, base::size_bytes(s.dtype))},
                             "write", s.name));
  }
  wait_requests(handles);
}

HostTensor Session::read(const Tensor& tensor) {
  const TensorStorage& s = tensor.storage();
  synchronize();
  std::vector<std::pair<std::size_t, hw::RequestHandle>> reads;  // first copy of each part
  std::vector<bool> seen(static_cast<std::size_t>(part_count(s.shards)), false);
  for (std::size_t i = 0; i < s.shards.size(); ++i) {
    const Shard& shard = s.shards[i];
    if (seen[static_cast<std::size_t>(shard.part)] || shard.size.count() == 0) continue;
    seen[static_cast<std::size_t>(shard.part)] = true;
    reads.emplace_back(i, submit(hw::MemoryRead{s.pas[i], shard.size}, "read", s.name));
  }
  HostTensor out = HostTensor::zeros(s.dtype, s.shape);
  for (const auto& [i, handle] : reads) {
    wait_requests({&handle, 1});
    const Shard& shard = s.shards[i];
    insert_box(out.bytes(), s.shape, shard.global_offset, shard.shape,
               runtime_.system().take_read_data(handle), base::size_bytes(s.dtype));
  }
  return out;
}

LaunchHandle Session::launch_impl(std::string kernel, KernelFn fn, const GridSpec& grid,
                                  std::vector<LaunchArg> args) {
  if (!fn) fn = runtime_.kernels().find(kernel);
  LaunchPlan planned = plan_launch(kernel, std::move(fn), grid, args);
  planned.timing_only = runtime_.timing_only();
  auto plan = std::make_shared<const LaunchPlan>(std::move(planned));
  std::vector<topo::PeCoord> pes;
  for (const PeWork& w : plan->work) pes.push_back(w.pe);
  account(fmt::format("a run launching '{}' on {} PEs", kernel, pes.size()),
          host_memory_.with_launch(pes.size()));
  auto stats = std::make_shared<LaunchStats>(pes);
  LaunchHandle handle{kernel, {}, stats};
  for (hw::KernelLaunch& request : launch_requests(plan, stats)) {
    handle.requests.push_back(submit(std::move(request), "launch", kernel));
    runtime_.records_.back().launch = stats;
  }
  return handle;
}

void Session::wait(const LaunchHandle& launch) { wait_requests(launch.requests); }

void Session::wait_all(std::span<const LaunchHandle> launches) {
  for (const LaunchHandle& l : launches) wait(l);
}

void Session::synchronize() {
  const std::vector<hw::RequestHandle> pending = in_flight_;
  wait_requests(pending);
}

hw::RequestHandle Session::submit(hw::Request request, std::string_view phase,
                                  std::string_view name) {
  const hw::RequestHandle h = runtime_.system().submit(std::move(request));
  runtime_.records_.push_back(PhaseRecord{std::string(phase), std::string(name), h, {}});
  in_flight_.push_back(h);
  return h;
}

void Session::wait_requests(std::span<const hw::RequestHandle> handles) {
  hw::System& system = runtime_.system();
  for (const hw::RequestHandle h : handles) {
    if (process_ != nullptr)
      system.wait(*process_, h);
    else
      system.wait(h);
    std::erase(in_flight_, h);
  }
}

}  // namespace kernbench::rt
