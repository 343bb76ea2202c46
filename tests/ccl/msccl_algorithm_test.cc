// MSCCL files written for these tests run through the schedule executor: the reference result
// under both fabric models, the ring as fast as the built-in ring, and one clear error (file:line)
// for a malformed file, a chunk out of range and a program that cannot finish.
#include "kernbench/ccl/msccl_algorithm.h"

#include <fstream>
#include <iterator>
#include <set>
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

// gpus are ranks wherever the entry puts them: one per cube, or an explicit list across cubes and
// PEs (gpu 2 on PE 7 of cube 15).
TEST(MscclAlgorithm, GpusRunOnThePesTheEntryMapsTheirRanksTo) {
  const AlgorithmRegistry algorithms = registry();
  const CclConfig c = load_ccl_text(
      "algorithms: {cubes: {kind: msccl_allpairs_allreduce, world_size: 4, mapping: cube_major}, "
      "listed: {kind: msccl_ring_allreduce, ranks: [[0, 5, 0], [0, 0, 3], [0, 15, 7], [0, 5, 1]]}}",
      "c.yaml", algorithms);
  const auto spec = topo::default_topology({});
  const std::vector<std::uint64_t> sizes{1 << 16};
  for (const char* entry : {"cubes", "listed"}) {
    const InstallPlan plan = algorithms.plan(c.find(entry), spec);
    EXPECT_EQ(plan.ranks[2],
              (entry == std::string("cubes") ? topo::PeCoord{0, 2, 0} : topo::PeCoord{0, 15, 7}));
    const auto rows = run_collective_bench(spec, plan, CollectiveOp::all_reduce, base::DType::f32,
                                           base::CombineOp::sum, sizes, true);
    EXPECT_EQ(rows.front().wrong, 0u) << entry;
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
    ::testing::Test::RecordProperty(std::string("ring_ps_") + model,
                                    std::to_string(ring.time.ps()));
    ::testing::Test::RecordProperty(std::string("xml_ps_") + model, std::to_string(xml.time.ps()));
    EXPECT_NEAR(ratio, 1.0, 0.02) << model << ": ring " << ring.time.ps() << " ps, xml "
                                  << xml.time.ps() << " ps";
  }
}

TEST(MscclAlgorithm, AMalformedFileIsOneErrorWithItsLine) {
  EXPECT_EQ(error_of("malformed.xml"),
            kDir + "/malformed.xml:5: malformed XML: Start-end tags mismatch");
}

TEST(MscclAlgorithm, AnAttributeOutOfItsRangeOrUnknownIsOneErrorWithItsLine) {
  const auto error = [](std::string_view text) {
    try {
      parse_msccl_text(text, "a.xml");
    } catch (const base::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(
      error("\n<algo ngpus=\"100000\" coll=\"allreduce\" nchunksperloop=\"1\"/>"),
      "a.xml:2: <algo>: attribute 'ngpus': expected an integer in [1, 65536], found '100000'");
  EXPECT_EQ(
      error("<algo ngpus=\"1\" coll=\"allreduce\" nchunksperloop=\"1\" chunks=\"2\"/>"),
      "a.xml:1: <algo>: unknown attribute 'chunks' (known: name, ngpus, coll, nchunksperloop, "
      "inplace, outofplace, proto, nchannels, redop, minBytes, maxBytes)");
  EXPECT_EQ(error(""), "a.xml:1: malformed XML: No document element found");
}

TEST(MscclAlgorithm, AStepReadingAChunkOutOfRangeIsOneErrorWithItsLine) {
  EXPECT_EQ(error_of("chunk_out_of_range.xml"),
            kDir +
                "/chunk_out_of_range.xml:5: gpu 0 tb 0 step 1 (rrc): source chunks [2, 3) are "
                "out of range: input (i_chunks) buffer of gpu 0 holds 2");
}

// Two gpus, one thread block each sending to and receiving from the other; `steps` are gpu 0's
// and gpu 1's steps in turn.
std::string two_gpus(const std::string& gpu0, const std::string& gpu1, int scratch = 0) {
  const auto gpu = [&](int id, const std::string& steps) {
    return fmt::format(
        "  <gpu id=\"{}\" i_chunks=\"2\" o_chunks=\"2\" s_chunks=\"{}\">\n"
        "    <tb id=\"0\" send=\"{}\" recv=\"{}\" chan=\"0\">\n{}    </tb>\n  </gpu>\n",
        id, scratch, 1 - id, 1 - id, steps);
  };
  return "<algo ngpus=\"2\" coll=\"allreduce\" nchunksperloop=\"2\">\n" + gpu(0, gpu0) +
         gpu(1, gpu1) + "</algo>\n";
}

std::string step(int s, const char* type, const char* src = "i", int srcoff = 0,
                 const char* dst = "i", int dstoff = 0) {
  return fmt::format(
      "      <step s=\"{}\" type=\"{}\" srcbuf=\"{}\" srcoff=\"{}\" dstbuf=\"{}\" "
      "dstoff=\"{}\" cnt=\"1\"/>\n",
      s, type, src, srcoff, dst, dstoff);
}

std::string schedule_error(const std::string& text) {
  try {
    msccl_schedule(parse_msccl_text(text, "t.xml"), 64);
  } catch (const base::Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(MscclAlgorithm, AProgramThatCannotFinishNamesTheStepAndWhatItWaitsFor) {
  // Both gpus receive first: neither send is ever reached.
  EXPECT_EQ(schedule_error(two_gpus(step(0, "rrc", "i", 1, "i", 1) + step(1, "s", "i", 0),
                                    step(0, "rrc", "i", 0, "i", 0) + step(1, "s", "i", 1))),
            "t.xml:4: gpu 0 tb 0 step 0 (rrc) can never run: it waits for a message from gpu 1 "
            "on channel 0 that no step sends");
}

TEST(MscclAlgorithm, StepsTheExecutorCannotRunAreRefusedAtTheirLine) {
  EXPECT_EQ(
      schedule_error(
          two_gpus(step(0, "s", "i", 0) + step(1, "r", "i", 0, "s", 0) + step(2, "s", "s", 0),
                   step(0, "r", "i", 0, "s", 0) + step(1, "s", "i", 1), 1)),
      "t.xml:6: gpu 0 step 2 (s): sends a scratch chunk (not supported: see docs/collectives.md, "
      "MSCCL)");
  EXPECT_EQ(schedule_error(two_gpus(step(0, "s", "i", 0) + step(1, "r", "i", 0, "s", 0),
                                    step(0, "r", "i", 0, "s", 0) + step(1, "s", "i", 1), 1)),
            "t.xml:5: gpu 0 receives into scratch chunk 0, which no step reads");
  EXPECT_EQ(schedule_error(two_gpus(step(0, "s", "i", 0), step(0, "rrc", "i", 0, "i", 0))),
            "no error");
  // rrs leaves its sum in its source chunk: sending that chunk again would send the sum.
  EXPECT_EQ(schedule_error(two_gpus(step(0, "s", "i", 0) + step(1, "r", "i", 0, "i", 1),
                                    step(0, "rrs", "i", 0) + step(1, "s", "i", 0))),
            "t.xml:11: gpu 1 step 1 (s): reads chunk 0 of the data, which an earlier rrs left "
            "holding its sum (the executor reduces into memory) (not supported: see "
            "docs/collectives.md, MSCCL)");
  EXPECT_EQ(schedule_error(two_gpus(step(0, "s", "i", 0), step(0, "rrc", "i", 1, "i", 0))),
            "t.xml:9: gpu 1 step 0 (rrc): reduces with a source other than its destination (not "
            "supported: see docs/collectives.md, MSCCL)");
}

TEST(MscclAlgorithm, ItsEntriesWorldSizeAndOpsAreChecked) {
  const AlgorithmRegistry algorithms = registry();
  const CclConfig c = load_ccl_text(
      "algorithms: {three: {kind: msccl_ring_allreduce, world_size: 3}, "
      "four: {kind: msccl_ring_allgather, world_size: 4}}",
      "c.yaml", algorithms);
  const auto spec = topo::default_topology({});
  try {
    algorithms.plan(c.find("three"), spec);
    ADD_FAILURE() << "a world of 3 planned";
  } catch (const base::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "c.yaml:1:14: algorithms.three: 3 ranks, but " + kDir +
                                         "/ring_allreduce.xml is for ngpus=4");
  }
  const InstallPlan plan = algorithms.plan(c.find("four"), spec);
  try {
    plan.strategy()->schedule(plan, CollectiveOp::all_reduce, 64, 0);
    ADD_FAILURE() << "an all-gather file scheduled an all_reduce";
  } catch (const base::NotFoundError& e) {
    EXPECT_EQ(std::string(e.what()), "all_reduce on 'four': " + kDir +
                                         "/ring_allgather.xml is an MSCCL allgather algorithm");
  }
  EXPECT_THROW(plan.strategy()->schedule(plan, CollectiveOp::all_gather, 6, 0), base::ShapeError);
  // broadcast runs on the default schedule over the file's tables.
  const auto rows =
      run_collective_bench(spec, plan, CollectiveOp::broadcast, base::DType::f32,
                           base::CombineOp::sum, std::vector<std::uint64_t>{4096}, true, 2);
  EXPECT_EQ(rows.front().wrong, 0u);
}

// Two gpus, `blocks` thread blocks each: thread block b sends the gpu's input chunk b to the other
// gpu and receives the other's chunk b, on `chan` b (own channels) or all on chan 0.
std::string pair_all_gather(int blocks, bool own_channels) {
  std::string x = fmt::format(
      R"(<algo name="pair" proto="Simple" nchannels="{}" nchunksperloop="{}" ngpus="2" )"
      R"(coll="allgather" inplace="1">)",
      own_channels ? blocks : 1, 2 * blocks);
  for (int g = 0; g < 2; ++g) {
    x += fmt::format(R"(<gpu id="{}" i_chunks="{}" o_chunks="{}" s_chunks="0">)", g, blocks,
                     2 * blocks);
    for (int b = 0; b < blocks; ++b) {
      const auto step = [&](int s, const char* type, int chunk) {
        return fmt::format(R"(<step s="{}" type="{}" srcbuf="o" srcoff="{}" dstbuf="o" )"
                           R"(dstoff="{}" cnt="1" depid="-1" deps="-1" hasdep="0"/>)",
                           s, type, chunk, chunk);
      };
      x += fmt::format(R"(<tb id="{}" send="{}" recv="{}" chan="{}">)", b, 1 - g, 1 - g,
                       own_channels ? b : 0) +
           step(0, "s", g * blocks + b) + step(1, "r", (1 - g) * blocks + b) + "</tb>";
    }
    x += "</gpu>";
  }
  return x + "</algo>";
}

// A thread block's `chan` is its IPCQ queue to the peer (credits of its own): four thread blocks
// on four channels have four messages in flight to the other gpu where one channel has one (IPCQ
// depth 1), so the all-gather is faster; both compute the reference. The tables hold a slot per
// (peer, chan).
TEST(MscclAlgorithm, ThreadBlocksOnTheirOwnChannelsHaveTheirOwnQueues) {
  AlgorithmRegistry algorithms = default_algorithm_registry();
  for (const bool own : {true, false}) {
    const MscclProgram program = parse_msccl_text(pair_all_gather(4, own), "pair.xml");
    std::set<int> channels;
    for (const ScheduleOp& op : msccl_schedule(program, 800).ops) channels.insert(op.channel);
    EXPECT_EQ(channels, (own ? std::set<int>{0, 1, 2, 3} : std::set<int>{0}));
    algorithms.add(make_msccl_algorithm(own ? "own" : "shared", program));
  }
  const CclConfig c = load_ccl_text(
      "algorithms: {own: {kind: own, world_size: 2}, shared: {kind: shared, world_size: 2}}",
      "c.yaml", algorithms);
  const std::vector<std::uint64_t> sizes{1 << 20};
  for (const char* model : {"chunks", "flows"}) {
    const auto spec = topo::default_topology({std::string("system.fabric_model=") + model,
                                              "cube.pe_template.components.pe_ipcq.attrs.depth=1"});
    const auto run = [&](const char* entry) {
      const InstallPlan plan = algorithms.plan(c.find(entry), spec);
      EXPECT_EQ(plan.tables[0].size(), entry == std::string("own") ? 4u : 1u);
      return run_collective_bench(spec, plan, CollectiveOp::all_gather, base::DType::f32,
                                  base::CombineOp::sum, sizes, true)
          .front();
    };
    const BenchRow own = run("own"), shared = run("shared");
    EXPECT_EQ(own.wrong, 0u) << model;
    EXPECT_EQ(shared.wrong, 0u) << model;
    EXPECT_LT(own.time, shared.time) << model;
  }
}

// minBytes/maxBytes (the all-pairs file): a buffer in the range runs the file; a smaller or larger
// one runs the built-in ring over the ranks in rank order, to the picosecond, as the MSCCL runtime
// falls back to its library's algorithm.
TEST(MscclAlgorithm, SizesOutsideMinBytesToMaxBytesRunTheBuiltInRing) {
  std::ifstream in(kDir + "/allpairs_allreduce.xml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string plain = text;
  text.replace(text.find("<algo "), 6, R"(<algo minBytes="65536" maxBytes="262144" )");
  AlgorithmRegistry algorithms = default_algorithm_registry();
  algorithms.add(make_msccl_algorithm("ranged", parse_msccl_text(text, "ranged.xml")));
  algorithms.add(make_msccl_algorithm("plain", parse_msccl_text(plain, "plain.xml")));
  const CclConfig c = load_ccl_text(
      "algorithms: {ranged: {kind: ranged, world_size: 4}, plain: {kind: plain, world_size: 4}, "
      "ring: {kind: ring, world_size: 4}}",
      "c.yaml", algorithms);
  const std::vector<std::uint64_t> sizes{16384, 65536, 262144, 1 << 20};
  for (const char* model : {"chunks", "flows"}) {
    const auto spec = topo::default_topology({std::string("system.fabric_model=") + model});
    const auto run = [&](const char* entry) {
      return run_collective_bench(spec, algorithms.plan(c.find(entry), spec),
                                  CollectiveOp::all_reduce, base::DType::f32, base::CombineOp::sum,
                                  sizes, true);
    };
    const auto ranged = run("ranged"), plain_rows = run("plain"), ring = run("ring");
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      const bool in_range = sizes[i] >= 65536 && sizes[i] <= 262144;
      EXPECT_EQ(ranged[i].wrong, 0u) << model << " " << sizes[i];
      EXPECT_EQ(ranged[i].time, (in_range ? plain_rows : ring)[i].time) << model << " " << sizes[i];
    }
    for (std::size_t i = 0; i < sizes.size(); ++i)
      EXPECT_NE(plain_rows[i].time, ring[i].time) << model << " " << sizes[i];
  }
}

}  // namespace
}  // namespace kernbench::ccl
