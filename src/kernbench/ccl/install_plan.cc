#include "kernbench/ccl/install_plan.h"

#include <limits>

#include <fmt/format.h>

#include "kernbench/ccl/collective_algorithm.h"
#include "kernbench/hw/system.h"

namespace kernbench::ccl {

int InstallPlan::slot(int rank, std::string_view role) const {
  const auto& table = tables.at(static_cast<std::size_t>(rank));
  for (std::size_t i = 0; i < table.size(); ++i)
    if (table[i].role == role) return static_cast<int>(i);
  return -1;
}

const CollectiveAlgorithm* InstallPlan::strategy() const {
  return algorithm != nullptr && algorithm->kind() == kind ? algorithm.get() : nullptr;
}

hw::IpcqInit InstallPlan::to_ipcq_init() const {
  hw::IpcqInit init;
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    hw::IpcqInit::Table t{ranks[r], {}};
    t.rank = static_cast<int>(r);
    for (const auto& s : tables[r]) {
      t.neighbors.push_back(ranks[static_cast<std::size_t>(s.rank)]);
      t.roles.push_back(s.role);
      t.ranks.push_back(s.rank);
    }
    init.tables.push_back(std::move(t));
  }
  init.world_size = world_size();
  init.buffer = buffer;
  init.slot_size = chunk_size;
  return init;
}

void install_tables(hw::System& system, const InstallPlan& plan,
                    const std::vector<mem::PhysAddr>& receive, base::Bytes receive_bytes) {
  for (std::size_t r = 0; r < plan.ranks.size(); ++r) {
    hw::IpcqTable t{static_cast<int>(r), plan.world_size(), {}, plan.buffer, plan.chunk_size};
    for (const auto& s : plan.tables[r])
      t.peers.push_back({s.role, s.rank, plan.ranks[static_cast<std::size_t>(s.rank)]});
    hw::Ipcq& ipcq = system.pe(plan.ranks[r]).ipcq();
    ipcq.install(std::move(t));
    ipcq.set_receive_buffer(receive[r], receive_bytes);
  }
}

mem::PhysAddr allocate_near(hw::System& system, mem::MemoryKind kind, topo::PeCoord pe,
                            base::Bytes size) {
  switch (kind) {
    case mem::MemoryKind::tcm: return system.allocator().allocate_tcm(pe, size);
    case mem::MemoryKind::sram: return system.allocator().allocate_sram(pe.cube_coord(), size);
    case mem::MemoryKind::hbm: break;
  }
  return system.allocator().allocate_hbm(pe, size);
}

base::Bytes receive_buffer_bytes(base::Bytes chunk, std::uint64_t slots) {
  std::uint64_t bytes = 0;
  if (__builtin_mul_overflow(chunk.count(), slots, &bytes))
    return base::Bytes(std::numeric_limits<std::uint64_t>::max());
  return base::Bytes(bytes);
}

void release_receive_buffers(hw::System& system, const InstallPlan& plan) {
  for (const topo::PeCoord& pe : plan.ranks) system.pe(pe).ipcq().set_receive_buffer({}, {});
}

std::string format_plan(const InstallPlan& plan) {
  std::string out =
      fmt::format("ccl algorithm {}: kind {}, world size {}, buffer {}, chunk {}\n", plan.entry,
                  plan.kind, plan.world_size(), mem::name(plan.buffer), plan.chunk_size);
  for (std::size_t r = 0; r < plan.ranks.size(); ++r) {
    out += fmt::format("  rank {:>3} on PE {}\n", r, plan.ranks[r]);
    const auto& table = plan.tables[r];
    for (std::size_t i = 0; i < table.size(); ++i) {
      const auto to = static_cast<std::size_t>(table[i].rank);
      out += fmt::format("      slot {} {:<10} -> rank {:>3} {}\n", i, table[i].role, to,
                         plan.ranks[to]);
    }
  }
  return out;
}

}  // namespace kernbench::ccl
