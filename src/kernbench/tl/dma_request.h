// One load, store or atomic as an asynchronous job on the PE's DMA engine: the MMU translates
// every page it touches (TLB hits, or walks queued for the PE's page walkers), then it takes a
// channel and moves each address-contiguous run over the fabric route between the run's memory
// and the PE's TCM. The program carries on at once; whoever needs the bytes waits for done().
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/hw/fabric.h"
#include "kernbench/hw/transfer_model.h"
#include "kernbench/mem/phys_addr.h"
#include "kernbench/mem/virt_addr.h"
#include "kernbench/sim/event.h"

namespace kernbench::hw {
class Pe;
}

namespace kernbench::tl {

class Program;

/// One address-contiguous piece of a load or store: where it is and how many bytes it moves.
struct DmaRun {
  mem::VirtAddr va;
  mem::PhysAddr pa;
  std::uint64_t size_bytes = 0;
};

/// read: memory -> TCM; write: TCM -> memory; read_modify_write: operands out, old values back.
enum class DmaDirection : std::uint8_t { read, write, read_modify_write };

class DmaRequest : public std::enable_shared_from_this<DmaRequest> {
 public:
  /// Starts moving `runs` for `issuer` now (translations are taken at once, so the TLB sees
  /// accesses in program order); `op` names the span in the trace. `runs` must not be empty.
  static std::shared_ptr<DmaRequest> start(Program& issuer, DmaDirection direction,
                                           std::string_view op, std::vector<DmaRun> runs);

  /// True once the last byte has arrived.
  bool done() const { return done_.triggered(); }
  /// Triggered when the last byte has arrived (processes wait on it).
  sim::Event& done_event() { return done_; }
  /// When the request was issued, when the MMU had translated its last page and (once done)
  /// when its last byte arrived.
  base::SimTime issued() const { return issued_; }
  base::SimTime translated() const { return translated_; }
  base::SimTime finished() const { return finished_; }
  /// Pages it looked up in the TLB (one per page each run touches) and of those, TLB misses.
  std::int64_t tlb_lookups() const { return lookups_; }
  std::int64_t tlb_misses() const { return misses_; }
  /// The program that issued it, or null once that program is gone.
  Program* issuer() const { return issuer_; }
  void forget_issuer() { issuer_ = nullptr; }

  /// Use start(); public only for make_shared.
  DmaRequest(Program& issuer, DmaDirection direction, std::string_view op);

 private:
  static void on_granted(void* self);
  static void on_translated(void* self);
  static void on_transfer_done(void* self);
  void start_phase(bool toward_tcm);
  void finish();

  Program* issuer_;
  hw::Pe& pe_;
  DmaDirection direction_;
  std::string_view op_;  // a string literal of the op
  std::vector<DmaRun> runs_;
  // The routes of the memories the runs touch (usually one), shared with the issuer's cache:
  // memory -> TCM (empty for a store) and TCM -> memory (empty for a load); route_of_[i] is run
  // i's index into them.
  std::vector<std::shared_ptr<const hw::Route>> to_tcm_, to_memory_;
  std::vector<std::uint32_t> route_of_;
  base::SimTime issued_, translated_, granted_, finished_;  // granted_: a DMA channel taken
  std::int64_t lookups_ = 0;
  std::int64_t misses_ = 0;
  std::uint64_t bytes_ = 0;
  hw::TransferGroup group_;  // the runs of the phase in flight
  bool second_phase_ = false;
  sim::Event done_{"dma"};
  std::shared_ptr<DmaRequest> keep_alive_;  // held while the hardware still works on it
};

}  // namespace kernbench::tl
