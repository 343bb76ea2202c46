#include "kernbench/tl/ipcq.h"

#include <gtest/gtest.h>

#include "tl_test_support.h"

#include "kernbench/base/error.h"
#include "kernbench/hw/request.h"
#include "kernbench/tl/tl.h"

namespace kernbench::tl {
namespace {

using namespace base::literals;
using testing::Rig;

constexpr int kRanks = 4;

topo::PeCoord pe_of(int rank) { return {0, 0, rank}; }

// A ring of kRanks PEs of cube 0: slot 0 ring.next, slot 1 ring.prev; 4 KiB receive slots.
void install_ring(Rig& rig) {
  hw::IpcqInit init;
  for (int r = 0; r < kRanks; ++r) {
    const int next = (r + 1) % kRanks, prev = (r + kRanks - 1) % kRanks;
    init.tables.push_back(
        {pe_of(r), {pe_of(next), pe_of(prev)}, {"ring.next", "ring.prev"}, {next, prev}, r});
  }
  init.world_size = kRanks;
  init.slot_size = 4_KiB;
  rig.system().wait(rig.system().submit(init));
}

std::vector<topo::PeCoord> ring_pes() {
  std::vector<topo::PeCoord> pes;
  for (int r = 0; r < kRanks; ++r) pes.push_back(pe_of(r));
  return pes;
}

TEST(Ipcq, TableQueries) {
  Rig rig;
  install_ring(rig);
  std::vector<std::string> seen(kRanks);
  rig.run_on(ring_pes(),
             [&](Program& p) {
               Ipcq q(p);
               const Peer next = q.peer("ring.next");
               std::string roles;
               for (const Peer& peer : q.peers()) roles += peer.role + " ";
               seen[static_cast<std::size_t>(q.rank())] =
                   fmt::format("{} of {}: next {} on {}, {}{}", q.rank(), q.world_size(), next.rank,
                               next.pe, roles, q.slot_bytes());
               EXPECT_TRUE(q.has("ring.prev"));
               EXPECT_FALSE(q.has("parent"));
             },
             {});
  EXPECT_EQ(seen[3], "3 of 4: next 0 on (sip 0, cube 0, pe 0), ring.next ring.prev 4096");
}

TEST(Ipcq, TilesGoRoundTheRing) {
  Rig rig;
  install_ring(rig);
  std::vector<std::vector<double>> got(kRanks);
  rig.run_on(
      ring_pes(),
      [&](Program& p) {
        Ipcq q(p);
        const double r = q.rank();
        const Tile mine = Tile::from_doubles(Shape{4}, DType::f32, std::vector{r, r, r, r + 0.5});
        const Pending sent = send(q.peer("ring.next"), mine, {.tag = 7});
        const Tile in = recv(q.peer("ring.prev"), DType::f32, Shape{4}, {.tag = 7});
        sent.wait(p);
        got[static_cast<std::size_t>(q.rank())] = in.values();
      },
      {});
  EXPECT_EQ(got[0], (std::vector<double>{3, 3, 3, 3.5}));
  EXPECT_EQ(got[2], (std::vector<double>{1, 1, 1, 1.5}));
}

// Two-rank all-reduce of memory: send to the neighbour's receive slot, reduce it into memory,
// then send the sum into the neighbour's exposed window.
TEST(Ipcq, MemoryRangesReduceAndLandInWindows) {
  Rig rig;
  install_ring(rig);
  std::vector<rt::KernelArg> args;
  std::vector<rt::TensorArg> data;
  for (int r = 0; r < kRanks; ++r) {
    data.push_back(rig.tensor(DType::f32, {1.0 + r, 2.0 + r, 3.0 + r, 4.0 + r}));
    for (int o = 1; o < kRanks; ++o) rig.share(data.back(), pe_of(o));  // the rig maps on pe 0
    args.emplace_back(data.back());
  }
  rig.run_on(
      ring_pes(),
      [&](Program& p) {
        Ipcq q(p);
        const Tile x = p.pointer(static_cast<std::size_t>(q.rank()));
        const Peer next = q.peer("ring.next"), prev = q.peer("ring.prev");
        q.expose(0, x, 4);
        // Ring all-reduce of 4 elements over 4 ranks, one element a segment.
        const auto seg = [&](int s) { return ((s % kRanks) + kRanks) % kRanks; };
        const int r = q.rank();
        send(next, x, seg(r - 1), 1, {.tag = 0});
        Pending last;
        for (int t = 0; t < kRanks - 1; ++t) {
          const int s = seg(r - t - 2);
          last = recv_reduce(prev, x, s, 1, base::CombineOp::sum,
                             {.tag = static_cast<std::uint64_t>(t)});
          const SendOptions o{.tag = static_cast<std::uint64_t>(t + 1),
                              .to = t == kRanks - 2 ? in_window(0, s) : Landing{},
                              .after = last};
          send(next, x, s, 1, o);
        }
        for (int t = kRanks - 1; t < 2 * kRanks - 3; ++t) {  // all-gather: tags go on
          const int s = seg(r - 1 - (t - (kRanks - 1)));
          const auto tag = static_cast<std::uint64_t>(t);
          recv_into(prev, x, s, 1, {.tag = tag});  // landed in place through the window
          send(next, x, s, 1, {.tag = tag + 1, .to = in_window(0, s)});
        }
        recv_into(prev, x, seg(r - kRanks + 1), 1, {.tag = 2 * kRanks - 3});
      },
      args);
  for (int r = 0; r < kRanks; ++r)
    EXPECT_EQ(rig.read(data[static_cast<std::size_t>(r)]), (std::vector<double>{10, 14, 18, 22}))
        << r;
}

// A receiver taking any tag sees messages in arrival order and dispatches on the tag.
TEST(Ipcq, AnyTagReceivesInArrivalOrder) {
  Rig rig;
  install_ring(rig);
  std::vector<std::uint64_t> tags;
  double last = 0;
  rig.run_on({pe_of(0), pe_of(1)},
             [&](Program& p) {
               Ipcq q(p);
               if (q.rank() == 0) {
                 for (const std::uint64_t tag : {5u, 3u, 9u})
                   send(q.peer("ring.next"),
                        Tile::from_doubles(Shape{2}, DType::f32, std::vector{1.0 * tag, 0.0}),
                        {.tag = tag});
                 return;
               }
               for (int i = 0; i < 3; ++i) {
                 const Message m = recv(q.peer("ring.prev"));
                 EXPECT_EQ(m.bytes(), 8);
                 tags.push_back(m.tag());
                 last = to_tile(m, DType::f32, Shape{2}).values()[0];
               }
             },
             {});
  EXPECT_EQ(tags, (std::vector<std::uint64_t>{5, 3, 9}));
  EXPECT_EQ(last, 9.0);
  // The sender's program ends only once its sends are delivered.
  EXPECT_GT(rig.last_stats(pe_of(0)).elapsed, base::SimTime::zero());
}

TEST(IpcqErrors, ASizeMismatchNamesTheMessage) {
  Rig rig;
  install_ring(rig);
  try {
    rig.run_on({pe_of(0), pe_of(1)},
               [&](Program& p) {
                 Ipcq q(p);
                 if (q.rank() == 0)
                   send(q.peer("ring.next"),
                        Tile::from_doubles(Shape{2}, DType::f32, std::vector{1.0, 2.0}),
                        {.tag = 4});
                 else
                   recv(q.peer("ring.prev"), DType::f32, Shape{4});
               },
               {});
    FAIL() << "no error";
  } catch (const base::ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("ipcq to_tile: a message of 8 B from rank 0 (tag 4) "
                                         "where 16 bytes were expected"),
              std::string::npos)
        << e.what();
  }
}

TEST(IpcqErrors, UnknownRoleListsTheTable) {
  Rig rig;
  install_ring(rig);
  try {
    rig.run_on({pe_of(1)}, [](Program& p) { Ipcq(p).peer("parent"); }, {});
    FAIL() << "no error";
  } catch (const base::NotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("IPCQ of rank 1 on PE (sip 0, cube 0, pe 1): no "
                                         "neighbour 'parent' in its table (it has 'ring.next', "
                                         "'ring.prev')"),
              std::string::npos)
        << e.what();
  }
}

TEST(IpcqErrors, UnmatchedReceiveIsADeadlockNamingQueueAndRanks) {
  Rig rig;
  install_ring(rig);
  try {
    rig.run_on(
        {pe_of(2)},
        [](Program& p) { recv(Ipcq(p).peer("ring.prev"), DType::f32, Shape{4}, {.tag = 5}); }, {});
    FAIL() << "no deadlock";
  } catch (const base::DeadlockError& e) {
    EXPECT_NE(std::string(e.what()).find("IPCQ queue of rank 2 on PE (sip 0, cube 0, pe 2) from "
                                         "rank 1 on PE (sip 0, cube 0, pe 1), channel 0"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace kernbench::tl
