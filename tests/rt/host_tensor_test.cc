#include "kernbench/rt/host_tensor.h"

#include <gtest/gtest.h>

#include "kernbench/base/error.h"

namespace kernbench::rt {
namespace {

using base::DType;

TEST(HostTensor, TypedValuesRoundTrip) {
  const std::vector<std::uint16_t> v{1, 2, 65535};
  const HostTensor h = HostTensor::from(v, {3});
  EXPECT_EQ(h.dtype(), DType::u16);
  EXPECT_EQ(h.values<std::uint16_t>(), v);
  EXPECT_EQ(h.numel(), 3);
}

TEST(HostTensor, FromFloatsRoundsHalfTypesToNearestEven) {
  const std::vector<float> v{1.0f, 1.0009765625f + 0.0001f, -2.5f};
  const HostTensor h = HostTensor::from_floats(DType::f16, v, {3});
  EXPECT_EQ(h.to_floats(), (std::vector<float>{1.0f, 1.0009765625f, -2.5f}));
  EXPECT_EQ(HostTensor::from_floats(DType::bf16, v, {3}).to_floats()[2], -2.5f);
}

TEST(HostTensor, BoxesOfARowMajorWhole) {
  // A 3 x 4 whole of bytes 0..11; the box at (1, 1) of shape (2, 2) is {5, 6, 9, 10}.
  std::vector<std::byte> whole(12);
  for (std::size_t i = 0; i < 12; ++i) whole[i] = static_cast<std::byte>(i);
  const Shape shape{3, 4};
  const auto box = extract_box(whole, shape, Shape{1, 1}, Shape{2, 2}, 1);
  EXPECT_EQ(box, (std::vector<std::byte>{std::byte{5}, std::byte{6}, std::byte{9}, std::byte{10}}));
  std::vector<std::byte> back(12);
  insert_box(back, shape, Shape{1, 1}, Shape{2, 2}, box, 1);
  EXPECT_EQ(back[5], std::byte{5});
  EXPECT_EQ(back[10], std::byte{10});
  EXPECT_EQ(back[7], std::byte{0});
  // 3-D and 0-D.
  std::vector<std::byte> cube(24);
  for (std::size_t i = 0; i < 24; ++i) cube[i] = static_cast<std::byte>(i);
  EXPECT_EQ(extract_box(cube, Shape{2, 3, 4}, Shape{1, 2, 1}, Shape{1, 1, 3}, 1),
            (std::vector<std::byte>{std::byte{21}, std::byte{22}, std::byte{23}}));
  EXPECT_EQ(extract_box(cube, Shape{}, Shape{}, Shape{}, 4).size(), 4u);
}

TEST(HostTensor, EncodeElement) {
  EXPECT_EQ(encode_element(-1, DType::u8)[0], std::byte{255});
  EXPECT_EQ(encode_element(2.0, DType::boolean)[0], std::byte{1});
  float f;
  const auto b = encode_element(0.25, DType::f32);
  std::memcpy(&f, b.data(), 4);
  EXPECT_EQ(f, 0.25f);
}

TEST(HostTensorErrors, SizeAndDtypeAreChecked) {
  EXPECT_THROW(HostTensor(DType::i32, {2}, std::vector<std::byte>(7)), base::ShapeError);
  EXPECT_THROW(HostTensor::zeros(DType::i32, {-1}), base::ShapeError);
  const HostTensor h = HostTensor::zeros(DType::i32, {2});
  EXPECT_THROW((void)h.values<float>(), base::ShapeError);
  EXPECT_THROW((void)h.to_floats(), base::ShapeError);
  EXPECT_THROW((void)HostTensor::from_floats(DType::i8, std::vector<float>{1.0f}, {1}),
               base::ShapeError);
}

}  // namespace
}  // namespace kernbench::rt
