#include "kernbench/hw/system.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/hw/host_interface.h"
#include "kernbench/sim/process.h"
#include "kernbench/topo/coord_index.h"

namespace kernbench::hw {

sim::EngineLimits run_limits(const topo::TopologySpec& spec) {
  sim::EngineLimits limits;
  limits.max_events = spec.system.max_events;
  limits.max_events_setting = "system.max_events";
  return limits;
}

System::System(sim::Engine& engine, topo::TopologySpec spec)
    : engine_(engine),
      spec_(std::move(spec)),
      fabric_(spec_),
      transfers_(engine, fabric_, spec_.cube.pe.dma.chunk_size, spec_.system.fabric_model,
                 spec_.cube.pe.dma.chunks_in_flight),
      bytes_(spec_.cube.pe.mmu.page_size),
      allocator_(spec_) {
  for (int i = 0; i < spec_.total_pes(); ++i)
    pes_.push_back(std::make_unique<Pe>(*this, topo::pe_coord(spec_, i)));
  for (int i = 0; i < spec_.total_cubes(); ++i) {
    const topo::CubeCoord c = topo::cube_coord(spec_, i);
    m_cpus_.push_back(
        std::make_unique<sim::Resource>(engine, fmt::format("sip{}/cube{}/m_cpu", c.sip, c.cube)));
  }
  host_ = std::make_unique<HostInterface>(*this);
  stall_reporter_ = engine.add_stall_reporter([this] { return transfers_.describe_stall(); });
}

System::~System() { engine_.remove_stall_reporter(stall_reporter_); }

Pe& System::pe(topo::PeCoord pe) {
  return *pes_[static_cast<std::size_t>(topo::pe_index(spec_, pe))];
}

sim::Resource& System::m_cpu(topo::CubeCoord cube) {
  return *m_cpus_[static_cast<std::size_t>(topo::cube_index(spec_, cube))];
}

void System::copy(sim::Process& p, mem::PhysAddr src, mem::PhysAddr dst, base::Bytes size) {
  mem::validate(spec_, src);
  mem::validate(spec_, dst);
  transfers_.move(p, fabric_.route(Location::memory(src.memory()), Location::memory(dst.memory())),
                  size);
  copy_bytes(src, dst, size);
}

void System::copy_bytes(mem::PhysAddr src, mem::PhysAddr dst, base::Bytes size) {
  // In pieces, so a huge copy never needs a huge host buffer.
  constexpr std::uint64_t kPiece = 1 << 20;
  std::vector<std::byte> buffer(static_cast<std::size_t>(std::min(size.count(), kPiece)));
  for (std::uint64_t done = 0; done < size.count();) {
    const std::uint64_t n = std::min(kPiece, size.count() - done);
    const std::span<std::byte> piece(buffer.data(), static_cast<std::size_t>(n));
    bytes_.read(src + base::Bytes(done), piece);
    bytes_.write(dst + base::Bytes(done), piece);
    done += n;
  }
}

void System::flush_trace() {
  for (const auto& channel : fabric_.channels()) channel->flush_trace(engine_.trace_sink());
}

RequestHandle System::submit(Request request) { return host_->submit(std::move(request)); }

const Completion& System::wait(RequestHandle handle) { return host_->wait(handle); }

const Completion& System::wait(sim::Process& p, RequestHandle handle) {
  return host_->wait(p, handle);
}

const Completion& System::completion(RequestHandle handle) const {
  return host_->completion(handle);
}

std::vector<std::byte> System::take_read_data(RequestHandle handle) {
  return host_->take_read_data(handle);
}

}  // namespace kernbench::hw
