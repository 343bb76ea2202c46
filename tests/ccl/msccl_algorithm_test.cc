// MSCCL files written for these tests run through the schedule executor: the reference result
// under both fabric models, the ring as fast as the built-in ring, and one clear error (file:line)
// for a malformed file, a chunk out of range and a program that cannot finish.
#include "kernbench/ccl/msccl_algorithm.h"

#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/collective_bench.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::ccl {
namespace {

const std::string kDir = KERNBENCH_MSCCL_DIR;

struct File {
  const char* name;
  CollectiveOp op;
};
const std::vector<File> kFiles{{"ring_allreduce", CollectiveOp::all_reduce},
                               {"allpairs_allreduce", CollectiveOp::all_reduce},
                               {"ring_allgather", CollectiveOp::all_gather},
                               {"every_attribute", CollectiveOp::reduce_scatter}};

// The built-ins plus one kind per file ("msccl_<file>").
AlgorithmRegistry registry() {
  AlgorithmRegistry r = default_algorithm_registry();
  for (const File& f : kFiles)
    r.add(make_msccl_algorithm(std::string("msccl_") + f.name, kDir + "/" + f.name + ".xml"));
  return r;
}

std::string error_of(const std::string& file) {
  try {
    read_msccl_file(kDir + "/" + file);
  } catch (const base::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(MscclAlgorithm, EveryFileComputesTheReferenceUnderBothFabricModels) {
  const AlgorithmRegistry algorithms = registry();
  const std::vector<std::uint64_t> sizes{4096, 1 << 20};
  for (const char* model : {"chunks", "flows"}) {
    const auto spec = topo::default_topology({std::string("system.fabric_model=") + model});
    for (const File& f : kFiles) {
      const CclConfig c =
          load_ccl_text(fmt::format("algorithms: {{x: {{kind: msccl_{}, world_size: 4}}}}", f.name),
                        "c.yaml", algorithms);
      const auto rows = run_collective_bench(spec, algorithms.plan(c.find("x"), spec), f.op,
                                             base::DType::f32, base::CombineOp::sum, sizes, true);
      for (const BenchRow& row : rows) {
        EXPECT_EQ(row.wrong, 0u) << model << " " << f.name << " " << row.bytes;
        EXPECT_GT(row.time, base::SimTime::zero()) << model << " " << f.name;
      }
    }
  }
}

// Four ranks, 1 MiB each: a block of 256 KiB is one chunk, so each ring step moves one chunk.
TEST(MscclAlgorithm, TheRingFileTakesTheBuiltInRingsTimeWithinTwoPercent) {
  const AlgorithmRegistry algorithms = registry();
  const CclConfig c = load_ccl_text(
      "algorithms: {ring: {kind: ring, world_size: 4, chunk_size: 256K, buffer: hbm}, "
      "xml: {kind: msccl_ring_allreduce, world_size: 4, chunk_size: 256K, buffer: hbm}}",
      "c.yaml", algorithms);
  const std::vector<std::uint64_t> sizes{1 << 20};
  for (const char* model : {"chunks", "flows"}) {
    const auto spec = topo::default_topology({std::string("system.fabric_model=") + model});
    const auto run = [&](const char* entry) {
      return run_collective_bench(spec, algorithms.plan(c.find(entry), spec),
                                  CollectiveOp::all_reduce, base::DType::f32, base::CombineOp::sum,
                                  sizes, true)
          .front();
    };
    const BenchRow ring = run("ring"), xml = run("xml");
    EXPECT_EQ(xml.wrong, 0u);
    const double ratio = static_cast<double>(xml.time.ps()) / static_cast<double>(ring.time.ps());
    EXPECT_NEAR(ratio, 1.0, 0.02) << model << ": ring " << ring.time.ps() << " ps, xml "
                                  << xml.time.ps() << " ps";
  }
}

TEST(MscclAlgorithm, AMalformedFileIsOneErrorWithItsLine) {
  EXPECT_EQ(error_of("malformed.xml"),
            kDir + "/malformed.xml:5: malformed XML: Start-end tags mismatch");
}

TEST(MscclAlgorithm, AStepReadingAChunkOutOfRangeIsOneErrorWithItsLine) {
  EXPECT_EQ(error_of("chunk_out_of_range.xml"),
            kDir +
                "/chunk_out_of_range.xml:5: gpu 0 tb 0 step 1 (rrc): source chunks [2, 3) are "
                "out of range: input (i_chunks) buffer of gpu 0 holds 2");
}

}  // namespace
}  // namespace kernbench::ccl
