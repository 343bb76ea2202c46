// Typed kernel signatures: arguments bound to the parameters by position at launch, checked for
// kind, dtype and count, with errors naming the kernel, the argument and what was passed; the
// same simulated time as the positional form.
#include <gtest/gtest.h>

#include "rt/rt_test_support.h"

#include "kernbench/base/error.h"
#include "kernbench/rt/session.h"
#include "kernbench/tl/tl.h"

namespace kernbench::tl {
namespace {

struct Bench {
  rt::testing::Machine m;
  rt::Session& s = m.runtime.host();
  rt::Tensor x = s.zeros({1000}, DType::f32, {}, "x");
  rt::Tensor y = s.zeros({1000}, DType::f32, {}, "y");
  rt::Tensor out = s.zeros({1000}, DType::f32, {}, "out");
  rt::Tensor h = s.zeros({16}, DType::f16, {}, "h");
};

constexpr std::int64_t kBlock = 256;

// out = x * scale + y, typed.
const auto axpy = [](Program& p, Pointer x, PointerTo<DType::f32> y, Pointer out, std::int32_t n,
                     float scale) {
  const Tile offs = p.program_id(0) * kBlock + arange(0, kBlock);
  const Tile mask = offs < n;
  EXPECT_EQ(x.arg().name, "x");
  store(out + offs, load(x + offs, mask) * scale + load(y + offs, mask), mask);
};

// The same, positional.
void axpy_positional(Program& p) {
  const Tile offs = p.program_id(0) * kBlock + arange(0, kBlock);
  const Tile mask = offs < p.scalar(3);
  store(p.pointer(2) + offs,
        load(p.pointer(0) + offs, mask) * p.scalar(4) + load(p.pointer(1) + offs, mask), mask);
}

// Runs `k` on a fresh machine (no TLB warmed by another launch) over x = 0, 1, ..., y = 1.
rt::PeStats run_axpy(const rt::KernelFn& k, std::vector<float>* result = nullptr) {
  Bench b;
  std::vector<float> xs(1000), ys(1000, 1.0F);
  for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<float>(i);
  b.x.copy_(rt::HostTensor::from(xs, {1000}));
  b.y.copy_(rt::HostTensor::from(ys, {1000}));
  const rt::LaunchHandle h = b.s.launch(k, rt::Grid{4}, b.x, b.y, b.out, 1000, 0.5);
  if (result != nullptr) *result = b.out.to_host().values<float>();
  return h.stats->pes()[0];
}

TEST(TypedKernel, BindsArgumentsByPositionWithTheTimeOfThePositionalForm) {
  std::vector<float> got;
  const rt::PeStats typed = run_axpy(kernel(axpy), &got);
  ASSERT_EQ(got.size(), 1000u);
  for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], 0.5F * static_cast<float>(i) + 1);
  const rt::PeStats positional = run_axpy(kernel(axpy_positional));
  EXPECT_EQ(positional.end - positional.start, typed.end - typed.start);
  // The positional form holds its scalar arguments as tiles (4 bytes of TCM each, live at once
  // for `p.scalar(4)`); the typed one takes `scale` as a C++ float. Everything else is equal.
  rt::ProgramStats without_tcm = positional.total;
  without_tcm.tcm_peak_bytes = typed.total.tcm_peak_bytes;
  EXPECT_EQ(without_tcm, typed.total);
  EXPECT_EQ(positional.total.tcm_peak_bytes, typed.total.tcm_peak_bytes + 4);
}

// The error of a launch on a fresh machine (a failed launch takes its machine's run down).
std::string launch_error(const std::function<void(Bench&)>& launch) {
  Bench b;
  try {
    launch(b);
  } catch (const base::Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(TypedKernelErrors, KindDtypeAndCountNameTheKernelTheArgumentAndWhatWasPassed) {
  const auto has = [](const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  };
  std::string e = launch_error(
      [](Bench& b) { b.s.launch(kernel(axpy), rt::Grid{1}, b.x, b.h, b.out, 1000, 0.5); });
  EXPECT_TRUE(has(e,
                  "kernel 'kernel': argument 1 (tl::PointerTo<f32>) must be a tensor of f32, "
                  "got tensor 'h' of f16"))
      << e;
  e = launch_error(
      [](Bench& b) { b.s.launch(kernel(axpy), rt::Grid{1}, b.x, b.y, b.out, 5000000000LL, 0.5); });
  EXPECT_TRUE(has(e,
                  "argument 3 (std::int32_t) must be an integer scalar that fits i32, got i64 "
                  "scalar 5000000000"))
      << e;
  e = launch_error(
      [](Bench& b) { b.s.launch(kernel(axpy), rt::Grid{1}, b.x, b.y, b.out, 1000, 2); });
  EXPECT_TRUE(has(e, "argument 4 (float) must be a floating-point scalar, got i64 scalar 2")) << e;
  e = launch_error(
      [](Bench& b) { b.s.launch(kernel(axpy), rt::Grid{1}, b.x, 7, b.out, 1000, 0.5); });
  EXPECT_TRUE(has(e, "argument 1 (tl::PointerTo<f32>) must be a tensor of f32, got i64 scalar 7"))
      << e;
  e = launch_error([](Bench& b) { b.s.launch(kernel(axpy), rt::Grid{1}, b.x, b.y, b.out, 1000); });
  EXPECT_TRUE(has(e, "kernel 'kernel' takes 5 arguments, got 4")) << e;
  e = launch_error(
      [](Bench& b) { b.s.launch(kernel([](Program&, bool, Tile) {}), rt::Grid{1}, b.x, true); });
  EXPECT_TRUE(has(e, "argument 0 (bool) must be a bool scalar, got tensor 'x' of f32")) << e;
}

}  // namespace
}  // namespace kernbench::tl
