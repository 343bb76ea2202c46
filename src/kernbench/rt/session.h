// One rank's view of a runtime: its current device, the process that waits on its requests (none
// for the host, whose waits run the engine), and the calls a bench makes -- create tensors,
// launch kernels, wait. Each rank of a distributed bench gets its own from Runtime::session.
#pragma once

#include <string>
#include <vector>

#include "kernbench/rt/device.h"
#include "kernbench/rt/launch.h"
#include "kernbench/rt/tensor.h"
#include "kernbench/topo/host_memory.h"

namespace kernbench::sim {
class Process;
}

namespace kernbench::rt {

class Runtime;

class Session {
 public:
  Session(Runtime& runtime, sim::Process* process);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Runtime& runtime() const { return runtime_; }
  /// The rank's process, or null for the host session.
  sim::Process* process() const { return process_; }

  /// Makes `device` current for this rank; NotFoundError if the runtime does not cover it.
  void set_device(Device device);
  /// Makes device `index` current (torch.ahbm.set_device(rank)): SIP `index`, or once
  /// number_devices gave a list (run_ranks does: rank i's device), its entry `index`.
  void set_device(int index);
  /// The accelerator-style alias (torch.accelerator.set_device_index).
  void set_device_index(int index) { set_device(index); }
  Device current_device() const { return device_; }
  /// How set_device(int) numbers devices from now on: index i is devices[i] (empty: SIP i).
  void number_devices(std::vector<Device> devices);

  // Tensor creation. `name` is for errors, traces and reports ("tensor<N>" when empty); the
  // placement spreads the tensor over the current device.

  /// A tensor whose contents are whatever the memory held (no write request).
  Tensor empty(Shape shape, base::DType dtype = base::DType::f32, const Placement& placement = {},
               std::string name = {});
  /// A tensor of zeros (fill requests).
  Tensor zeros(Shape shape, base::DType dtype = base::DType::f32, const Placement& placement = {},
               std::string name = {});
  /// A tensor with every element `value` converted to the dtype (fill requests).
  Tensor full(Shape shape, double value, base::DType dtype = base::DType::f32,
              const Placement& placement = {}, std::string name = {});
  /// A tensor holding `host`'s data, with its dtype and shape.
  Tensor from_host(const HostTensor& host, const Placement& placement = {}, std::string name = {});

  /// Launches a registered kernel (NotFoundError listing the registered ones if unknown) or a
  /// kernel given directly; returns when every target PE has run its whole grid, with the
  /// launch's handle (its `stats` say where the time went, per PE and per program).
  template <typename... Args>
  LaunchHandle launch(std::string_view kernel, const GridSpec& grid, const Args&... args) {
    LaunchHandle h = launch_async(kernel, grid, args...);
    wait(h);
    return h;
  }
  template <typename... Args>
  LaunchHandle launch(const KernelFn& kernel, const GridSpec& grid, const Args&... args) {
    LaunchHandle h = launch_async(kernel, grid, args...);
    wait(h);
    return h;
  }
  /// Submits the launch (one request per SIP, all before any wait) and returns at once.
  template <typename... Args>
  LaunchHandle launch_async(std::string_view kernel, const GridSpec& grid, const Args&... args) {
    return launch_impl(std::string(kernel), {}, grid, {to_launch_arg(args)...});
  }
  template <typename... Args>
  LaunchHandle launch_async(const KernelFn& kernel, const GridSpec& grid, const Args&... args) {
    return launch_impl("kernel", kernel, grid, {to_launch_arg(args)...});
  }

  /// The same with the arguments as a list built at run time (the Python module's): submits the
  /// launch of `fn`, or of the registered kernel `name` when `fn` is empty, and returns at once.
  LaunchHandle submit_launch(std::string name, KernelFn fn, const GridSpec& grid,
                             std::vector<LaunchArg> args) {
    return launch_impl(std::move(name), std::move(fn), grid, std::move(args));
  }

  /// Waits for one launch.
  void wait(const LaunchHandle& launch);
  /// Waits for several launches.
  void wait_all(std::span<const LaunchHandle> launches);
  /// Waits for every request this session has in flight.
  void synchronize();

  /// Submits a request, records it under `phase` and `name` for the completion table.
  hw::RequestHandle submit(hw::Request request, std::string_view phase, std::string_view name);
  /// Waits for requests (blocking this rank's process, or running the engine for the host).
  void wait_requests(std::span<const hw::RequestHandle> handles);
  /// Requests submitted and not yet waited for.
  std::size_t in_flight() const { return in_flight_.size(); }

  /// The estimated peak host memory of the run so far as this session sees it: the machine,
  /// the maps of the tensors it created, the host data it wrote and its largest launch.
  const topo::HostMemoryEstimate& host_memory() const { return host_memory_; }
  /// From now on a tensor, write or launch that would take the estimate past `bytes` is refused
  /// (base::HostMemoryLimitError, before any of its requests is submitted); 0: no budget.
  void set_host_memory_budget(std::uint64_t bytes) { host_memory_budget_ = bytes; }

 private:
  friend class Tensor;
  Tensor create(Shape shape, base::DType dtype, const Placement& placement, std::string name,
                const mem::FillPattern* fill);
  LaunchHandle launch_impl(std::string kernel, KernelFn fn, const GridSpec& grid,
                           std::vector<LaunchArg> args);
  void write(const Tensor& tensor, const HostTensor& host);
  HostTensor read(const Tensor& tensor);
  // Makes `next` the estimate, or throws if it passes the budget (naming `what`).
  void account(std::string_view what, const topo::HostMemoryEstimate& next);

  Runtime& runtime_;
  sim::Process* process_;
  Device device_;
  std::vector<Device> devices_;  // set_device(int)'s numbering; empty: the machine's SIPs
  std::vector<hw::RequestHandle> in_flight_;
  topo::HostMemoryEstimate host_memory_;
  std::uint64_t host_memory_budget_ = 0;
};

}  // namespace kernbench::rt
