#include "kernbench/tl/dma_request.h"

#include <algorithm>
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
  hw::Mmu& mmu = pe.mmu();
  const std::uint64_t page = mmu.spec().page_size.count();
  r->issued_ = system.engine().now();
  r->translated_ = r->issued_;
  r->route_of_.reserve(runs.size());
  // The DMA engine looks the pages up one after another, one TLB lookup time each; a miss goes
  // to a page walker and the lookups go on meanwhile, so the walks of one request overlap as far
  // as the PE's walkers allow. The planner has translated every run, so only the TLB is asked.
  base::SimTime lookup = r->issued_;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const DmaRun& run = runs[i];
    r->bytes_ += run.size_bytes;
    for (std::uint64_t at = run.va.value(); at < run.va.value() + run.size_bytes;
         at = (at / page + 1) * page) {
      const hw::Mmu::Timing t = mmu.look_up(mem::VirtAddr(at), lookup);
      lookup += mmu.spec().tlb_hit_latency;
      r->translated_ = std::max(r->translated_, t.ready);
      ++r->lookups_;
      if (!t.tlb_hit) ++r->misses_;
    }
    // Runs of one request usually share a memory: reuse the route then.
    const mem::MemoryId memory = run.pa.memory();
    if (i == 0 || runs[i - 1].pa.memory() != memory) {
      if (direction != DmaDirection::write) r->to_tcm_.push_back(issuer.route(memory, true));
      if (direction != DmaDirection::read) r->to_memory_.push_back(issuer.route(memory, false));
    }
    r->route_of_.push_back(
        static_cast<std::uint32_t>(std::max(r->to_tcm_.size(), r->to_memory_.size()) - 1));
  }
  r->runs_ = std::move(runs);
  r->keep_alive_ = r;
  system.engine().schedule_at(r->translated_, &DmaRequest::on_translated, r.get());
  return r;
}

// A request takes a DMA channel only once its pages are translated: the engine's translation
// stage works ahead of its channels, so a channel never sits idle through a page walk while
// other requests' bytes wait, and a request whose pages hit may pass one waiting for walks.
// Translation then bounds a kernel by the MMU's walkers, not by the channels it would hold.
void DmaRequest::on_translated(void* self) {
  auto& r = *static_cast<DmaRequest*>(self);
  r.pe_.dma().acquire(&DmaRequest::on_granted, self);
}

void DmaRequest::on_granted(void* self) {
  auto& r = *static_cast<DmaRequest*>(self);
  r.granted_ = r.pe_.system().engine().now();
  // An atomic sends its operands to the memory first; the old values come back after.
  r.start_phase(r.direction_ == DmaDirection::read);
}

void DmaRequest::start_phase(bool toward_tcm) {
  const auto& routes = toward_tcm ? to_tcm_ : to_memory_;
  hw::TransferEngine& transfers = pe_.system().transfers();
  group_ = hw::TransferGroup{&DmaRequest::on_transfer_done, this,
                             static_cast<std::uint32_t>(runs_.size()), nullptr};
  // The runs finish as one group when their routes end at one channel (the TCM's port for a
  // load, one memory's for most stores): the model may then skip the finish of all but the last.
  const hw::Channel* end = routes.front()->stages.empty() ? nullptr : routes.front()->stages.back();
  if (end != nullptr && std::all_of(routes.begin(), routes.end(), [&](const auto& route) {
        return !route->stages.empty() && route->stages.back() == end;
      })) {
    for (std::size_t i = 0; i < runs_.size(); ++i)
      transfers.start_in_group(*routes[route_of_[i]], base::Bytes(runs_[i].size_bytes), group_);
    return;
  }
  for (std::size_t i = 0; i < runs_.size(); ++i)
    transfers.start(*routes[route_of_[i]], base::Bytes(runs_[i].size_bytes),
                    &hw::TransferGroup::count_down, &group_);
}

// Every run of the phase is done.
void DmaRequest::on_transfer_done(void* self) {
  auto& r = *static_cast<DmaRequest*>(self);
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
  engine.trace_span(
      pe_.trace_track(hw::TrackKind::dma), op_, granted_, finished_,
      std::array{sim::TraceArg{"bytes", static_cast<std::int64_t>(bytes_)},
                 sim::TraceArg{"runs", static_cast<std::int64_t>(runs_.size())},
                 sim::TraceArg{"pages", lookups_}, sim::TraceArg{"tlb_misses", misses_}});
  runs_.clear();
  to_tcm_.clear();
  to_memory_.clear();
  route_of_.clear();
  done_.trigger();
}

}  // namespace kernbench::tl
