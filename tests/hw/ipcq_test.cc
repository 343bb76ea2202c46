#include "kernbench/hw/ipcq.h"

#include <array>
#include <deque>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hw_test_support.h"

#include "kernbench/base/error.h"
#include "kernbench/hw/request.h"
#include "kernbench/sim/process.h"

namespace kernbench::hw {
namespace {

using namespace base::literals;
using mem::MemoryId;
using mem::PhysAddr;
using testing::Machine;

constexpr topo::PeCoord kA{0, 0, 0};
constexpr topo::PeCoord kB{0, 3, 5};

// A (rank 0) and B (rank 1) as each other's only neighbour, slots of 4 KiB in TCM.
void install_pair(Machine& m, base::Bytes slot = 4_KiB) {
  m.system.pe(kA).ipcq().install({0, 2, {{"peer", 1, kB}}, mem::MemoryKind::tcm, slot});
  m.system.pe(kB).ipcq().install({1, 2, {{"peer", 0, kA}}, mem::MemoryKind::tcm, slot});
}

base::SimTime route_latency(Machine& m, topo::PeCoord from, topo::PeCoord to) {
  base::SimTime t;
  for (const Channel* c : m.system.fabric().route(Location::pe(from), Location::pe(to)).stages)
    t += c->latency();
  return t;
}

TEST(Ipcq, MessageCarriesDataToAnAddress) {
  Machine m;
  install_pair(m);
  const PhysAddr src = PhysAddr::encode(MemoryId::tcm(kA), 0);
  const PhysAddr dst = PhysAddr::encode(MemoryId::tcm(kB), 8192);
  const std::vector<std::byte> payload{std::byte{1}, std::byte{2}, std::byte{3}};
  m.system.bytes().write(src, payload);
  IpcqMessage got;
  base::SimTime sent_at, got_at;
  m.engine.spawn("sender", [&](sim::Process& p) {
    m.system.pe(kA).ipcq().send(
        p, {0, 0, src, base::Bytes(payload.size()), IpcqLanding::at(dst), {7, 8, 9, 10}});
    sent_at = p.now();
  });
  m.engine.spawn("receiver", [&](sim::Process& p) {
    got = m.system.pe(kB).ipcq().receive(p, 0);
    got_at = p.now();
    m.system.pe(kB).ipcq().release(got);
  });
  m.engine.run();
  EXPECT_EQ(got.from, kA);
  EXPECT_EQ(got.from_rank, 0);
  EXPECT_EQ(got.descriptor[1], 8u);
  EXPECT_EQ(got.data, dst);
  EXPECT_EQ(got.size, 3_B);
  EXPECT_EQ(got.buffer_slot, -1);
  std::vector<std::byte> landed(3);
  m.system.bytes().read(dst, landed);
  EXPECT_EQ(landed, payload);
  EXPECT_EQ(got_at, sent_at);  // the receiver wakes when the descriptor lands
  EXPECT_GT(got_at, route_latency(m, kA, kB));
}

TEST(Ipcq, TableCarriesRolesRanksAndWorldSize) {
  Machine m;
  const auto c = m.system.wait(m.system.submit(IpcqInit{
      {{kA, {kB, kB}, {"ring.next", "ring.prev"}, {1, 1}, 0}, {kB, {kA}, {"ring.next"}, {0}, 1}},
      2,
      mem::MemoryKind::sram,
      64_KiB}));
  EXPECT_TRUE(c.done);
  const Ipcq& a = m.system.pe(kA).ipcq();
  EXPECT_EQ(a.rank(), 0);
  EXPECT_EQ(a.world_size(), 2);
  EXPECT_EQ(a.slot("ring.prev"), 1);
  EXPECT_EQ(a.slot("parent"), -1);
  EXPECT_EQ(a.table().peers[1], (IpcqPeer{"ring.prev", 1, kB}));
  EXPECT_EQ(a.table().buffer, mem::MemoryKind::sram);
  EXPECT_EQ(m.system.pe(kB).ipcq().table().slot_size, 64_KiB);
}

TEST(Ipcq, SlotLandingAndTagMatching) {
  Machine m;
  install_pair(m);
  Ipcq& a = m.system.pe(kA).ipcq();
  Ipcq& b = m.system.pe(kB).ipcq();
  const PhysAddr src = PhysAddr::encode(MemoryId::tcm(kA), 0);
  std::vector<std::uint64_t> order;
  m.engine.spawn("sender", [&](sim::Process& p) {
    for (std::uint64_t tag = 0; tag < 3; ++tag) a.send(p, {0, 0, src, 64_B, {}, {tag}});
  });
  m.engine.spawn("receiver", [&](sim::Process& p) {
    for (const std::uint64_t tag : {2u, 0u, 1u}) {  // out of order: the tag picks
      const IpcqMessage msg = b.receive(p, 0, 0, tag);
      EXPECT_GE(msg.buffer_slot, 0);
      EXPECT_EQ(msg.data.memory(), MemoryId::tcm(kB));
      order.push_back(msg.descriptor[0]);
      b.release(msg);
    }
  });
  m.engine.run();
  EXPECT_EQ(order, (std::vector<std::uint64_t>{2, 0, 1}));
}

TEST(Ipcq, FullQueueBlocksTheSenderUntilTheCreditComesBack) {
  Machine m({"cube.pe_template.components.pe_ipcq.attrs.depth=2"});
  install_pair(m);
  const PhysAddr src = PhysAddr::encode(MemoryId::tcm(kA), 0);
  std::vector<base::SimTime> sent;
  m.engine.spawn("sender", [&](sim::Process& p) {
    for (std::uint64_t i = 0; i < 4; ++i) {
      m.system.pe(kA).ipcq().send(p, {0, 0, src, 64_B, {}, {i}});
      sent.push_back(p.now());
    }
  });
  std::vector<std::uint64_t> order;
  m.engine.spawn("receiver", [&](sim::Process& p) {
    p.wait(10_us);  // lets the queue fill first
    for (int i = 0; i < 4; ++i) {
      const IpcqMessage msg = m.system.pe(kB).ipcq().receive(p, 0);
      order.push_back(msg.descriptor[0]);
      m.system.pe(kB).ipcq().release(msg);
    }
  });
  m.engine.run();
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_LT(sent[1], 10_us);  // two fit in a queue of depth 2
  // The third waited for the receiver, then for the credit to cross back and its own trip.
  EXPECT_GT(sent[2], 10_us + route_latency(m, kB, kA) + route_latency(m, kA, kB));
  EXPECT_EQ(order, (std::vector<std::uint64_t>{0, 1, 2, 3}));
}

TEST(Ipcq, ChannelsAreSeparateQueues) {
  Machine m({"cube.pe_template.components.pe_ipcq.attrs.depth=1"});
  install_pair(m);
  const PhysAddr src = PhysAddr::encode(MemoryId::tcm(kA), 0);
  base::SimTime other;
  m.engine.spawn("sender", [&](sim::Process& p) {
    m.system.pe(kA).ipcq().send(p, {0, 0, src, 64_B, {}, {}});
    // Channel 0 has no credit left; channel 1 has its own.
    m.system.pe(kA).ipcq().send(p, {0, 1, src, 64_B, {}, {}});
    other = p.now();
  });
  m.engine.spawn("receiver", [&](sim::Process& p) {
    p.wait(10_us);
    m.system.pe(kB).ipcq().release(m.system.pe(kB).ipcq().receive(p, 0, 1));
    m.system.pe(kB).ipcq().release(m.system.pe(kB).ipcq().receive(p, 0, 0));
  });
  m.engine.run();
  EXPECT_LT(other, 10_us);
}

TEST(Ipcq, CallbackFormAndWindows) {
  Machine m;
  install_pair(m);
  Ipcq& a = m.system.pe(kA).ipcq();
  Ipcq& b = m.system.pe(kB).ipcq();
  const PhysAddr src = PhysAddr::encode(MemoryId::tcm(kA), 0);
  const PhysAddr window = PhysAddr::encode(MemoryId::tcm(kB), 64 * 1024);
  m.system.bytes().write(src, std::vector<std::byte>(16, std::byte{5}));
  struct State {
    bool delivered = false;
    IpcqMessage got;
  } s;
  // The window is not exposed yet: the data waits (holding its credit) until it is.
  a.start_send(
      {0, 0, src, 16_B, IpcqLanding::in_window(3, 32_B), {1}},
      [](void* c) { static_cast<State*>(c)->delivered = true; }, &s);
  b.start_receive(
      0, 0, std::nullopt,
      [](void* c, const IpcqMessage& msg) { static_cast<State*>(c)->got = msg; }, &s);
  m.engine.spawn("receiver", [&](sim::Process& p) {
    p.wait(1_us);
    b.expose(3, window, 4_KiB);
  });
  m.engine.run();
  EXPECT_TRUE(s.delivered);
  EXPECT_EQ(s.got.data, window + 32_B);
  EXPECT_GT(m.engine.now(), 1_us);
  std::vector<std::byte> landed(16);
  m.system.bytes().read(window + 32_B, landed);
  EXPECT_EQ(landed, std::vector<std::byte>(16, std::byte{5}));
}

// The DMA engine takes a sender's messages in the order they got their credits: one waiting for
// its receiver to open a window holds up the ones behind it.
TEST(Ipcq, SendsLeaveInOrderBehindOneWaitingForAWindow) {
  Machine m;
  constexpr topo::PeCoord kC{0, 1, 2};
  m.system.pe(kA).ipcq().install({0, 3, {{"b", 1, kB}, {"c", 2, kC}}, mem::MemoryKind::tcm, 4_KiB});
  m.system.pe(kB).ipcq().install({1, 3, {{"a", 0, kA}}, mem::MemoryKind::tcm, 4_KiB});
  m.system.pe(kC).ipcq().install({2, 3, {{"a", 0, kA}}, mem::MemoryKind::tcm, 4_KiB});
  const PhysAddr src = PhysAddr::encode(MemoryId::tcm(kA), 0);
  m.system.pe(kA).ipcq().start_send({0, 0, src, 64_B, IpcqLanding::in_window(0, {}), {}}, nullptr,
                                    nullptr);
  m.system.pe(kA).ipcq().start_send({1, 0, src, 64_B, {}, {}}, nullptr, nullptr);
  m.engine.spawn("b", [&](sim::Process& p) {
    p.wait(1_us);
    m.system.pe(kB).ipcq().expose(0, PhysAddr::encode(MemoryId::tcm(kB), 0), 4_KiB);
  });
  base::SimTime c_at;
  m.engine.spawn("c", [&](sim::Process& p) {
    m.system.pe(kC).ipcq().receive(p, 0);
    c_at = p.now();
  });
  m.engine.run();
  EXPECT_GT(c_at, 1_us);
}

TEST(Ipcq, ReceiveNoSendMatchesIsADeadlockNamingTheQueueAndRanks) {
  Machine m;
  install_pair(m);
  m.engine.spawn("rank 1", [&](sim::Process& p) { m.system.pe(kB).ipcq().receive(p, 0, 2, 9); });
  try {
    m.engine.run();
    FAIL() << "no deadlock reported";
  } catch (const base::DeadlockError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("rank 1"), std::string::npos) << what;
    EXPECT_NE(what.find("IPCQ queue of rank 1 on PE (sip 0, cube 3, pe 5) from rank 0 on PE "
                        "(sip 0, cube 0, pe 0), channel 2 (0 messages delivered, 0 taken): "
                        "receive of tag 9"),
              std::string::npos)
        << what;
  }
}

TEST(IpcqErrors, SlotOutsideTheTableAndOversizedMessages) {
  Machine m;
  install_pair(m);
  const PhysAddr src = PhysAddr::encode(MemoryId::tcm(kA), 0);
  try {
    m.system.pe(kA).ipcq().start_send({1, 0, src, 64_B, {}, {}}, nullptr, nullptr);
    FAIL() << "no error";
  } catch (const base::NotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("IPCQ send on PE (sip 0, cube 0, pe 0): neighbour slot "
                                         "1 is not in its table of 1 neighbours"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(m.system.pe(kA).ipcq().start_send({0, 0, src, 8_KiB, {}, {}}, nullptr, nullptr),
               base::ShapeError);
  EXPECT_THROW(m.system.pe(kA).ipcq().install({{0, 99, 0}}), base::NotFoundError);
}

// Sends four messages A -> B on a queue of depth 2 from a callback-driven sender; B releases each
// as it lands. Returns the control transfers (descriptors and credits) the fabric started.
// With `by_ref`, through the queue's Ipcq::QueueRef instead of the PEs' coordinates.
struct FourSends {
  explicit FourSends(bool announced, std::uint64_t count = 4, bool by_ref = false,
                     const char* model = "chunks")
      : m({"cube.pe_template.components.pe_ipcq.attrs.depth=2",
           std::string("system.fabric_model=") + model}),
        by_ref(by_ref) {
    install_pair(m);
    Ipcq& a = m.system.pe(kA).ipcq();
    queue = a.queue_to(kB, 0);
    if (announced) a.expect_sends(kB, 0, count);
    receive(m.system.pe(kB).ipcq());
    for (std::uint64_t i = 0; i < 4; ++i) {
      const IpcqSend send{0, 0, PhysAddr::encode(MemoryId::tcm(kA), 0), 64_B, {}, {i}};
      if (by_ref)
        a.start_send_on(queue, send, nullptr, nullptr);
      else
        a.start_send_to(kB, send, nullptr, nullptr);
    }
    m.engine.run();
  }
  void receive(Ipcq& b) {
    if (by_ref)
      b.start_receive_on(queue, std::nullopt, &on_message, this);
    else
      b.start_receive_from(kA, 0, std::nullopt, &on_message, this);
  }
  static void on_message(void* ctx, const IpcqMessage& msg) {
    auto& self = *static_cast<FourSends*>(ctx);
    self.landed.push_back(self.m.engine.now());
    Ipcq& b = self.m.system.pe(kB).ipcq();
    if (self.landed.size() < 4) self.receive(b);
    if (self.by_ref)
      b.release_on(self.queue, msg);
    else
      b.release(msg);
  }
  Machine m;
  bool by_ref;
  Ipcq::QueueRef queue;
  std::vector<base::SimTime> landed;
};

// Under flows a credit no send waits for goes back without an event of its own (its landing is
// known as it leaves): a send that needs one waits for it to land, and credits still on the wire
// when the run ends count as home, so another table may be installed at once.
TEST(Ipcq, UnwatchedCreditsLandWhenASendNeedsThem) {
  FourSends sends(false, 4, false, "flows");
  ASSERT_EQ(sends.landed.size(), 4u);
  const base::SimTime back = route_latency(sends.m, kB, kA);
  EXPECT_GE(sends.landed[2], sends.landed[0] + back);  // depth 2: the third took the first credit
  EXPECT_GE(sends.landed[3], sends.landed[1] + back);
  Ipcq& b = sends.m.system.pe(kB).ipcq();
  EXPECT_TRUE(b.idle());
  EXPECT_NO_THROW(b.install({1, 2, {{"other", 0, kA}}, mem::MemoryKind::tcm, 4_KiB}));
}

// A queue named once behaves as the queue found by coordinates, message for message.
TEST(Ipcq, QueueRefFormsMatchTheCoordinateForms) {
  for (const bool announced : {false, true}) {
    FourSends coords(announced), refs(announced, 4, true);
    ASSERT_EQ(refs.landed.size(), 4u);
    EXPECT_EQ(coords.landed, refs.landed);
    EXPECT_EQ(coords.m.engine.now(), refs.m.engine.now());
    EXPECT_TRUE(refs.m.system.pe(kB).ipcq().idle());
  }
}

// A send that finds a free credit takes it in the call and asks its DMA engine at once; one that
// finds none waits, and asks when the credit comes back.
TEST(Ipcq, AFreeCreditIsTakenInTheCall) {
  Machine m({"cube.pe_template.components.pe_ipcq.attrs.depth=1"});
  install_pair(m);
  Ipcq& a = m.system.pe(kA).ipcq();
  const IpcqSend send{0, 0, PhysAddr::encode(MemoryId::tcm(kA), 0), 64_B, {}, {}};
  a.start_send_to(kB, send, nullptr, nullptr);
  EXPECT_EQ(m.system.pe(kA).dma().busy(), 1u);
  a.start_send_to(kB, send, nullptr, nullptr);
  EXPECT_EQ(m.system.pe(kA).dma().queued(), 0u);  // no credit, so not at the DMA engine yet
  EXPECT_FALSE(a.idle());
}

// Announced sends need two credits back (messages 3 and 4), not four: the last two credits rejoin
// the sender without crossing the fabric, so the queue is idle when the last message is released,
// and the same messages land at the same times.
TEST(Ipcq, AnnouncedSendsReturnOnlyTheCreditsALaterSendTakes) {
  FourSends plain(false), announced(true);
  EXPECT_EQ(plain.landed, announced.landed);
  ASSERT_EQ(announced.landed.size(), 4u);
  EXPECT_EQ(announced.m.engine.now(), announced.landed.back());
  EXPECT_GT(plain.m.engine.now(), plain.landed.back());  // its last two credits still travelled
  EXPECT_TRUE(announced.m.system.pe(kB).ipcq().idle());
  EXPECT_TRUE(plain.m.system.pe(kB).ipcq().idle());
  // The next batch starts with every credit: two sends leave at once.
  Ipcq& a = announced.m.system.pe(kA).ipcq();
  a.expect_sends(kB, 0, 2);
  int landed = 0;
  const base::SimTime from = announced.m.engine.now();
  for (std::uint64_t i = 0; i < 2; ++i)
    a.start_send_to(
        kB,
        {0,
         0,
         PhysAddr::encode(MemoryId::tcm(kA), 0),
         64_B,
         IpcqLanding::at(PhysAddr::encode(MemoryId::tcm(kB), 0)),
         {i}},
        [](void* c) { ++*static_cast<int*>(c); }, &landed);
  announced.m.engine.run();
  EXPECT_EQ(landed, 2);
  EXPECT_LT(announced.m.engine.now() - from, announced.landed[2] - announced.landed[0]);
}

// Announcing no sends (a rank whose segments are all empty) leaves the queue as it was: the sends
// that follow return every credit over the fabric, as unannounced ones do.
TEST(Ipcq, AnnouncingNoSendsLeavesTheQueueAsItWas) {
  FourSends plain(false), none(true, 0);
  EXPECT_EQ(none.landed, plain.landed);
  EXPECT_EQ(none.m.engine.now(), plain.m.engine.now());
}

// Receive slots come from the buffer the installer gives, queue after queue; a table installed
// again unchanged keeps its queues, a different one while a message waits is refused.
TEST(Ipcq, ReceiveBufferGivenAndGuardedReinstall) {
  Machine m;
  install_pair(m, 1_KiB);
  Ipcq& a = m.system.pe(kA).ipcq();
  Ipcq& b = m.system.pe(kB).ipcq();
  const PhysAddr given = m.system.allocator().allocate_tcm(kB, 8_KiB);
  b.set_receive_buffer(given, 8_KiB);
  IpcqMessage got;
  b.start_receive_from(
      kA, 0, std::nullopt,
      [](void* c, const IpcqMessage& msg) { *static_cast<IpcqMessage*>(c) = msg; }, &got);
  a.start_send_to(kB, {0, 0, PhysAddr::encode(MemoryId::tcm(kA), 0), 512_B, {}, {7}}, nullptr,
                  nullptr);
  m.engine.run();
  EXPECT_GE(got.data.offset(), given.offset());
  EXPECT_LT(got.data.offset(), given.offset() + 8192);
  EXPECT_FALSE(b.idle());  // the message holds its slot and credit
  b.install({1, 2, {{"peer", 0, kA}}, mem::MemoryKind::tcm, 1_KiB});  // unchanged: kept
  EXPECT_FALSE(b.idle());
  b.expose(3, m.system.allocator().allocate_tcm(kB, 1_KiB), 1_KiB);
  try {
    b.install({1, 2, {{"other", 0, kA}}, mem::MemoryKind::tcm, 1_KiB});
    FAIL() << "no error";
  } catch (const base::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("IPCQ of PE (sip 0, cube 3, pe 5): a new neighbour table "
                                         "installed while messages to or from it are under way"),
              std::string::npos)
        << e.what();
  }
  // The refused table left the window exposed: a send into it lands.
  bool delivered = false;
  a.start_send_to(
      kB, {0, 0, PhysAddr::encode(MemoryId::tcm(kA), 0), 64_B, IpcqLanding::in_window(3, 0_B), {8}},
      [](void* c) { *static_cast<bool*>(c) = true; }, &delivered);
  m.engine.run();
  EXPECT_TRUE(delivered);
  IpcqMessage second;
  b.start_receive_from(
      kA, 0, std::nullopt,
      [](void* c, const IpcqMessage& msg) { *static_cast<IpcqMessage*>(c) = msg; }, &second);
  b.release(second);
  b.release(got);
  m.engine.run();
  EXPECT_TRUE(b.idle());
  b.install({1, 2, {{"other", 0, kA}}, mem::MemoryKind::tcm, 1_KiB});
  EXPECT_EQ(b.table().peers.front().role, "other");
}

// A PE's DMA engine serves its channels oldest first. PE (0, 0, 0) sends 4 KiB to each PE of the
// next cube; both messages leave through one link whose buffer holds one 256-byte chunk (50 ns
// each way), so either alone fills it. With a second DMA channel the first message lands when it
// does with one channel (it once shared the link and landed with the second, 1.5 us later) and
// the second no later than with one channel.
TEST(Ipcq, ASecondDmaChannelNeverDelaysTheFirstMessage) {
  constexpr topo::PeCoord kRoot{0, 0, 0}, kNext{0, 1, 0}, kOther{0, 1, 1};
  for (const char* model : {"chunks", "flows"}) {
    std::array<base::SimTime, 2> one{};
    for (const int channels : {1, 2}) {
      Machine m({"system.sips.cubes_per_sip=2", "sip.cube_mesh.w=2", "sip.cube_mesh.h=1",
                 "cube.pe_layout.corners=1", "cube.pe_layout.pe_per_corner=2",
                 "cube.intra_cube_link.latency=50 ns", "cube.intra_cube_link.buffer=256",
                 "cube.pe_template.components.pe_dma.attrs.chunk_size=256",
                 fmt::format("cube.pe_template.components.pe_dma.attrs.channels={}", channels),
                 fmt::format("system.fabric_model={}", model)});
      Ipcq& root = m.system.pe(kRoot).ipcq();
      root.install({0, 3, {{"a", 1, kNext}, {"b", 2, kOther}}, mem::MemoryKind::tcm, 4_KiB});
      m.system.pe(kNext).ipcq().install({1, 3, {{"root", 0, kRoot}}, mem::MemoryKind::tcm, 4_KiB});
      m.system.pe(kOther).ipcq().install({2, 3, {{"root", 0, kRoot}}, mem::MemoryKind::tcm, 4_KiB});
      const PhysAddr src = m.system.allocator().allocate_hbm(kRoot, 4_KiB);
      struct Landed {
        sim::Engine* engine;
        base::SimTime at;
      };
      std::array<Landed, 2> landed{Landed{&m.engine, {}}, Landed{&m.engine, {}}};
      const auto on = [](void* l) {
        auto& x = *static_cast<Landed*>(l);
        x.at = x.engine->now();
      };
      const std::array to{kNext, kOther};
      for (std::size_t i = 0; i < to.size(); ++i) {
        IpcqSend send{0, 0, src, 4_KiB,
                      IpcqLanding::at(m.system.allocator().allocate_tcm(to[i], 4_KiB))};
        send.move_bytes = false;
        root.start_send_to(to[i], send, on, &landed[i]);
      }
      m.engine.run();
      if (channels == 1) {
        one = {landed[0].at, landed[1].at};
        EXPECT_GT(one[1], one[0] + 1_us) << model;  // one after another
        continue;
      }
      EXPECT_EQ(landed[0].at.ps(), one[0].ps()) << model;
      EXPECT_LE(landed[1].at.ps(), one[1].ps()) << model;
    }
  }
}

// Under flows a timing-only send from a PE with one DMA channel has its data and descriptor timed
// as one transfer (its DMA channel freed as of the hand-over): every message lands when one that
// moves its bytes does, a send waiting for the channel starts its data at the hand-over, and the
// run takes fewer events.
TEST(Ipcq, ATimingOnlySendLandsWhenOneMovingBytesDoes) {
  constexpr topo::PeCoord kRoot{0, 0, 0}, kNext{0, 1, 0}, kOther{0, 1, 1};
  struct Run {
    std::vector<base::SimTime> landed;
    std::uint64_t events = 0;
  };
  const auto run = [&](bool move_bytes) {
    Machine m({"system.sips.cubes_per_sip=2", "sip.cube_mesh.w=2", "sip.cube_mesh.h=1",
               "cube.pe_layout.corners=1", "cube.pe_layout.pe_per_corner=2",
               "system.fabric_model=flows"});
    const std::array pes{kRoot, kNext, kOther};
    for (int r = 0; r < 3; ++r) {
      IpcqTable t{r, 3, {}, mem::MemoryKind::tcm, 64_KiB};
      for (int o = 0; o < 3; ++o)
        if (o != r) t.peers.push_back({"", o, pes[static_cast<std::size_t>(o)]});
      m.system.pe(pes[static_cast<std::size_t>(r)]).ipcq().install(t);
    }
    struct Landed {
      sim::Engine* engine;
      base::SimTime at;
    };
    std::deque<Landed> landed;
    const auto on = [](void* l) {
      auto& x = *static_cast<Landed*>(l);
      x.at = x.engine->now();
    };
    // The root sends to both others back to back (the second waits for its DMA channel); the
    // other sends more to the next PE at once, sharing the way into it with the root's first.
    struct Send {
      topo::PeCoord from, to;
      base::Bytes size;
    };
    const std::array<Send, 4> sends{{{kRoot, kNext, 48_KiB},
                                     {kRoot, kOther, 48_KiB},
                                     {kOther, kNext, 192_KiB},
                                     {kRoot, kNext, 48_KiB}}};
    for (const auto& [from, to, size] : sends) {
      IpcqSend send{0, 0, m.system.allocator().allocate_hbm(from, size), size,
                    IpcqLanding::at(m.system.allocator().allocate_tcm(to, size))};
      send.move_bytes = move_bytes;
      m.system.pe(from).ipcq().start_send_to(to, send, on, &landed.emplace_back(&m.engine));
    }
    m.engine.run();
    Run out;
    for (const Landed& l : landed) out.landed.push_back(l.at);
    out.events = m.engine.events_processed();
    return out;
  };
  const Run moving = run(true), timing_only = run(false);
  EXPECT_EQ(timing_only.landed, moving.landed);
  EXPECT_GT(moving.landed[1], moving.landed[0]);
  EXPECT_LT(timing_only.events, moving.events);
}

}  // namespace
}  // namespace kernbench::hw
