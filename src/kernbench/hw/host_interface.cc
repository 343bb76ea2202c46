#include "kernbench/hw/host_interface.h"

#include <utility>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/hw/system.h"
#include "kernbench/sim/process.h"
#include "kernbench/topo/coord_index.h"

namespace kernbench::hw {

struct HostInterface::InFlight {
  InFlight(Request r, std::string event_name)
      : request(std::move(r)), finished(std::move(event_name)) {}
  Request request;
  Completion completion;
  sim::Event finished;
};

namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

// Every PE a request addresses, whatever its kind.
Targets targets_of(const Request& request) {
  return std::visit(Overloaded{[](const MmuMap& r) { return r.targets; },
                               [](const MmuUnmap& r) { return r.targets; },
                               [](const KernelLaunch& r) { return r.targets; },
                               [](const IpcqInit& r) {
                                 std::vector<topo::PeCoord> pes;
                                 for (const auto& t : r.tables) pes.push_back(t.pe);
                                 return Targets(std::move(pes));
                               },
                               [](const auto&) { return Targets(); }},
                    request);
}

base::Bytes payload_bytes(const Request& request) {
  if (const auto* w = std::get_if<MemoryWrite>(&request)) return w->size;
  if (const auto* r = std::get_if<MemoryRead>(&request)) return r->size;
  return {};
}

// Runs each body as a child process of its own and blocks `p` until all have finished.
void fork_join(sim::Process& p, std::vector<std::pair<std::string, sim::Process::Body>> bodies) {
  std::vector<sim::Waitable*> children;
  for (auto& [name, body] : bodies)
    children.push_back(
        &p.engine().spawn(name, std::move(body), sim::SpawnOptions{.detached = true}));
  p.wait_all(children);
}

void check_region(const topo::TopologySpec& spec, const char* what, mem::PhysAddr pa,
                  base::Bytes size) {
  mem::validate(spec, pa);
  const base::Bytes capacity = mem::memory_size(spec, pa.kind());
  if (pa.offset() + size.count() > capacity.count())
    throw base::AddressError(fmt::format("{}: {} bytes at {} run past the end of {} ({})", what,
                                         size.count(), pa, pa.memory(), capacity));
}

void check_pes(const topo::TopologySpec& spec, const char* what, const Targets& targets) {
  if (targets.empty()) throw base::NotFoundError(fmt::format("{}: the request names no PE", what));
  for (const auto& pe : targets.pes())
    if (!topo::contains(spec, pe))
      throw base::NotFoundError(fmt::format("{}: PE {} is not in this machine", what, pe));
}

// Every byte of [va, va + size) must be mapped on `mmu` (so an unmap cannot fail half-way).
void check_mapped(const Mmu& mmu, mem::VirtAddr va, base::Bytes size) {
  for (std::uint64_t done = 0; done < size.count();)
    done += mmu.page_table().translate(va + base::Bytes(done)).contiguous.count();
}

}  // namespace

std::string_view phase_name(const Request& request) {
  return std::visit(Overloaded{[](const MmuMap&) { return "mmu_map"; },
                               [](const MmuUnmap&) { return "mmu_unmap"; },
                               [](const MemoryWrite&) { return "memory_write"; },
                               [](const MemoryRead&) { return "memory_read"; },
                               [](const KernelLaunch&) { return "kernel_launch"; },
                               [](const IpcqInit&) { return "ipcq_init"; }},
                    request);
}

HostInterface::HostInterface(System& system) : system_(system) {}
HostInterface::~HostInterface() = default;

void HostInterface::check(const Request& request) const {
  const auto& spec = system_.spec();
  std::visit(
      Overloaded{[&](const MmuMap& r) {
                   check_pes(spec, "mmu_map", r.targets);
                   check_region(spec, "mmu_map", r.pa, r.size);
                   // A trial map on every target (undone at once) finds any overlap before anything
                   // changes; the real maps happen when the command reaches each PE.
                   std::vector<Mmu*> done;
                   try {
                     for (const auto& pe : r.targets.pes()) {
                       system_.pe(pe).mmu().map(r.va, r.pa, r.size);
                       done.push_back(&system_.pe(pe).mmu());
                     }
                   } catch (...) {
                     for (Mmu* m : done) m->unmap(r.va, r.size);
                     throw;
                   }
                   for (Mmu* m : done) m->unmap(r.va, r.size);
                 },
                 [&](const MmuUnmap& r) {
                   check_pes(spec, "mmu_unmap", r.targets);
                   for (const auto& pe : r.targets.pes())
                     check_mapped(system_.pe(pe).mmu(), r.va, r.size);
                 },
                 [&](const MemoryWrite& r) {
                   check_region(spec, "memory_write", r.pa, r.size);
                   if (const auto* bytes = std::get_if<std::vector<std::byte>>(&r.data);
                       bytes != nullptr && bytes->size() != r.size.count())
                     throw base::ShapeError(
                         fmt::format("memory_write to {}: {} host bytes for a region of {}", r.pa,
                                     bytes->size(), r.size.count()));
                 },
                 [&](const MemoryRead& r) { check_region(spec, "memory_read", r.pa, r.size); },
                 [&](const KernelLaunch& r) {
                   check_pes(spec, "kernel_launch", r.targets);
                   if (!r.program)
                     throw base::NotFoundError(
                         fmt::format("kernel_launch '{}': no program", r.kernel));
                 },
                 [&](const IpcqInit& r) {
                   for (const auto& t : r.tables) {
                     check_pes(spec, "ipcq_init", Targets::pe(t.pe));
                     for (const auto& n : t.neighbors)
                       check_pes(spec, "ipcq_init neighbour", Targets::pe(n));
                   }
                 }},
      request);
}

RequestHandle HostInterface::submit(Request request) {
  check(request);
  const RequestHandle handle{next_id_++};
  std::string phase(phase_name(request));
  if (const auto* k = std::get_if<KernelLaunch>(&request)) phase += ":" + k->kernel;
  auto f = std::make_unique<InFlight>(std::move(request), fmt::format("request {}", handle.id));
  InFlight& ref = *f;
  const Targets targets = targets_of(ref.request);
  const auto* region = std::get_if<MemoryWrite>(&ref.request);
  const auto* read = std::get_if<MemoryRead>(&ref.request);
  const int sip = region            ? region->pa.sip()
                  : read            ? read->pa.sip()
                  : targets.empty() ? 0
                                    : targets.pes().front().sip;
  ref.completion = Completion{
      handle, phase, sip, targets.size(), payload_bytes(ref.request), system_.engine().now(),
      {},     false, {}};
  requests_.emplace(handle.id, std::move(f));
  system_.engine().spawn(
      fmt::format("request {} ({})", handle.id, phase),
      [this, &ref](sim::Process& p) { run(p, ref); }, sim::SpawnOptions{.detached = true});
  return handle;
}

void HostInterface::run(sim::Process& p, InFlight& f) {
  if (const auto* w = std::get_if<MemoryWrite>(&f.request)) {
    write_memory(p, *w);
  } else if (const auto* r = std::get_if<MemoryRead>(&f.request)) {
    read_memory(p, f, *r);
  } else {
    std::vector<std::pair<std::string, sim::Process::Body>> cubes;
    for (const topo::CubeCoord cube : targets_of(f.request).cubes())
      cubes.emplace_back(fmt::format("{} to cube {}", p.name(), cube),
                         [this, &f, cube](sim::Process& c) { deliver_to_cube(c, f, cube); });
    fork_join(p, std::move(cubes));
  }
  Completion& c = f.completion;
  c.end = p.now();
  c.done = true;
  const std::array args{sim::TraceArg{"targets", static_cast<std::int64_t>(c.targets)},
                        sim::TraceArg{"bytes", static_cast<std::int64_t>(c.bytes.count())}};
  if (system_.engine().trace_sink() != nullptr) {
    sim::TraceTrack track = sip_track(c.sip, TrackKind::host_requests);
    system_.engine().trace_span(track, c.phase, c.start, c.end, args);
  }
  f.finished.trigger();
}

// A command message crosses host -> M_CPU of `cube`, which takes its command latency.
void HostInterface::command_to_m_cpu(sim::Process& p, topo::CubeCoord cube) {
  system_.transfers().move(
      p, system_.fabric().route(Location::host(cube.sip), Location::m_cpu(cube)), kCommandBytes);
  system_.m_cpu(cube).use(p, system_.spec().cube.m_cpu_command_latency);
}

// The acknowledgement message crosses M_CPU of `cube` -> host.
void HostInterface::acknowledge(sim::Process& p, topo::CubeCoord cube) {
  system_.transfers().move(
      p, system_.fabric().route(Location::m_cpu(cube), Location::host(cube.sip)), kCommandBytes);
}

// The command reaches the cube's M_CPU and fans out to the cube's target PEs in parallel; an
// acknowledgement returns to the host.
void HostInterface::deliver_to_cube(sim::Process& p, InFlight& f, topo::CubeCoord cube) {
  command_to_m_cpu(p, cube);
  std::vector<std::pair<std::string, sim::Process::Body>> pes;
  const Targets targets = targets_of(f.request);
  for (const auto& pe : targets.pes()) {
    if (pe.cube_coord() != cube) continue;
    pes.emplace_back(
        fmt::format("{} on PE {}", f.completion.phase, pe), [this, &f, cube, pe](sim::Process& c) {
          system_.transfers().move(
              c, system_.fabric().route(Location::m_cpu(cube), Location::pe(pe)), kCommandBytes);
          run_on_pe(c, f, system_.pe(pe));
        });
  }
  fork_join(p, std::move(pes));
  acknowledge(p, cube);
}

void HostInterface::run_on_pe(sim::Process& p, InFlight& f, Pe& pe) {
  std::visit(Overloaded{[&](const MmuMap& r) { pe.mmu().map(r.va, r.pa, r.size); },
                        [&](const MmuUnmap& r) { pe.mmu().unmap(r.va, r.size); },
                        [&](const KernelLaunch& r) {
                          pe.core().acquire(p);
                          const base::SimTime start = p.now();
                          r.program(p, pe);
                          system_.engine().trace_span(pe.trace_track(TrackKind::core), r.kernel,
                                                      start, p.now());
                          pe.core().release();
                        },
                        [&](const IpcqInit& r) {
                          if (auto t = Ipcq::table_of(r, pe.coord()))
                            pe.ipcq().install(std::move(*t));
                        },
                        [](const auto&) {}},
             f.request);
}

// The command reaches the memory's M_CPU, which then moves the data: host bytes come over the
// host link into the memory; a fill is done by the memory itself at its bandwidth.
void HostInterface::write_memory(sim::Process& p, const MemoryWrite& w) {
  const topo::CubeCoord cube{w.pa.sip(), w.pa.cube()};
  auto& fabric = system_.fabric();
  auto& transfers = system_.transfers();
  command_to_m_cpu(p, cube);
  if (const auto* bytes = std::get_if<std::vector<std::byte>>(&w.data)) {
    transfers.move(p, fabric.route(Location::host(cube.sip), Location::memory(w.pa.memory())),
                   w.size);
    system_.bytes().write(w.pa, *bytes);
  } else {
    transfers.move(p, Route{{&fabric.memory_port(w.pa.memory())}}, w.size);
    system_.bytes().fill(w.pa, w.size, std::get<mem::FillPattern>(w.data));
  }
  acknowledge(p, cube);
}

void HostInterface::read_memory(sim::Process& p, InFlight& f, const MemoryRead& r) {
  const topo::CubeCoord cube{r.pa.sip(), r.pa.cube()};
  command_to_m_cpu(p, cube);
  system_.transfers().move(
      p, system_.fabric().route(Location::memory(r.pa.memory()), Location::host(cube.sip)), r.size);
  f.completion.data.resize(static_cast<std::size_t>(r.size.count()));
  system_.bytes().read(r.pa, f.completion.data);
}

HostInterface::InFlight& HostInterface::find(RequestHandle handle) const {
  const auto it = requests_.find(handle.id);
  if (it == requests_.end())
    throw base::NotFoundError(fmt::format("request {} was never submitted", handle.id));
  return *it->second;
}

const Completion& HostInterface::completion(RequestHandle handle) const {
  return find(handle).completion;
}

std::vector<std::byte> HostInterface::take_read_data(RequestHandle handle) {
  InFlight& f = find(handle);
  if (!f.completion.done)
    throw base::NotFoundError(
        fmt::format("request {} ({}): its bytes are not there yet; wait for it first", handle.id,
                    f.completion.phase));
  return std::exchange(f.completion.data, {});
}

const Completion& HostInterface::wait(RequestHandle handle) {
  InFlight& f = find(handle);
  if (!f.completion.done) system_.engine().run_until([&f] { return f.completion.done; });
  if (!f.completion.done)
    throw base::DeadlockError(
        fmt::format("request {} ({}) can never complete: nothing is left to run", handle.id,
                    f.completion.phase));
  return f.completion;
}

const Completion& HostInterface::wait(sim::Process& p, RequestHandle handle) {
  InFlight& f = find(handle);
  p.wait(f.finished);
  return f.completion;
}

}  // namespace kernbench::hw
