#include "kernbench/topo/peak_figures.h"

#include <gtest/gtest.h>

#include "kernbench/topo/topology_loader.h"

namespace kernbench::topo {
namespace {

using namespace base::literals;
using base::DType;

// Hand-computed from configs/ahbm_default.yaml: 1.5 GHz, 1024 f16 MACs a cycle, 64 lanes,
// 8 PEs a cube, 16 cubes a SIP.
TEST(PeakFigures, DefaultMachineByHand) {
  const TopologySpec s = default_topology();
  EXPECT_EQ(pes_in(s, Scope::pe), 1);
  EXPECT_EQ(pes_in(s, Scope::cube), 8);
  EXPECT_EQ(pes_in(s, Scope::sip), 128);
  EXPECT_EQ(cubes_in(s, Scope::system), 16);
  EXPECT_DOUBLE_EQ(matrix_flops(s, DType::f16, Scope::pe), 1.5e9 * 1024 * 2);  // 3.072 TFLOP/s
  EXPECT_DOUBLE_EQ(matrix_flops(s, DType::f32, Scope::cube), 1.5e9 * 256 * 2 * 8);
  EXPECT_DOUBLE_EQ(matrix_flops(s, DType::i8, Scope::sip), 1.5e9 * 2048 * 2 * 128);
  EXPECT_DOUBLE_EQ(matrix_flops(s, DType::f64, Scope::pe), 0.0);  // no f64 matrix unit
  EXPECT_EQ(vector_lanes(s, DType::f32), 64);
  EXPECT_EQ(vector_lanes(s, DType::bf16), 128);
  EXPECT_EQ(vector_lanes(s, DType::i8), 256);
  EXPECT_DOUBLE_EQ(vector_flops(s, DType::f32, Scope::pe), 1.5e9 * 64 * 2);
  EXPECT_DOUBLE_EQ(vector_flops(s, DType::f16, Scope::system), 1.5e9 * 128 * 2 * 128);
  EXPECT_EQ(hbm_capacity(s, Scope::sip), 768_GiB);
  EXPECT_EQ(hbm_bandwidth(s, Scope::cube), Bandwidth::bytes_per_second(8 * 128'000'000'000ULL));
  EXPECT_EQ(sram_capacity(s, Scope::system), 512_MiB);
  EXPECT_EQ(tcm_capacity(s, Scope::cube), 128_MiB);
  EXPECT_EQ(tcm_capacity(s, Scope::pe), 16_MiB);
}

TEST(PeakFigures, SystemScalesWithSips) {
  const TopologySpec s = default_topology({"system.sips.count=4"});
  EXPECT_DOUBLE_EQ(matrix_flops(s, DType::bf16, Scope::system),
                   4 * matrix_flops(s, DType::bf16, Scope::sip));
  EXPECT_EQ(hbm_capacity(s, Scope::system), 3072_GiB);
}

TEST(PeakFigures, FlopsToString) {
  EXPECT_EQ(flops_to_string(3.072e12), "3.072 TFLOP/s");
  EXPECT_EQ(flops_to_string(768e9), "768 GFLOP/s");
  EXPECT_EQ(flops_to_string(0), "0 FLOP/s");
  EXPECT_EQ(flops_to_string(1.5e18), "1.5 EFLOP/s");
}

}  // namespace
}  // namespace kernbench::topo
