// The user mistakes issue 4 lists, each a typed exception with a precise message, after which the
// runtime still works (every test ends by creating and reading a tensor).
#include <gtest/gtest.h>

#include "rt_test_support.h"

#include "kernbench/base/error.h"

namespace kernbench::rt {
namespace {

using base::DType;
using testing::Machine;

template <typename E, typename F>
std::string message_of(F f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "<no exception>";
}

void still_usable(Runtime& rt) {
  const std::vector<float> v{1, 2, 3, 4};
  const Tensor t = rt.host().from_host(HostTensor::from(v, {4}));
  EXPECT_EQ(t.to_host().values<float>(), v);
}

TEST(RuntimeErrors, HostDataOfTheWrongDtype) {
  Machine m;
  Tensor t = m.runtime.host().zeros({4}, DType::f32, {}, "x");
  const std::vector<std::int32_t> v{1, 2, 3, 4};
  EXPECT_EQ(message_of<base::ShapeError>([&] { t.copy_(HostTensor::from(v, {4})); }),
            "copy_ into tensor 'x' (f32): the host data is i32");
  EXPECT_EQ(message_of<base::ShapeError>([&] { (void)t.to_host().values<double>(); }),
            "host data is f32, read as f64");
  EXPECT_EQ(t.to_host(), HostTensor::zeros(DType::f32, {4}));  // untouched
  still_usable(m.runtime);
}

TEST(RuntimeErrors, ShapeMismatchInCopy) {
  Machine m;
  Tensor t = m.runtime.host().zeros({2, 3}, DType::f32, {}, "y");
  const std::vector<float> v(6, 1.0f);
  EXPECT_EQ(message_of<base::ShapeError>([&] {
              t.copy_(HostTensor::from(v, {3, 2}));
            }),
            "copy_ into tensor 'y': host shape [3, 2] differs from the tensor's [2, 3]");
  EXPECT_EQ(message_of<base::ShapeError>([&] { (void)HostTensor::from(v, {7}); }),
            "host data of shape [7] and dtype f32 needs 28 bytes, got 24");
  still_usable(m.runtime);
}

TEST(RuntimeErrors, PlacementAskingForMoreThanExists) {
  Machine m;
  const std::uint64_t hbm = testing::free_hbm(m.system);
  EXPECT_EQ(message_of<base::ShapeError>([&] {
              m.runtime.host().zeros({8}, DType::f32, {LevelPlacement::rows(3), {}, {}}, "z");
            }),
            "tensor 'z': placement asks for 3 SIPs, but the device has 2");
  EXPECT_EQ(message_of<base::ShapeError>([&] {
              m.runtime.host().zeros({8}, DType::f32, {{}, {}, LevelPlacement::rows(3)}, "z");
            }),
            "tensor 'z': dimension 0 of size 8 does not divide into 3 parts (split by rows at "
            "the PE level)");
  EXPECT_EQ(testing::free_hbm(m.system), hbm);
  EXPECT_EQ(m.runtime.live_tensors(), 0u);
  still_usable(m.runtime);
}

TEST(RuntimeErrors, OutOfMemoryLeavesNothingHalfAllocated) {
  Machine m;
  Session& s = m.runtime.host();
  const Shape five_gib{5, std::int64_t{1} << 30};
  // PE (1,0,0) has two 6 GiB home slices: two 5 GiB tensors leave 1 GiB in each.
  s.set_device(1);
  const Tensor a = s.empty(five_gib, DType::u8, {}, "a");
  const Tensor b = s.empty(five_gib, DType::u8, {}, "b");
  s.set_device(Device::all());
  const std::uint64_t hbm = testing::free_hbm(m.system);
  const std::size_t maps = testing::mapping_count(m.system);
  const base::Bytes va = m.runtime.virtual_space().free_bytes();
  // Replicated over both SIPs: the copy on (0,0,0) fits, the one on (1,0,0) does not.
  EXPECT_EQ(
      message_of<base::OutOfMemoryError>([&] {
        s.empty(five_gib, DType::u8, {LevelPlacement::replicate(), {}, {}}, "huge");
      }),
      "tensor 'huge': out of memory: HBM home slices 0-1 of PE (sip 1, cube 0, pe 0): asked 5 "
      "GiB, "
      "free 2 GiB, largest free block 1 GiB");
  EXPECT_EQ(testing::free_hbm(m.system), hbm);
  EXPECT_EQ(testing::mapping_count(m.system), maps);
  EXPECT_EQ(m.runtime.virtual_space().free_bytes(), va);
  EXPECT_EQ(m.runtime.live_tensors(), 2u);
  still_usable(m.runtime);
}

TEST(RuntimeErrors, UseOfAFreedTensor) {
  Machine m;
  Tensor t = m.runtime.host().zeros({4}, DType::f32, {}, "gone");
  t.free();
  const std::string freed = "tensor 'gone' was freed (or moved from); it can no longer be used";
  EXPECT_EQ(message_of<base::AddressError>([&] { (void)t.to_host(); }), freed);
  EXPECT_EQ(message_of<base::AddressError>([&] { (void)t.shape(); }), freed);
  EXPECT_EQ(message_of<base::AddressError>([&] { t.free(); }), freed);
  EXPECT_EQ(message_of<base::AddressError>(
                [&] { m.runtime.host().launch([](ProgramContext&) {}, Grid{1}, t); }),
            freed);
  still_usable(m.runtime);
}

}  // namespace
}  // namespace kernbench::rt
