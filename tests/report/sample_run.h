// A small hand-built RunRecord and activity shared by the report writers' tests: two benches (one
// checked with phases and a roofline, one timing-only), two collective sweeps and a parameter
// sweep, with figures chosen so every derived number is easy to verify by hand.
#pragma once

#include "kernbench/report/activity_recorder.h"
#include "kernbench/report/run_record.h"

namespace kernbench::report::testing {

using namespace base::literals;

inline Busiest busiest(ResourceKind kind, std::string resource, std::string track, double u) {
  return Busiest{kind, std::move(resource), std::move(track), u};
}

inline BenchRecord sample_matmul() {
  BenchRecord b;
  b.name = "matmul";
  b.shape = "M=256 N=256 K=256 bf16";
  b.pes = 8;
  b.time = 10_us;  // 1 MiB in 10 us = 104.86 GB/s
  b.bytes = 1024 * 1024;
  b.flops = 2.0 * 256 * 256 * 256;  // 33.5 MFLOP in 10 us = 3.355 TFLOP/s
  b.peak_flops = 10e12;
  b.peak_bytes_per_second = 512e9;
  b.roofline = RooflineRecord{10e12, 16.4e12, "matrix"};
  b.busiest = {
      busiest(ResourceKind::unit, "matrix unit (sip 0, cube 0, pe 3)", "sip0/cube0/pe3/matrix",
              0.62),
      busiest(ResourceKind::link, "mesh link (sip 0, cube 1, x+)", "sip0/cube1/mesh.x+", 0.2),
      busiest(ResourceKind::memory, "HBM slice (sip 0, cube 5, slice 3)", "sip0/cube5/hbm3", 0.97)};
  PhaseRecord deploy{"deploy A", 0_us, 4_us, 512 * 1024, 0, {}, {}};
  deploy.busiest = {
      busiest(ResourceKind::memory, "HBM slice (sip 0, cube 5, slice 3)", "sip0/cube5/hbm3", 0.5)};
  PhaseRecord launch{"launch matmul", 4_us, 6_us, 512 * 1024, b.flops, {}, {}};
  launch.busiest = {busiest(ResourceKind::unit, "matrix unit (sip 0, cube 0, pe 3)",
                            "sip0/cube0/pe3/matrix", 0.9),
                    busiest(ResourceKind::link, "PE port (sip 0, cube 0, pe 3, in)",
                            "sip0/cube0/pe3/port.in", 0.9)};
  launch.busiest[0].equally_busy = 7;  // all 8 PEs' matrix units worked as long
  launch.translation = TranslationRecord{4096, 1024, 256 * 1024};  // 64 entries of 4 KiB
  b.phases = {deploy, launch};
  b.check = CheckRecord{true, true, 0.0031, "max |error| 3.1e-03 <= 1e-02 (bf16)"};
  return b;
}

inline BenchRecord sample_vector_add(base::SimTime time) {
  BenchRecord b;
  b.name = "vector_add";
  b.shape = "n=65536 f32";
  b.pes = 128;
  b.time = time;
  b.bytes = 3 * 65536 * 4;
  b.phases = {PhaseRecord{"launch add", 0_ns, time, b.bytes, 0, {}, {}}};
  return b;
}

inline RunRecord sample_run() {
  RunRecord run;
  run.version = "kernbench 0.1.0";
  run.command_line = {"kernbench", "run", "--set", "cube.sram.bandwidth=1 TB/s", "matmul"};
  run.config = {{"system.sips.count", "1"}, {"cube.sram.bandwidth", "1 TB/s"}};
  run.benches = {sample_matmul(), sample_vector_add(2_us)};
  for (const auto& [algorithm, scale] : {std::pair{"ring", 1.0}, std::pair{"tree", 0.5}}) {
    CollectiveSweep sweep{algorithm, "all_reduce", 16, {}};
    for (std::uint64_t bytes = 1024; bytes <= 1024 * 1024; bytes *= 32)
      sweep.rows.push_back(CollectiveRow{
          bytes, bytes / 4, "f32", "sum",
          base::SimTime::from_ps(static_cast<std::int64_t>(bytes) * 100), scale * 10.0,
          scale * 18.75,
          algorithm == std::string("ring") ? std::optional<std::uint64_t>(0) : std::nullopt});
    run.collective_sweeps.push_back(sweep);
  }
  ParameterSweep sweep{"vector_add", "cube.memory_map.hbm_slice_bandwidth", {}};
  sweep.points = {{"64 GB/s", sample_vector_add(4_us)},
                  {"128 GB/s", sample_vector_add(2_us)},
                  {"256 GB/s", sample_vector_add(1_us)}};
  run.parameter_sweeps = {sweep};
  return run;
}

}  // namespace kernbench::report::testing
