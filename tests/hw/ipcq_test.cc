#include "kernbench/hw/ipcq.h"

#include <gtest/gtest.h>

#include "hw_test_support.h"

#include "kernbench/base/error.h"
#include "kernbench/sim/process.h"

namespace kernbench::hw {
namespace {

using namespace base::literals;
using mem::MemoryId;
using mem::PhysAddr;
using testing::Machine;

constexpr topo::PeCoord kA{0, 0, 0};
constexpr topo::PeCoord kB{0, 3, 5};

TEST(Ipcq, MessageCarriesDataIntoTheReceiversBuffer) {
  Machine m;
  m.system.pe(kA).ipcq().install({kB});
  const PhysAddr src = PhysAddr::encode(MemoryId::tcm(kA), 0);
  const PhysAddr dst = PhysAddr::encode(MemoryId::tcm(kB), 4096);
  const std::vector<std::byte> payload{std::byte{1}, std::byte{2}, std::byte{3}};
  m.system.bytes().write(src, payload);
  IpcqMessage got;
  base::SimTime sent_at, got_at;
  m.engine.spawn("sender", [&](sim::Process& p) {
    m.system.pe(kA).ipcq().send(p, 0, {7, 8, 9, 10}, src, dst, base::Bytes(payload.size()));
    sent_at = p.now();
  });
  m.engine.spawn("receiver", [&](sim::Process& p) {
    got = m.system.pe(kB).ipcq().receive(p);
    got_at = p.now();
  });
  m.engine.run();
  EXPECT_EQ(got.from, kA);
  EXPECT_EQ(got.descriptor[0], 7u);
  EXPECT_EQ(got.data, dst);
  EXPECT_EQ(got.size, 3_B);
  std::vector<std::byte> landed(3);
  m.system.bytes().read(dst, landed);
  EXPECT_EQ(landed, payload);
  EXPECT_EQ(got_at, sent_at);  // the receiver wakes when the descriptor lands
  // The message crossed the route between the PEs: at least its latencies.
  base::SimTime route_latency;
  for (const Channel* c : m.system.fabric().route(Location::pe(kA), Location::pe(kB)).stages)
    route_latency += c->latency();
  EXPECT_GT(got_at, route_latency);
}

TEST(Ipcq, FullQueueBlocksTheSender) {
  Machine m({"cube.pe_template.components.pe_ipcq.attrs.depth=2"});
  m.system.pe(kA).ipcq().install({kB});
  const PhysAddr src = PhysAddr::encode(MemoryId::tcm(kA), 0);
  const PhysAddr dst = PhysAddr::encode(MemoryId::tcm(kB), 0);
  std::vector<base::SimTime> sent;
  m.engine.spawn("sender", [&](sim::Process& p) {
    for (int i = 0; i < 4; ++i) {
      m.system.pe(kA).ipcq().send(p, 0, {static_cast<std::uint64_t>(i)}, src, dst, 64_B);
      sent.push_back(p.now());
    }
  });
  std::vector<std::uint64_t> order;
  m.engine.spawn("receiver", [&](sim::Process& p) {
    p.wait(10_us);  // lets the queue fill first
    for (int i = 0; i < 4; ++i) order.push_back(m.system.pe(kB).ipcq().receive(p).descriptor[0]);
  });
  m.engine.run();
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_LT(sent[1], 10_us);  // two fit in a queue of depth 2
  EXPECT_GT(sent[2], 10_us);  // the third waited for the receiver
  EXPECT_EQ(order, (std::vector<std::uint64_t>{0, 1, 2, 3}));
}

TEST(Ipcq, ReceiverWithNoSenderIsADeadlockNamingTheQueue) {
  Machine m;
  m.engine.spawn("rank 1", [&](sim::Process& p) { m.system.pe(kB).ipcq().receive(p); });
  try {
    m.engine.run();
    FAIL() << "no deadlock reported";
  } catch (const base::DeadlockError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("rank 1"), std::string::npos) << what;
    EXPECT_NE(what.find("ipcq of PE (sip 0, cube 3, pe 5)"), std::string::npos) << what;
  }
}

TEST(IpcqErrors, SlotOutsideTheTable) {
  Machine m;
  m.system.pe(kA).ipcq().install({kB});
  m.engine.spawn("sender", [&](sim::Process& p) {
    m.system.pe(kA).ipcq().send(p, 1, {}, PhysAddr::encode(MemoryId::tcm(kA), 0),
                                PhysAddr::encode(MemoryId::tcm(kB), 0), 64_B);
  });
  try {
    m.engine.run();
    FAIL() << "no error";
  } catch (const base::ProcessError& e) {
    EXPECT_NE(
        std::string(e.what()).find("IPCQ send from PE (sip 0, cube 0, pe 0): neighbour slot 1 "
                                   "is not in its table of 1 neighbours"),
        std::string::npos)
        << e.what();
  }
  EXPECT_THROW(m.system.pe(kA).ipcq().install({{0, 99, 0}}), base::NotFoundError);
}

}  // namespace
}  // namespace kernbench::hw
