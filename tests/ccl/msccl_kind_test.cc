// The built-in kind msccl: a ccl.yaml entry names an MSCCL file (relative to the ccl file's
// folder) and runs it; a missing file or `file:` key is one error at its position. Also the
// loader's text keys, which any algorithm may declare.
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/collective_bench.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::ccl {
namespace {

namespace fs = std::filesystem;

// A fresh folder holding the ring file (as ring.xml) and `yaml` as ccl.yaml.
fs::path folder_with(const std::string& yaml) {
  const auto* test = testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir =
      fs::temp_directory_path() / fmt::format("kb_msccl_kind_{}_{}", getpid(), test->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(fs::path(KERNBENCH_MSCCL_DIR) / "ring_allreduce.xml", dir / "ring.xml");
  std::ofstream(dir / "ccl.yaml") << yaml;
  return dir;
}

std::string error_of(const fs::path& ccl) {
  try {
    load_ccl_file(ccl.string(), default_algorithm_registry());
  } catch (const base::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(MscclKind, AnEntryRunsTheFileItNamesRelativeToTheCclFile) {
  const fs::path dir =
      folder_with("algorithms:\n  e: {kind: msccl, world_size: 4, file: ring.xml}\n");
  const AlgorithmRegistry algorithms = default_algorithm_registry();
  const CclConfig c = load_ccl_file((dir / "ccl.yaml").string(), algorithms);
  EXPECT_EQ(c.find("e").texts.at("file"), (dir / "ring.xml").string());
  const std::vector<std::uint64_t> sizes{4096, 1 << 20};
  for (const char* model : {"chunks", "flows"}) {
    const auto spec = topo::default_topology({std::string("system.fabric_model=") + model});
    const InstallPlan plan = algorithms.plan(c.find("e"), spec);
    EXPECT_EQ(plan.kind, "msccl");
    ASSERT_NE(plan.strategy(), nullptr);
    EXPECT_NE(plan.strategy()->summary().find("ring_allreduce"), std::string::npos);
    const auto rows = run_collective_bench(spec, plan, CollectiveOp::all_reduce, base::DType::f32,
                                           base::CombineOp::sum, sizes, true);
    ASSERT_EQ(rows.size(), 2u);
    for (const BenchRow& row : rows) {
      EXPECT_EQ(row.wrong, 0u) << model << " " << row.bytes;
      EXPECT_GT(row.time.ps(), 0);
    }
  }
  fs::remove_all(dir);
}

TEST(MscclKind, AMissingFileIsOneErrorNamingEntryKeyAndPath) {
  const fs::path dir =
      folder_with("algorithms:\n  e: {kind: msccl, world_size: 4, file: nope.xml}\n");
  EXPECT_EQ(error_of(dir / "ccl.yaml"),
            fmt::format("{0}/ccl.yaml:2:41: algorithms.e.file: {0}/nope.xml: cannot read the file",
                        dir.string()));
  fs::remove_all(dir);
}

TEST(MscclKind, TheFileKeyIsRequiredAndOnlyForMscclEntries) {
  const fs::path dir = folder_with(
      "algorithms:\n  e: {kind: msccl, world_size: 4}\n  r: {kind: ring, file: ring.xml}\n");
  EXPECT_EQ(error_of(dir / "ccl.yaml"),
            fmt::format("2 problems:\n"
                        "  {0}/ccl.yaml:2:6: algorithms.e.file: missing: kind msccl needs it\n"
                        "  {0}/ccl.yaml:3:25: algorithms.r.file: applies only to kind msccl",
                        dir.string()));
  fs::remove_all(dir);
}

// A plug-in kind declaring a text key: the loader reads it into `texts`, refuses an empty one.
class LabelledRing final : public CollectiveAlgorithm {
 public:
  std::string_view kind() const override { return "labelled"; }
  std::string_view summary() const override { return "labelled: a ring with a label"; }
  std::vector<EntryKey> keys() const override { return {EntryKey{"label", EntryKey::Shape::text}}; }
  std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry& e, const topo::TopologySpec& spec,
      const std::vector<topo::PeCoord>& ranks) const override {
    return make_ring_algorithm()->neighbor_tables(e, spec, ranks);
  }
};

TEST(MscclKind, ALoaderReadsTheTextKeyAnAlgorithmDeclares) {
  AlgorithmRegistry algorithms = default_algorithm_registry();
  algorithms.add(std::make_unique<LabelledRing>());
  const CclConfig c =
      load_ccl_text("algorithms: {a: {kind: labelled, label: west wing}, b: {kind: labelled}}",
                    "t.yaml", algorithms);
  EXPECT_EQ(c.find("a").texts.at("label"), "west wing");
  EXPECT_TRUE(c.find("b").texts.empty());
  try {
    load_ccl_text("algorithms: {a: {kind: labelled, label: ''}}", "t.yaml", algorithms);
    FAIL() << "no error";
  } catch (const base::ConfigError& e) {
    EXPECT_STREQ(e.what(),
                 "t.yaml:1:41: algorithms.a.label: expected a non-empty text, found \"\"");
  }
}

}  // namespace
}  // namespace kernbench::ccl
