#include "kernbench/hw/system.h"

#include <gtest/gtest.h>

#include "hw_test_support.h"

#include "kernbench/base/error.h"
#include "kernbench/hw/host_interface.h"
#include "kernbench/sim/process.h"
#include "kernbench/sim/recording_trace_sink.h"

namespace kernbench::hw {
namespace {

using namespace base::literals;
using base::Bytes;
using base::SimTime;
using mem::FillPattern;
using mem::MemoryId;
using mem::PhysAddr;
using mem::VirtAddr;
using testing::idle_transfer_time;
using testing::Machine;

std::vector<std::byte> iota_bytes(std::size_t n) {
  std::vector<std::byte> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::byte>(i * 7 + 1);
  return v;
}

TEST(System, OwnsEveryComponent) {
  Machine m;
  const auto& spec = m.system.spec();
  EXPECT_EQ(m.system.pe({0, 15, 7}).coord(), (topo::PeCoord{0, 15, 7}));
  EXPECT_EQ(m.system.pe({0, 3, 2}).track(TrackKind::dma), "sip0/cube3/pe2/dma");
  EXPECT_EQ(m.system.pe({0, 0, 0}).dma().slots(),
            static_cast<std::size_t>(spec.cube.pe.dma.channels));
  EXPECT_EQ(m.system.m_cpu({0, 4}).name(), "sip0/cube4/m_cpu");
  EXPECT_THROW(m.system.pe({0, 16, 0}), base::NotFoundError);
}

TEST(System, WriteThenReadReturnsTheBytes) {
  Machine m;
  const PhysAddr pa = PhysAddr::encode(MemoryId::hbm_slice({0, 6}, 3), 0x2000);
  const auto data = iota_bytes(10000);
  const auto w = m.system.submit(MemoryWrite{pa, Bytes(data.size()), data});
  const auto r = m.system.submit(MemoryRead{pa + 100_B, 50_B});
  m.system.wait(w);
  const Completion& c = m.system.wait(r);
  EXPECT_TRUE(c.done);
  EXPECT_EQ(c.phase, "memory_read");
  EXPECT_EQ(c.bytes, 50_B);
  ASSERT_EQ(c.data.size(), 50u);
  // The read was submitted with the write, so it may overtake it: only check once both finished.
  const auto again = m.system.wait(m.system.submit(MemoryRead{pa + 100_B, 50_B}));
  EXPECT_TRUE(std::equal(again.data.begin(), again.data.end(), data.begin() + 100));
}

// A read's bytes can be moved out of its record, which keeps its times; taking them before the
// read is over is an error naming the request.
TEST(System, ReadBytesAreTakenOnce) {
  Machine m;
  const PhysAddr pa = PhysAddr::encode(MemoryId::sram({0, 0}), 0);
  m.system.wait(m.system.submit(MemoryWrite{pa, 4_KiB, FillPattern::of(2.0f)}));
  const auto r = m.system.submit(MemoryRead{pa, 4_KiB});
  try {
    m.system.take_read_data(r);
    FAIL() << "took the bytes of a read still in flight";
  } catch (const base::NotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("memory_read"), std::string::npos) << e.what();
  }
  const SimTime end = m.system.wait(r).end;
  const std::vector<std::byte> bytes = m.system.take_read_data(r);
  ASSERT_EQ(bytes.size(), 4096u);
  float f;
  std::memcpy(&f, bytes.data() + 4092, 4);
  EXPECT_EQ(f, 2.0f);
  EXPECT_TRUE(m.system.completion(r).data.empty());
  EXPECT_EQ(m.system.completion(r).end, end);
  EXPECT_TRUE(m.system.take_read_data(r).empty());
}

TEST(System, FillWriteIsReadBack) {
  Machine m;
  const PhysAddr pa = PhysAddr::encode(MemoryId::sram({0, 1}), 64);
  m.system.wait(m.system.submit(MemoryWrite{pa, 1_MiB, FillPattern::of(1.5f)}));
  const auto c = m.system.wait(m.system.submit(MemoryRead{pa + 4_B, 4_B}));
  float f;
  std::memcpy(&f, c.data.data(), 4);
  EXPECT_EQ(f, 1.5f);
}

TEST(System, RequestsInFlightCompleteInSimulatedTimeOrder) {
  Machine m;
  const auto big = m.system.submit(
      MemoryWrite{PhysAddr::encode(MemoryId::hbm_slice({0, 1}, 0), 0), 8_MiB, FillPattern()});
  const auto small = m.system.submit(
      MemoryWrite{PhysAddr::encode(MemoryId::hbm_slice({0, 2}, 0), 0), 4_KiB, FillPattern()});
  const Completion& cs = m.system.wait(small);
  EXPECT_TRUE(cs.done);
  EXPECT_FALSE(m.system.completion(big).done);  // still in flight when the small one is done
  const Completion& cb = m.system.wait(big);
  EXPECT_LT(cs.end, cb.end);
  EXPECT_EQ(cs.start, cb.start);
}

TEST(System, RequestPathCostIsVisibleInItsCompletion) {
  Machine m;
  const auto& spec = m.system.spec();
  const auto c = m.system.wait(
      m.system.submit(MmuMap{Targets::pe({0, 5, 2}), VirtAddr((1_GiB).count()),
                             PhysAddr::encode(MemoryId::hbm_slice({0, 5}, 2), 0), 4_KiB}));
  // host -> M_CPU (command), M_CPU latency, M_CPU -> PE (command), M_CPU -> host (ack).
  auto& f = m.system.fabric();
  const Bytes cmd = HostInterface::kCommandBytes;
  const SimTime expected =
      idle_transfer_time(f.route(Location::host(0), Location::m_cpu({0, 5})), cmd, 1) +
      spec.cube.m_cpu_command_latency +
      idle_transfer_time(f.route(Location::m_cpu({0, 5}), Location::pe({0, 5, 2})), cmd, 1) +
      idle_transfer_time(f.route(Location::m_cpu({0, 5}), Location::host(0)), cmd, 1);
  EXPECT_EQ(c.end - c.start, expected);
  EXPECT_EQ(c.phase, "mmu_map");
  EXPECT_EQ(c.targets, 1u);
  EXPECT_EQ(m.system.pe({0, 5, 2}).mmu().page_table().mapping_count(), 1u);
}

TEST(System, MapOnEveryPeOfTheSipThenTranslate) {
  Machine m;
  const PhysAddr pa = PhysAddr::encode(MemoryId::hbm_slice({0, 9}, 4), 0x10000);
  m.system.wait(
      m.system.submit(MmuMap{Targets::sip(m.system.spec(), 0), VirtAddr(0x40000000), pa, 64_KiB}));
  for (const auto& pe : Targets::sip(m.system.spec(), 0).pes())
    EXPECT_EQ(m.system.pe(pe).mmu().translate(VirtAddr(0x40000010)).translation.pa, pa + 0x10_B);
  m.system.wait(m.system.submit(
      MmuUnmap{Targets::cube(m.system.spec(), {0, 3}), VirtAddr(0x40000000), 64_KiB}));
  EXPECT_EQ(m.system.pe({0, 3, 0}).mmu().page_table().mapping_count(), 0u);
  EXPECT_EQ(m.system.pe({0, 4, 0}).mmu().page_table().mapping_count(), 1u);
}

TEST(System, KernelLaunchFansOutToEveryTargetPe) {
  Machine m;
  std::vector<std::pair<topo::PeCoord, SimTime>> ran;
  const auto c = m.system.wait(m.system.submit(
      KernelLaunch{"probe", Targets::cube(m.system.spec(), {0, 7}), [&](sim::Process& p, Pe& pe) {
                     ran.emplace_back(pe.coord(), p.now());
                     pe.vector_unit().use(p, 1_us);
                   }}));
  ASSERT_EQ(ran.size(), 8u);
  const auto& spec = m.system.spec();
  for (const auto& [pe, at] : ran) {
    EXPECT_EQ(pe.cube, 7);
    EXPECT_GT(at, spec.system.host_link.latency + spec.cube.m_cpu_command_latency);
  }
  EXPECT_EQ(c.phase, "kernel_launch:probe");
  EXPECT_GT(c.end, ran.back().second + 1_us);
}

TEST(System, LaunchesOnOnePeRunInOrder) {
  Machine m;
  std::vector<int> order;
  const auto body = [&](int id) {
    return [&order, id](sim::Process& p, Pe& pe) {
      order.push_back(id);
      pe.vector_unit().use(p, 5_us);
      order.push_back(-id);
    };
  };
  const auto a = m.system.submit(KernelLaunch{"a", Targets::pe({0, 0, 0}), body(1)});
  const auto b = m.system.submit(KernelLaunch{"b", Targets::pe({0, 0, 0}), body(2)});
  m.system.wait(a);
  m.system.wait(b);
  EXPECT_EQ(order, (std::vector<int>{1, -1, 2, -2}));
}

TEST(System, IpcqInitInstallsTablesOnItsPes) {
  Machine m;
  const topo::PeCoord a{0, 0, 0}, b{0, 6, 3};
  const auto c = m.system.wait(m.system.submit(IpcqInit{{{a, {b}}, {b, {a, a}}}}));
  EXPECT_EQ(c.phase, "ipcq_init");
  EXPECT_EQ(c.targets, 2u);
  EXPECT_EQ(m.system.pe(a).ipcq().neighbors(), std::vector<topo::PeCoord>{b});
  EXPECT_EQ(m.system.pe(b).ipcq().neighbors(), (std::vector<topo::PeCoord>{a, a}));
  EXPECT_TRUE(m.system.pe({0, 0, 1}).ipcq().neighbors().empty());
  EXPECT_THROW(m.system.submit(IpcqInit{{{a, {{0, 16, 0}}}}}), base::NotFoundError);
}

TEST(System, ManyRequestsDoNotKeepTheirProcesses) {
  Machine m;
  for (int i = 0; i < 2000; ++i)
    m.system.wait(m.system.submit(
        KernelLaunch{"tiny", Targets::pe({0, 0, 0}), [](sim::Process& p, Pe&) { p.wait(1_ns); }}));
  // Each request ran three processes (request, cube, PE): 6000 in all, freed in batches.
  EXPECT_LT(m.engine.process_objects(), 3000u);
}

TEST(System, TraceRecordsRequestsAndLinks) {
  Machine m;
  sim::RecordingTraceSink sink;
  m.engine.set_trace_sink(&sink);
  m.system.wait(m.system.submit(
      MemoryWrite{PhysAddr::encode(MemoryId::hbm_slice({0, 1}, 0), 0), 64_KiB, iota_bytes(65536)}));
  m.system.flush_trace();
  bool request = false, host_link = false;
  for (const auto& s : sink.records()) {
    request |= s.track == "sip0/host/requests" && s.name == "memory_write";
    host_link |= s.track == "sip0/host.in";
  }
  EXPECT_TRUE(request);
  EXPECT_TRUE(host_link);
}

TEST(System, TwoSystemsInOneProcess) {
  // Two machines of different shapes side by side, and a third like the first: the first and
  // the third agree to the picosecond, whatever the second does in between.
  Machine a, b({"sip.cube_mesh.w=2", "sip.cube_mesh.h=2", "system.sips.cubes_per_sip=4"}), c;
  const auto write = [](Machine& m, int cube) {
    return m.system.submit(MemoryWrite{PhysAddr::encode(MemoryId::hbm_slice({0, cube}, 0), 0),
                                       1_MiB, iota_bytes(1 << 20)});
  };
  const auto wa = write(a, 3);
  const auto wb = write(b, 3);
  const SimTime tb = b.system.wait(wb).end;
  const SimTime ta = a.system.wait(wa).end;
  const SimTime tc = c.system.wait(write(c, 3)).end;
  EXPECT_EQ(ta, tc);
  EXPECT_LT(tb, ta);  // cube 3 is (1,1) on the 2x2 mesh: 2 hops instead of 3
  EXPECT_EQ(b.system.spec().total_pes(), 32);
}

// A host write of N bytes into the TCM of every target PE, all submitted at once. The host link
// carries all the data and is the bottleneck, so the closed form is: the first write's command
// path and M_CPU latency; then k * N over the host link without a gap (flows share it chunk by
// chunk); then the last chunk's way from the host link down to the last-started write's PE; then
// that write's acknowledgement back to the host.
SimTime host_write_closed_form(System& s, const Targets& targets, Bytes n) {
  const auto& spec = s.spec();
  auto& f = s.fabric();
  const Bytes c = spec.cube.pe.dma.chunk_size;
  const Bytes cmd = HostInterface::kCommandBytes;
  const topo::PeCoord first = targets.pes().front(), last = targets.pes().back();
  const SimTime first_data =
      idle_transfer_time(f.route(Location::host(0), Location::m_cpu(first.cube_coord())), cmd, 1) +
      spec.cube.m_cpu_command_latency;
  const auto k = static_cast<std::int64_t>(targets.size());
  const auto chunks = static_cast<std::int64_t>(n.count() / c.count());
  const SimTime host_link = k * chunks * base::transfer_time(c, spec.system.host_link.bandwidth);
  const Route down = f.route(Location::host(0), Location::memory(MemoryId::tcm(last)));
  SimTime after_host = down.stages[0]->latency();
  for (std::size_t i = 1; i < down.stages.size(); ++i)
    after_host += base::transfer_time(c, down.stages[i]->bandwidth()) + down.stages[i]->latency();
  const SimTime ack =
      idle_transfer_time(f.route(Location::m_cpu(last.cube_coord()), Location::host(0)), cmd, 1);
  return first_data + host_link + after_host + ack;
}

SimTime run_host_writes(Machine& m, const Targets& targets, Bytes n) {
  const auto data = iota_bytes(static_cast<std::size_t>(n.count()));
  std::vector<RequestHandle> handles;
  for (const auto& pe : targets.pes())
    handles.push_back(
        m.system.submit(MemoryWrite{PhysAddr::encode(MemoryId::tcm(pe), 0), n, data}));
  SimTime last;
  for (auto handle : handles) last = std::max(last, m.system.wait(handle).end);
  return last;
}

TEST(SystemAnalytic, HostWriteToEveryPeOfACube) {
  Machine m;
  const Targets targets = Targets::cube(m.system.spec(), {0, 5});
  EXPECT_EQ(run_host_writes(m, targets, 1_MiB), host_write_closed_form(m.system, targets, 1_MiB));
}

TEST(SystemAnalytic, HostWriteToEveryPeOfTheSystem) {
  Machine m;
  const Targets targets = Targets::all(m.system.spec());
  ASSERT_EQ(targets.size(), 128u);
  // The writes to cube 15, the farthest from the host port, start last and so end last.
  EXPECT_EQ(run_host_writes(m, targets, 256_KiB),
            host_write_closed_form(m.system, targets, 256_KiB));
}

TEST(SystemErrors, BadRequestsChangeNothing) {
  Machine m;
  const auto& spec = m.system.spec();
  const PhysAddr pa = PhysAddr::encode(MemoryId::hbm_slice({0, 0}, 0), 0);
  // PE (0,2,3) already maps the VA: a map on the whole cube must fail and leave no PE mapped.
  m.system.wait(m.system.submit(MmuMap{Targets::pe({0, 2, 3}), VirtAddr(0x40000000), pa, 4_KiB}));
  try {
    m.system.submit(MmuMap{Targets::cube(spec, {0, 2}), VirtAddr(0x40000000), pa, 8_KiB});
    FAIL() << "overlap accepted";
  } catch (const base::AddressError& e) {
    EXPECT_NE(std::string(e.what()).find("PE (sip 0, cube 2, pe 3)"), std::string::npos)
        << e.what();
  }
  for (int p = 0; p < 8; ++p)
    EXPECT_EQ(m.system.pe({0, 2, p}).mmu().page_table().mapping_count(), p == 3 ? 1u : 0u);

  try {
    m.system.submit(MemoryRead{PhysAddr::encode(MemoryId::sram({0, 0}), 0), 33_MiB});
    FAIL() << "read past the end accepted";
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(),
                 "memory_read: 34603008 bytes at pa(sip 0, cube 0, sram, +0x0) run past the "
                 "end of SRAM of cube (sip 0, cube 0) (32 MiB)");
  }
  try {
    m.system.submit(MmuUnmap{Targets::pe({0, 2, 4}), VirtAddr(0x40000000), 4_KiB});
    FAIL() << "unmap of an unmapped range accepted";
  } catch (const base::AddressError& e) {
    EXPECT_NE(std::string(e.what()).find("page fault on PE (sip 0, cube 2, pe 4)"),
              std::string::npos);
  }
  EXPECT_THROW(m.system.submit(KernelLaunch{"k", Targets(), [](sim::Process&, Pe&) {}}),
               base::NotFoundError);
  EXPECT_THROW(m.system.completion(RequestHandle{99}), base::NotFoundError);
}

TEST(SystemErrors, KernelFailureNamesKernelAndPe) {
  Machine m;
  m.system.submit(KernelLaunch{"bad_kernel", Targets::pe({0, 1, 6}), [](sim::Process&, Pe& pe) {
                                 pe.mmu().translate(VirtAddr(0x1234000));
                               }});
  try {
    m.engine.run();
    FAIL() << "no error";
  } catch (const base::ProcessError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("kernel_launch:bad_kernel on PE (sip 0, cube 1, pe 6)"), std::string::npos)
        << what;
    EXPECT_NE(what.find("page fault on PE (sip 0, cube 1, pe 6): va(0x1234000) is not mapped"),
              std::string::npos)
        << what;
  }
}

}  // namespace
}  // namespace kernbench::hw
