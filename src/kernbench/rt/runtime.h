// The runtime bound to one machine and a target device (every SIP or one): it owns the virtual
// address space, the kernel registry, the tensors' storage, the sessions (the host's and one per
// rank process) and the record of every request, for the completion table.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "kernbench/hw/system.h"
#include "kernbench/mem/virtual_allocator.h"
#include "kernbench/rt/device.h"
#include "kernbench/rt/kernel_registry.h"
#include "kernbench/rt/launch_stats.h"
#include "kernbench/rt/session.h"
#include "kernbench/rt/tensor_storage.h"

namespace kernbench::rt {

/// One request the runtime submitted: its phase ("map", "write", "launch", "read", "unmap"),
/// what it was for (tensor or kernel name), its handle, and for a launch where the launch's time
/// went (this request's part: the PEs of its completion's SIP).
struct PhaseRecord {
  std::string phase;
  std::string name;
  hw::RequestHandle handle;
  std::shared_ptr<const LaunchStats> launch;
};

class Runtime {
 public:
  /// A runtime on `system` targeting `device` (NotFoundError if the machine lacks it).
  explicit Runtime(hw::System& system, Device device = Device::all());
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;
  /// Unmaps and frees what tensors remain at once (no simulated time); their handles go inert.
  ~Runtime();

  hw::System& system() const { return system_; }
  /// The target device every session's current device lies within.
  Device device() const { return device_; }
  KernelRegistry& kernels() { return kernels_; }
  /// Timing only: kernels launched from now on compute no values from loaded data (their
  /// programs see ProgramContext::timing_only()); their times are the same.
  void set_timing_only(bool on) { timing_only_ = on; }
  bool timing_only() const { return timing_only_; }
  const KernelRegistry& kernels() const { return kernels_; }

  /// The host's session: its waits run the engine (call it from outside any process).
  Session& host() { return *host_; }
  /// The session of rank process `rank` (created on first use, with the runtime's device):
  /// its waits block that process, and its current device is its own.
  Session& session(sim::Process& rank);

  /// Every request submitted through this runtime, in submission order.
  std::span<const PhaseRecord> records() const { return records_; }
  /// Tensors alive now.
  std::size_t live_tensors() const { return tensors_.size(); }
  mem::VirtualAllocator& virtual_space() { return virtual_space_; }

 private:
  friend class Session;
  friend class Tensor;
  std::uint64_t adopt(TensorStorage storage);
  /// The storage of tensor `id`; AddressError naming `name` if it was freed.
  TensorStorage& storage(std::uint64_t id, std::string_view name);
  void forget(std::uint64_t id) { tensors_.erase(id); }
  std::string next_name() { return "tensor" + std::to_string(next_id_); }

  hw::System& system_;
  Device device_;
  mem::VirtualAllocator virtual_space_;
  KernelRegistry kernels_;
  std::unique_ptr<Session> host_;
  std::map<const sim::Process*, std::unique_ptr<Session>> ranks_;
  std::map<std::uint64_t, TensorStorage> tensors_;
  std::uint64_t next_id_ = 1;
  std::set<Tensor*> handles_;  // live handles, made inert if the runtime goes first
  std::vector<PhaseRecord> records_;
  bool timing_only_ = false;
};

}  // namespace kernbench::rt
