#include "kernbench/rt/tensor.h"

#include <gtest/gtest.h>

#include "rt_test_support.h"

#include "kernbench/base/error.h"

namespace kernbench::rt {
namespace {

using base::DType;
using testing::Machine;
using topo::PeCoord;

mem::PhysAddr translate(hw::System& system, PeCoord pe, mem::VirtAddr va) {
  return system.pe(pe).mmu().page_table().translate(va).pa;
}

std::size_t mappings_on(hw::System& system, PeCoord pe) {
  return system.pe(pe).mmu().page_table().mapping_count();
}

// Deterministic bytes that cover NaNs, infinities and denormals of every float type.
HostTensor pattern(DType dtype, Shape shape) {
  HostTensor h = HostTensor::zeros(dtype, shape);
  std::uint32_t x = 0x12345678u;
  for (std::byte& b : h.bytes()) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<std::byte>(x >> 24);
  }
  if (dtype == DType::boolean)
    for (std::byte& b : h.bytes()) b = static_cast<std::byte>(static_cast<int>(b) & 1);
  return h;
}

TEST(Tensor, ZerosFullAndEmpty) {
  Machine m;
  Session& s = m.runtime.host();
  const Tensor z = s.zeros({4, 8}, DType::f32, {}, "z");
  EXPECT_EQ(z.to_host(), HostTensor::zeros(DType::f32, {4, 8}));
  const Tensor f = s.full({5}, 2.5, DType::bf16, {}, "f");
  EXPECT_EQ(f.to_host().to_floats(), std::vector<float>(5, 2.5f));
  const Tensor i = s.full({3}, -7, DType::i16);
  EXPECT_EQ(i.to_host().values<std::int16_t>(), std::vector<std::int16_t>(3, -7));
  const std::size_t writes_before = std::ranges::count_if(
      m.runtime.records(), [](const PhaseRecord& r) { return r.phase == "write"; });
  const Tensor e = s.empty({64}, DType::f32, {}, "e");
  const std::size_t writes_after = std::ranges::count_if(
      m.runtime.records(), [](const PhaseRecord& r) { return r.phase == "write"; });
  EXPECT_EQ(writes_after, writes_before);  // empty does not write
  EXPECT_EQ(i.name(), "tensor3");          // an unnamed tensor gets a generated name
}

TEST(Tensor, CubeReplicateMapsEachCubesOwnCopyAtOneVa) {
  Machine m;
  const Tensor t =
      m.runtime.host().zeros({1024}, DType::f32, {{}, LevelPlacement::replicate(), {}}, "w");
  ASSERT_EQ(t.shards().size(), 2u);
  const mem::VirtAddr va = t.shard_va(t.shards()[0]);
  EXPECT_EQ(t.shard_va(t.shards()[1]), va);
  for (int cube = 0; cube < 2; ++cube)
    for (int pe = 0; pe < 4; ++pe) {
      EXPECT_EQ(translate(m.system, {0, cube, pe}, va), t.shard_pa(static_cast<std::size_t>(cube)));
      EXPECT_EQ(mappings_on(m.system, {0, cube, pe}), 1u);
    }
  EXPECT_EQ(mappings_on(m.system, {1, 0, 0}), 0u);  // SIP 1 holds nothing
  // The copy sits in its PE's home HBM.
  EXPECT_EQ(t.shard_pa(1).memory().kind, mem::MemoryKind::hbm);
  EXPECT_EQ(t.shard_pa(1).cube(), 1);
}

TEST(Tensor, ShardedTensorIsMappedWholeOnEveryPeOfItsSip) {
  Machine m;
  const Tensor t = m.runtime.host().zeros({8, 1000}, DType::f32,
                                          {{}, LevelPlacement::rows(), LevelPlacement::rows()});
  ASSERT_EQ(t.shards().size(), 8u);
  const base::Bytes page = m.system.spec().cube.pe.mmu.page_size;
  for (std::size_t i = 0; i < t.shards().size(); ++i) {
    const Shard& shard = t.shards()[i];
    // Every part has its own page-aligned slot, in part order.
    EXPECT_EQ(t.shard_va(shard).value() % page.count(), 0u);
    if (i > 0) {
      EXPECT_EQ(t.shard_va(shard) - t.shard_va(t.shards()[i - 1]), page);
    }
    for (int cube = 0; cube < 2; ++cube)
      for (int pe = 0; pe < 4; ++pe)
        EXPECT_EQ(translate(m.system, {0, cube, pe}, t.shard_va(shard)), t.shard_pa(i));
  }
  EXPECT_EQ(mappings_on(m.system, {0, 1, 3}), 8u);
}

TEST(Tensor, PeReplicateGivesEveryPeItsOwnCopy) {
  Machine m;
  const Tensor t = m.runtime.host().zeros({16}, DType::f32, {{}, {}, LevelPlacement::replicate()});
  for (int pe = 0; pe < 4; ++pe) {
    const Shard& shard = t.shards()[static_cast<std::size_t>(pe)];
    EXPECT_EQ(shard.pe, (PeCoord{0, 0, pe}));
    EXPECT_EQ(translate(m.system, shard.pe, t.shard_va(shard)),
              t.shard_pa(static_cast<std::size_t>(pe)));
  }
  // PEs of the other cube map the SIP's first copy.
  EXPECT_EQ(translate(m.system, {0, 1, 2}, t.shard_va(t.shards()[0])), t.shard_pa(0));
}

TEST(Tensor, RoundTripsAreBitExactForEveryDtypeAndPlacement) {
  Machine m;
  Session& s = m.runtime.host();
  const std::vector<Placement> placements{
      {},
      {LevelPlacement::rows(), {}, {}},
      {LevelPlacement::columns(), LevelPlacement::rows(), LevelPlacement::columns(2)},
      {LevelPlacement::replicate(), LevelPlacement::replicate(), LevelPlacement::rows()},
      {{}, LevelPlacement::columns(), LevelPlacement::replicate(3)},
  };
  for (const DType dtype : base::kAllDTypes)
    for (const Placement& p : placements) {
      SCOPED_TRACE(fmt::format("{} placed {}", dtype, p));
      const HostTensor host = pattern(dtype, {8, 12});
      Tensor t = s.empty({8, 12}, dtype, p);
      t.copy_(host);
      EXPECT_EQ(t.to_host(), host);
      // Every replica holds its part, not only the copy read back.
      for (std::size_t i = 0; i < t.shards().size(); ++i) {
        const Shard& shard = t.shards()[i];
        std::vector<std::byte> got(shard.size.count());
        m.system.bytes().read(t.shard_pa(i), got);
        EXPECT_EQ(got, extract_box(host.bytes(), host.shape(), shard.global_offset, shard.shape,
                                   base::size_bytes(dtype)));
      }
    }
}

TEST(Tensor, ThreeDimensionalTensorsSplitTheirFirstAndLastDimensions) {
  Machine m;
  const HostTensor host = pattern(DType::i64, {4, 3, 6});
  const Tensor t = m.runtime.host().from_host(
      host, {LevelPlacement::rows(), LevelPlacement::columns(), LevelPlacement::columns(3)});
  ASSERT_EQ(t.shards().size(), 12u);
  EXPECT_EQ(t.shards()[11].global_offset, (Shape{2, 0, 5}));
  EXPECT_EQ(t.shards()[11].shape, (Shape{2, 3, 1}));
  EXPECT_EQ(t.to_host(), host);
}

TEST(Tensor, FromHostTakesTheHostDtype) {
  Machine m;
  const std::vector<std::int32_t> v{1, 2, 3, 4, 5, 6};
  const Tensor t =
      m.runtime.host().from_host(HostTensor::from(v, {2, 3}), {{}, {}, LevelPlacement::rows(2)});
  EXPECT_EQ(t.dtype(), DType::i32);
  EXPECT_EQ(t.to_host().values<std::int32_t>(), v);
}

TEST(Tensor, CreateAndDestroyInALoopDoesNotGrow) {
  Machine m;
  Session& s = m.runtime.host();
  const std::uint64_t hbm = testing::free_hbm(m.system);
  const base::Bytes va = m.runtime.virtual_space().free_bytes();
  for (int i = 0; i < 20; ++i) {
    Tensor a =
        s.zeros({64, 64}, DType::f32,
                {LevelPlacement::rows(), LevelPlacement::columns(), LevelPlacement::replicate()});
    const Tensor b = s.full({100}, 1.0, DType::f32, {{}, LevelPlacement::replicate(), {}});
    EXPECT_GT(testing::mapping_count(m.system), 0u);
    if (i % 2 == 0) a.free();  // explicit, or by the destructor
  }
  EXPECT_EQ(testing::free_hbm(m.system), hbm);
  EXPECT_EQ(m.runtime.virtual_space().free_bytes(), va);
  EXPECT_EQ(testing::mapping_count(m.system), 0u);
  EXPECT_EQ(m.runtime.live_tensors(), 0u);
  // Destruction went through the machine: unmap requests were recorded.
  EXPECT_TRUE(std::ranges::any_of(m.runtime.records(),
                                  [](const PhaseRecord& r) { return r.phase == "unmap"; }));
}

TEST(Tensor, MovedHandleOwnsTheTensor) {
  Machine m;
  Tensor a = m.runtime.host().zeros({8}, DType::f32, {}, "a");
  Tensor b = std::move(a);
  EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_TRUE(b.valid());
  EXPECT_EQ(b.to_host().numel(), 8);
  EXPECT_EQ(m.runtime.live_tensors(), 1u);
}

TEST(Tensor, HandlesOutlivingTheRuntimeGoInert) {
  sim::Engine engine;
  hw::System system(engine, topo::default_topology(testing::small_machine()));
  const std::uint64_t hbm = testing::free_hbm(system);
  Tensor t;
  {
    Runtime rt(system);
    t = rt.host().zeros({4096}, DType::f32, {{}, LevelPlacement::replicate(), {}});
  }
  EXPECT_FALSE(t.valid());
  EXPECT_EQ(testing::free_hbm(system), hbm);
  EXPECT_EQ(testing::mapping_count(system), 0u);
}

}  // namespace
}  // namespace kernbench::rt
