#include "kernbench/rt/runtime.h"

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::rt {

Runtime::Runtime(hw::System& system, Device device)
    : system_(system),
      device_(device),
      virtual_space_(mem::VirtualAllocator::for_system(system.spec())),
      host_(std::make_unique<Session>(*this, nullptr)) {
  device_.check(system.spec());
}

Runtime::~Runtime() {
  for (Tensor* t : handles_) t->session_ = nullptr;
  for (auto& [id, storage] : tensors_) {
    try {
      unmap_now(system_, storage);
      free_storage(system_, virtual_space_, storage);
    } catch (...) {  // NOLINT(bugprone-empty-catch): teardown goes on; the machine dies with us
    }
  }
}

Session& Runtime::session(sim::Process& rank) {
  auto& slot = ranks_[&rank];
  if (!slot) slot = std::make_unique<Session>(*this, &rank);
  return *slot;
}

std::uint64_t Runtime::adopt(TensorStorage storage) {
  const std::uint64_t id = next_id_++;
  tensors_.emplace(id, std::move(storage));
  return id;
}

TensorStorage& Runtime::storage(std::uint64_t id, std::string_view name) {
  const auto it = tensors_.find(id);
  if (it == tensors_.end())
    throw base::AddressError(
        fmt::format("tensor '{}' was freed (or moved from); it can no longer be used", name));
  return it->second;
}

}  // namespace kernbench::rt
