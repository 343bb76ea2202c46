#include "kernbench/hw/transfer_engine.h"

#include "kernbench/base/assert.h"
#include "kernbench/hw/chunk_model.h"
#include "kernbench/hw/flow_model.h"
#include "kernbench/sim/process.h"

namespace kernbench::hw {
namespace {
std::unique_ptr<TransferModel> make_model(sim::Engine& engine, const Fabric& fabric,
                                          Bytes chunk_size, topo::FabricModel model,
                                          int chunks_in_flight) {
  if (model == topo::FabricModel::flows)
    return std::make_unique<FlowModel>(engine, fabric, chunk_size, chunks_in_flight);
  return std::make_unique<ChunkModel>(engine, fabric, chunk_size, chunks_in_flight);
}
}  // namespace

TransferEngine::TransferEngine(sim::Engine& engine, const Fabric& fabric, Bytes chunk_size,
                               topo::FabricModel model, int chunks_in_flight)
    : engine_(engine),
      chunk_size_(chunk_size),
      model_(model),
      timing_(make_model(engine, fabric, chunk_size, model, chunks_in_flight)) {}

TransferEngine::~TransferEngine() = default;

void TransferEngine::start(const Route& route, Bytes size, sim::EventFn done, void* ctx,
                           TrafficClass traffic) {
  ++started_;
  if (route.stages.empty()) {
    engine_.schedule_in(SimTime::zero(), done, ctx);
    return;
  }
  timing_->start(route, size, traffic, done, ctx);
}

void TransferEngine::start_in_group(const Route& route, Bytes size, TransferGroup& group) {
  KB_ASSERT(!route.stages.empty() && (group.end == nullptr || group.end == route.stages.back()),
            "a transfer group's members need routes that end at one channel");
  group.end = route.stages.back();
  ++started_;
  timing_->start_in_group(route, size, group);
}

std::optional<SimTime> TransferEngine::start_unwatched_control(const Route& route, Bytes size) {
  const std::optional<SimTime> landing =
      route.stages.empty() ? engine_.now() : timing_->start_unwatched_control(route, size);
  if (landing) ++started_;
  return landing;
}

bool TransferEngine::start_followed(const Route& route, Bytes size, const Route& then,
                                    Bytes then_size, TransferModel::HandOverFn handed,
                                    sim::EventFn done, void* ctx) {
  if (route.stages.empty() || then.stages.empty() ||
      !timing_->start_followed(route, size, then, then_size, handed, done, ctx))
    return false;
  started_ += 2;
  return true;
}

bool TransferEngine::start_at(SimTime at, const Route& route, Bytes size, sim::EventFn done,
                              void* ctx) {
  if (route.stages.empty()) {  // completes when it starts
    if (!timing_->starts_ahead()) return false;
    engine_.schedule_at(at, done, ctx);
  } else if (!timing_->start_at(at, route, size, done, ctx)) {
    return false;
  }
  ++started_;
  return true;
}

void TransferEngine::move(sim::Process& p, const Route& route, Bytes size, TrafficClass traffic) {
  sim::Event finished("transfer");
  start(
      route, size, [](void* e) { static_cast<sim::Event*>(e)->trigger(); }, &finished, traffic);
  p.wait(finished);
}

}  // namespace kernbench::hw
