#include "kernbench/tl/dma_request.h"

#include <array>

#include "kernbench/base/assert.h"
#include "kernbench/hw/pe.h"
#include "kernbench/hw/system.h"
#include "kernbench/sim/trace_sink.h"
#include "kernbench/tl/program.h"

namespace kernbench::tl {

DmaRequest::DmaRequest(Program& issuer, DmaDirection direction, std::string_view op)
    : issuer_(&issuer), pe_(issuer.context().pe()), direction_(direction), op_(op) {}

std::shared_ptr<DmaRequest> DmaRequest::start(Program& issuer, DmaDirection direction,
                                              std::string_view op, std::vector<DmaRun> runs) {
  KB_ASSERT(!runs.empty(), "a DMA request needs at least one run");
  auto r = std::make_shared<DmaRequest>(issuer, direction, op);
  hw::Pe& pe = r->pe_;
  hw::System& system = pe.system();
  const std::uint64_t page = system.spec().cube.pe.mmu.page_size.count();
  const hw::Location tcm = hw::Location::memory(mem::MemoryId::tcm(pe.coord()));
  r->issued_ = system.engine().now();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const DmaRun& run = runs[i];
    r->bytes_ += run.size_bytes;
    // One translation per page the run touches (the DMA engine walks page by page).
    for (std::uint64_t at = run.va.value(); at < run.va.value() + run.size_bytes;
         at = (at / page + 1) * page)
      r->translation_ += pe.mmu().translate(mem::VirtAddr(at)).cost;
    // Runs of one request usually share a memory: reuse the route then.
    const bool same = i > 0 && runs[i - 1].pa.memory() == run.pa.memory();
    const hw::Location memory = hw::Location::memory(run.pa.memory());
    if (direction != DmaDirection::write)
      r->to_tcm_.push_back(same ? r->to_tcm_.back() : system.fabric().route(memory, tcm));
    if (direction != DmaDirection::read)
      r->to_memory_.push_back(same ? r->to_memory_.back() : system.fabric().route(tcm, memory));
  }
  r->runs_ = std::move(runs);
  r->keep_alive_ = r;
  pe.dma().acquire(&DmaRequest::on_granted, r.get());
  return r;
}

void DmaRequest::on_granted(void* self) {
  auto& r = *static_cast<DmaRequest*>(self);
  r.pe_.system().engine().schedule_in(r.translation_, &DmaRequest::on_translated, self);
}

void DmaRequest::on_translated(void* self) {
  auto& r = *static_cast<DmaRequest*>(self);
  // An atomic sends its operands to the memory first; the old values come back after.
  r.start_phase(r.direction_ == DmaDirection::read);
}

void DmaRequest::start_phase(bool toward_tcm) {
  const std::vector<hw::Route>& routes = toward_tcm ? to_tcm_ : to_memory_;
  in_flight_ = runs_.size();
  hw::TransferEngine& transfers = pe_.system().transfers();
  for (std::size_t i = 0; i < runs_.size(); ++i)
    transfers.start(routes[i], base::Bytes(runs_[i].size_bytes), &DmaRequest::on_transfer_done,
                    this);
}

void DmaRequest::on_transfer_done(void* self) {
  auto& r = *static_cast<DmaRequest*>(self);
  if (--r.in_flight_ > 0) return;
  if (r.direction_ == DmaDirection::read_modify_write && !r.second_phase_) {
    r.second_phase_ = true;
    r.start_phase(true);
    return;
  }
  r.finish();
}

void DmaRequest::finish() {
  const std::shared_ptr<DmaRequest> keep = std::move(keep_alive_);  // may be the last owner
  sim::Engine& engine = pe_.system().engine();
  finished_ = engine.now();
  pe_.dma().release();
  engine.trace_span(pe_.dma().name(), op_, issued_, finished_,
                    std::array{sim::TraceArg{"bytes", static_cast<std::int64_t>(bytes_)},
                               sim::TraceArg{"runs", static_cast<std::int64_t>(runs_.size())}});
  runs_.clear();
  to_tcm_.clear();
  to_memory_.clear();
  done_.trigger();
}

}  // namespace kernbench::tl
