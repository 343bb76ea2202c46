// The messages the host runtime sends the machine (names as in the previous tool's engine
// protocol), and what comes back: a completion with start and end time and a trace record.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kernbench/hw/targets.h"
#include "kernbench/mem/fill_pattern.h"
#include "kernbench/mem/memory_id.h"
#include "kernbench/mem/phys_addr.h"
#include "kernbench/mem/virt_addr.h"

namespace kernbench::sim {
class Process;
}

namespace kernbench::hw {

class Pe;

/// Maps [va, va + size) to [pa, pa + size) on every target PE.
struct MmuMap {
  Targets targets;
  mem::VirtAddr va;
  mem::PhysAddr pa;
  base::Bytes size;
};

/// Unmaps [va, va + size) on every target PE.
struct MmuUnmap {
  Targets targets;
  mem::VirtAddr va;
  base::Bytes size;
};

/// Writes a physical region: with a fill pattern (zero, a value) done by the memory's cube, or
/// with host bytes (their size is the region's) carried over the host link.
struct MemoryWrite {
  mem::PhysAddr pa;
  base::Bytes size;
  std::variant<mem::FillPattern, std::vector<std::byte>> data;
};

/// Reads a physical region back to the host; the bytes arrive in the completion.
struct MemoryRead {
  mem::PhysAddr pa;
  base::Bytes size;
};

/// What a PE runs for a kernel launch: a callable run as a process on that PE. hw does not know
/// what is inside; the launch arguments live in the callable.
using PeProgram = std::function<void(sim::Process& process, Pe& pe)>;

/// Runs `program` on every target PE (each as its own process; a PE runs launches in order).
struct KernelLaunch {
  std::string kernel;
  Targets targets;
  PeProgram program;
};

/// Installs IPCQ neighbour tables: for each listed PE, the PEs it may send to (slot order), and
/// optionally its rank, each slot's role and rank, the world size, and where messages that name
/// no destination land (one slot of `slot_size` in `buffer` memory per credit of each queue).
struct IpcqInit {
  struct Table {
    topo::PeCoord pe;
    std::vector<topo::PeCoord> neighbors;
    std::vector<std::string> roles{};  // per slot ("ring.next"); empty: none given
    std::vector<int> ranks{};          // per slot
    int rank = -1;                     // this PE's rank
  };
  std::vector<Table> tables;
  int world_size = 0;
  mem::MemoryKind buffer = mem::MemoryKind::tcm;
  base::Bytes slot_size{0};
};

using Request = std::variant<MmuMap, MmuUnmap, MemoryWrite, MemoryRead, KernelLaunch, IpcqInit>;

/// "mmu_map", "mmu_unmap", "memory_write", "memory_read", "kernel_launch", "ipcq_init".
std::string_view phase_name(const Request& request);

/// Names a submitted request.
struct RequestHandle {
  std::uint64_t id = 0;
  auto operator<=>(const RequestHandle&) const = default;
};

/// How a request went: when it was submitted and finished, what it addressed and moved.
struct Completion {
  RequestHandle handle;
  std::string phase;        // phase_name of the request (kernel launches: "kernel_launch:<name>")
  int sip = 0;              // the SIP whose host link it entered by (the first one for many)
  std::size_t targets = 0;  // PEs addressed
  base::Bytes bytes;        // payload bytes moved (data written or read, 0 for commands)
  base::SimTime start;      // submission time
  base::SimTime end;        // when the last target finished
  bool done = false;
  std::vector<std::byte> data;  // MemoryRead: the bytes read
};

}  // namespace kernbench::hw
