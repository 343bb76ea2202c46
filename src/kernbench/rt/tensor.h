// The user's handle to a tensor on the machine (move-only, RAII): destroying it -- or free() --
// unmaps and frees every shard. After free() every use is an AddressError naming the tensor.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "kernbench/rt/host_tensor.h"
#include "kernbench/rt/tensor_storage.h"

namespace kernbench::rt {

class Session;

class Tensor {
 public:
  /// An empty handle; any use is an AddressError.
  Tensor() = default;
  Tensor(const Tensor&) = delete;
  Tensor& operator=(const Tensor&) = delete;
  Tensor(Tensor&& other) noexcept;
  Tensor& operator=(Tensor&& other) noexcept;
  /// Unmaps and frees (see free()); during unwinding, at once and without simulated time.
  ~Tensor();

  /// The name given at creation (kept by the handle, so errors can name a freed tensor).
  const std::string& name() const { return name_; }
  base::DType dtype() const { return storage().dtype; }
  const Shape& shape() const { return storage().shape; }
  std::int64_t numel() const { return rt::numel(storage().shape); }
  /// Bytes of the whole tensor (one copy).
  base::Bytes size_bytes() const;
  const Placement& placement() const { return storage().placement; }
  /// Every shard, replicas included, in (sip, cube, pe) order.
  std::span<const Shard> shards() const { return storage().shards; }
  /// The VA of `shard`'s first element on every PE that maps it.
  mem::VirtAddr shard_va(const Shard& shard) const { return storage().part_va(shard.part); }
  /// The physical block of shards()[i].
  mem::PhysAddr shard_pa(std::size_t i) const { return storage().pas.at(i); }

  /// Scatters host data into every shard (replicas included) and waits. ShapeError if its dtype
  /// or shape differ from the tensor's.
  void copy_(const HostTensor& host);
  /// Gathers the tensor back to the host (one copy of each part) and waits.
  HostTensor to_host() const;
  /// Unmaps every mapping through the machine, waits, then frees memory and the VA range.
  void free();
  /// False once freed (or moved from).
  bool valid() const;

  /// The session that created it (and whose process waits on its requests).
  Session& session() const;
  /// What it owns; AddressError naming the tensor once it is freed.
  const TensorStorage& storage() const;

 private:
  friend class Session;
  friend class Runtime;
  Tensor(Session& session, std::uint64_t id, std::string name);
  void release(bool timed) noexcept;

  Session* session_ = nullptr;  // null: empty, freed, moved from, or its runtime is gone
  std::uint64_t id_ = 0;
  std::string name_;
};

}  // namespace kernbench::rt
