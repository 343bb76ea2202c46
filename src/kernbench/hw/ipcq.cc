#include "kernbench/hw/ipcq.h"

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/hw/system.h"
#include "kernbench/sim/process.h"

namespace kernbench::hw {

Ipcq::Ipcq(System& system, topo::PeCoord owner, int depth)
    : system_(system),
      owner_(owner),
      credits_(system.engine(), fmt::format("ipcq credits of PE {}", owner),
               static_cast<std::size_t>(depth)),
      queue_(fmt::format("ipcq of PE {}", owner)) {}

void Ipcq::install(std::vector<topo::PeCoord> neighbors) {
  for (const auto& n : neighbors) system_.pe(n);  // throws NotFoundError for a PE that is not there
  neighbors_ = std::move(neighbors);
}

void Ipcq::send(sim::Process& p, int slot, const std::array<std::uint64_t, 4>& descriptor,
                mem::PhysAddr src, mem::PhysAddr dst, base::Bytes size) {
  if (slot < 0 || slot >= static_cast<int>(neighbors_.size()))
    throw base::NotFoundError(
        fmt::format("IPCQ send from PE {}: neighbour slot {} is not in its table of {} neighbours",
                    owner_, slot, neighbors_.size()));
  const topo::PeCoord to = neighbors_[static_cast<std::size_t>(slot)];
  Ipcq& receiver = system_.pe(to).ipcq();
  receiver.credits_.acquire(p);  // back-pressure: wait for room in the receiver's queue
  Pe& self = system_.pe(owner_);
  if (size.count() > 0) self.dma_copy(p, src, dst, size);
  // The descriptor follows the data from this PE to the receiver.
  system_.transfers().move(p, system_.fabric().route(Location::pe(owner_), Location::pe(to)),
                           kDescriptorBytes);
  IpcqMessage message{owner_, descriptor, dst, size};
  const bool queued = receiver.queue_.try_put(message);
  KB_ASSERT(queued, "an IPCQ credit guarantees room in the queue");
}

IpcqMessage Ipcq::receive(sim::Process& p) {
  IpcqMessage m = queue_.get(p);
  credits_.release();
  return m;
}

}  // namespace kernbench::hw
