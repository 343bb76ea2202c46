// What an algorithm entry installs on the machine: which PE each rank runs on, and each rank's
// IPCQ neighbour table (slots with a role, in the order the IPCQ is given them).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/hw/request.h"
#include "kernbench/mem/memory_id.h"
#include "kernbench/mem/phys_addr.h"
#include "kernbench/topo/coord.h"

namespace kernbench::hw {
class System;
}

namespace kernbench::ccl {

class CollectiveAlgorithm;

/// One neighbour-table slot: what it is for ("ring.next", "parent", "step1" ...) and the rank.
struct NeighborSlot {
  std::string role;
  int rank = 0;
  bool operator==(const NeighborSlot&) const = default;
};

struct InstallPlan {
  std::string entry;  // the ccl.yaml entry name
  std::string kind;   // the algorithm kind, as the entry names it (printed, and in errors)
  // The algorithm that made the plan and runs its collectives (shared: a plan may outlive the
  // registry it came from). Null, or of another kind than `kind`, in a plan edited by hand: its
  // collectives then have no schedule but the ones every kind has (broadcast, reduce, all_to_all).
  std::shared_ptr<const CollectiveAlgorithm> algorithm;
  mem::MemoryKind buffer = mem::MemoryKind::tcm;  // where received chunks land
  base::Bytes chunk_size;
  std::vector<topo::PeCoord> ranks;               // rank i runs on ranks[i]
  std::vector<std::vector<NeighborSlot>> tables;  // per rank

  int world_size() const { return static_cast<int>(ranks.size()); }
  /// `algorithm` when it is of `kind`, else null.
  const CollectiveAlgorithm* strategy() const;
  /// The slot of `rank` named `role`, or -1.
  int slot(int rank, std::string_view role) const;
  /// The IpcqInit request that installs the tables (one table per participating PE).
  hw::IpcqInit to_ipcq_init() const;
};

/// Installs each rank's table on its PE's IPCQ (unchanged tables keep their queues) with its
/// receive slots in `receive[r]` (`receive_bytes` each), as an executor does when it starts.
void install_tables(hw::System& system, const InstallPlan& plan,
                    const std::vector<mem::PhysAddr>& receive, base::Bytes receive_bytes);
/// Gives the ranks' IPCQs back their receive buffers (the executor is done with them).
void release_receive_buffers(hw::System& system, const InstallPlan& plan);
/// Allocates `size` bytes of `kind` memory near `pe`: its TCM, its cube's SRAM or its home HBM
/// (where a collective's receive buffers live).
mem::PhysAddr allocate_near(hw::System& system, mem::MemoryKind kind, topo::PeCoord pe,
                            base::Bytes size);
/// The bytes of `slots` receive slots of `chunk` bytes each, or the largest base::Bytes when that
/// passes 64 bits (no memory holds it; check_receive_buffers names it).
base::Bytes receive_buffer_bytes(base::Bytes chunk, std::uint64_t slots);

/// A readable listing: a header with entry, kind, world size, buffer and chunk, then one line per
/// rank with its PE and its slots ("slot 0 ring.next -> rank 1 (sip 0, cube 0, pe 1)").
std::string format_plan(const InstallPlan& plan);

}  // namespace kernbench::ccl
