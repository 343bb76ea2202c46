// One test per kind of topology error, asserting the message text: position, key path, what was
// expected and what was found.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::topo {
namespace {

// A valid file of the previous tool's keys; tests replace one piece of it.
constexpr std::string_view kValid = R"(system: {sips: {count: 1, cubes_per_sip: 16}}
sip: {cube_mesh: {w: 4, h: 4}}
cube:
  pe_layout: {corners: [nw, ne, sw, se], pe_per_corner: 2}
  memory_map: {hbm_total_gb_per_cube: 48, hbm_slices_per_cube: 8}
  pe_template:
    components:
      pe_tcm: {attrs: {size_mb: 16}}
      pe_mmu: {attrs: {page_size: 4096}}
)";

std::string replaced(std::string_view from, std::string_view to) {
  std::string text(kValid);
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

std::vector<std::string> problems(std::string_view text, const Overrides& overrides = {}) {
  try {
    load_topology_text(text, "t.yaml", overrides);
  } catch (const base::ConfigError& e) {
    return e.problems();
  }
  return {};
}

std::string problem(std::string_view text, const Overrides& overrides = {}) {
  const std::vector<std::string> all = problems(text, overrides);
  EXPECT_EQ(all.size(), 1u);
  return all.empty() ? "no error" : all.front();
}

std::string override_problem(const std::string& set) { return problem(kValid, {set}); }

TEST(TopologyLoaderErrors, ValidTextHasNoError) { EXPECT_TRUE(problems(kValid).empty()); }

TEST(TopologyLoaderErrors, InvalidYaml) {
  EXPECT_EQ(problem("system: {sips: [1, 2}\n"), "t.yaml:1:21: invalid YAML: illegal flow end");
}

TEST(TopologyLoaderErrors, TopLevelNotAMapping) {
  EXPECT_EQ(problem("- 1\n"),
            "t.yaml:1:1: expected a mapping with keys system, sip, cube, found a list");
}

TEST(TopologyLoaderErrors, UnknownKeyWithSuggestion) {
  EXPECT_EQ(problem(replaced("hbm_slices_per_cube: 8", "hbm_slices_per_cube: 8, hbm_latncy: 1 ns")),
            "t.yaml:5:67: cube.memory_map.hbm_latncy: unknown key, did you mean "
            "cube.memory_map.hbm_latency?");
}

TEST(TopologyLoaderErrors, UnknownKeyListsTheValidOnes) {
  EXPECT_EQ(problem(replaced("cube:\n", "cube:\n  colour: red\n")),
            "t.yaml:4:3: cube.colour: unknown key, valid keys under cube: pe_layout, memory_map, "
            "sram, intra_cube_link, m_cpu, pe_template");
}

TEST(TopologyLoaderErrors, DuplicateKey) {
  EXPECT_EQ(problem(replaced("{w: 4, h: 4}", "{w: 4, h: 4, w: 4}")),
            "t.yaml:2:31: sip.cube_mesh.w: duplicate key");
}

// A link buffer must hold a DMA chunk (4 KiB by default), or no chunk could cross the link.
TEST(TopologyLoaderErrors, LinkBufferSmallerThanAChunk) {
  EXPECT_EQ(problem(replaced("{w: 4, h: 4}", "{w: 4, h: 4, link: {buffer: 1024}}")),
            "t.yaml:2:46: sip.cube_mesh.link.buffer: expected 0 (automatic) or at least one DMA "
            "chunk (4 KiB), found 1 KiB");
}

TEST(TopologyLoaderErrors, SectionOfTheWrongShape) {
  EXPECT_EQ(problem(replaced("sip: {cube_mesh: {w: 4, h: 4}}", "sip: {cube_mesh: 4}")),
            "t.yaml:2:18: sip.cube_mesh: expected a mapping with keys w, h, link, found \"4\"");
}

TEST(TopologyLoaderErrors, WrongType) {
  EXPECT_EQ(problem(replaced("pe_per_corner: 2", "pe_per_corner: two")),
            "t.yaml:4:57: cube.pe_layout.pe_per_corner: expected an integer, found \"two\"");
  EXPECT_EQ(problem(replaced("count: 1", "count: [1]")),
            "t.yaml:1:24: system.sips.count: expected a value (count), found a list");
}

TEST(TopologyLoaderErrors, MissingRequiredValue) {
  EXPECT_EQ(problem(replaced("{size_mb: 16}", "{}")),
            "t.yaml:8:16: cube.pe_template.components.pe_tcm.attrs.size_mb: missing required "
            "value (expected size: TCM scratchpad of one PE (plain number: MiB).)");
  EXPECT_EQ(problem(replaced("count: 1, ", "")),
            "t.yaml:1:10: system.sips.count: missing required value (expected count: Number of "
            "SIPs in the system.)");
}

TEST(TopologyLoaderErrors, EmptyFileMissesEveryRequiredValue) {
  const std::vector<std::string> all = problems("");
  ASSERT_EQ(all.size(), 9u);
  EXPECT_EQ(all.front(),
            "t.yaml: system.sips.count: missing required value (expected count: Number of SIPs "
            "in the system.)");
}

TEST(TopologyLoaderErrors, NonPositiveValues) {
  EXPECT_EQ(problem(replaced("size_mb: 16", "size_mb: 0")),
            "t.yaml:8:33: cube.pe_template.components.pe_tcm.attrs.size_mb: expected a positive "
            "size, found \"0\"");
  EXPECT_EQ(problem(replaced("w: 4", "w: 0"), {"system.sips.cubes_per_sip=0"}),
            "t.yaml:2:22: sip.cube_mesh.w: expected a positive integer, found 0");
  EXPECT_EQ(override_problem("cube.sram.bandwidth=0 GB/s"),
            "--set cube.sram.bandwidth=0 GB/s: cube.sram.bandwidth: expected a positive "
            "bandwidth, found \"0 GB/s\"");
  EXPECT_EQ(override_problem("cube.pe_template.components.pe_core.attrs.clock=0 Hz"),
            "--set cube.pe_template.components.pe_core.attrs.clock=0 Hz: "
            "cube.pe_template.components.pe_core.attrs.clock: expected a positive frequency, "
            "found \"0 Hz\"");
  EXPECT_EQ(override_problem("cube.sram.latency=-1 ns"),
            "--set cube.sram.latency=-1 ns: cube.sram.latency: expected a time such as \"20 ns\" "
            "(ps, ns, us, ms, s), found \"-1 ns\"");
}

TEST(TopologyLoaderErrors, CubesPerSipDisagreesWithMesh) {
  EXPECT_EQ(problem(replaced("cubes_per_sip: 16", "cubes_per_sip: 12")),
            "t.yaml:1:42: system.sips.cubes_per_sip: expected sip.cube_mesh.w * h = 4 * 4 = 16, "
            "found 12");
}

TEST(TopologyLoaderErrors, Corners) {
  EXPECT_EQ(problem(replaced("[nw, ne, sw, se]", "[nw, north]")),
            "t.yaml:4:29: cube.pe_layout.corners: unknown corner: expected one of nw, ne, sw, se, "
            "found \"north\"");
  EXPECT_EQ(problem(replaced("[nw, ne, sw, se]", "[nw, ne, nw]")),
            "t.yaml:4:33: cube.pe_layout.corners: duplicate corner: expected each corner at most "
            "once, found \"nw\" twice");
  EXPECT_EQ(problem(replaced("[nw, ne, sw, se]", "[]")),
            "t.yaml:4:24: cube.pe_layout.corners: expected at least one corner, found an empty "
            "list");
  EXPECT_EQ(problem(replaced("[nw, ne, sw, se]", "5")),
            "t.yaml:4:24: cube.pe_layout.corners: expected a list of corners or a count in 1..4, "
            "found 5");
}

TEST(TopologyLoaderErrors, UnknownInterconnect) {
  EXPECT_EQ(override_problem("system.sips.interconnect=torus"),
            "--set system.sips.interconnect=torus: system.sips.interconnect: expected one of "
            "ring, fully_connected, switch, found \"torus\"");
}

TEST(TopologyLoaderErrors, UnknownFabricModel) {
  EXPECT_EQ(override_problem("system.fabric_model=packets"),
            "--set system.fabric_model=packets: system.fabric_model: expected one of chunks, "
            "flows, found \"packets\"");
  EXPECT_EQ(override_problem("system.fabric_model=flow"),
            "--set system.fabric_model=flow: system.fabric_model: expected one of chunks, flows "
            "(did you mean flows?), found \"flow\"");
  EXPECT_EQ(override_problem("system.sips.interconnect=switched"),
            "--set system.sips.interconnect=switched: system.sips.interconnect: expected one of "
            "ring, fully_connected, switch (did you mean switch?), found \"switched\"");
}

TEST(TopologyLoaderErrors, SizesThatDoNotFitTheAddress) {
  EXPECT_EQ(override_problem("system.sips.count=257"),
            "--set system.sips.count=257: system.sips.count: expected at most 256 SIPs (the "
            "address has 8 bits for the SIP), found 257");
  EXPECT_EQ(problem(replaced("{w: 4, h: 4}", "{w: 32, h: 16}"), {"system.sips.cubes_per_sip=512"}),
            "t.yaml:2:22: sip.cube_mesh.w: expected at most 256 cubes per SIP (the address has 8 "
            "bits for the cube), found w * h = 32 * 16 = 512");
  EXPECT_EQ(override_problem("cube.pe_layout.pe_per_corner=65"),
            "--set cube.pe_layout.pe_per_corner=65: cube.pe_layout.pe_per_corner: expected at "
            "most 256 PEs per cube (the address has 8 bits for the PE), found 4 corners * 65 = "
            "260");
  EXPECT_EQ(override_problem("cube.memory_map.hbm_slices_per_cube=512"),
            "--set cube.memory_map.hbm_slices_per_cube=512: cube.memory_map.hbm_slices_per_cube: "
            "expected at most 256 slices per cube (the address has 8 bits for the slice), found "
            "512");
  EXPECT_EQ(override_problem("cube.memory_map.hbm_total_gb_per_cube=4096"),
            "--set cube.memory_map.hbm_total_gb_per_cube=4096: "
            "cube.memory_map.hbm_total_gb_per_cube: expected at most 256 GiB per HBM slice (the "
            "address has 38 offset bits), found 512 GiB");
  EXPECT_EQ(override_problem("cube.sram.size_mb=1 TiB"),
            "--set cube.sram.size_mb=1 TiB: cube.sram.size_mb: expected at most 256 GiB per SRAM "
            "(the address has 38 offset bits), found 1 TiB");
}

TEST(TopologyLoaderErrors, TcmReservedNotBelowSize) {
  EXPECT_EQ(problem(replaced("{size_mb: 16}", "{size_mb: 4, reserved_mb: 4}")),
            "t.yaml:8:49: cube.pe_template.components.pe_tcm.attrs.reserved_mb: expected less "
            "than the TCM size (4 MiB), found 4 MiB");
}

// A rule broken by a --set points at that --set, the argument the user typed, and says where the
// other value was given (a line of a file, or a default the user never wrote).
TEST(TopologyLoaderErrors, RuleBrokenByASetPointsAtTheSet) {
  EXPECT_EQ(override_problem("cube.pe_template.components.pe_tcm.attrs.size_mb=1"),
            "--set cube.pe_template.components.pe_tcm.attrs.size_mb=1: "
            "cube.pe_template.components.pe_tcm.attrs.reserved_mb: expected less than the TCM "
            "size (1 MiB), found 4 MiB, its default");
  EXPECT_EQ(problem(replaced("{size_mb: 16}", "{size_mb: 16, reserved_mb: 8}"),
                    {"cube.pe_template.components.pe_tcm.attrs.size_mb=8"}),
            "--set cube.pe_template.components.pe_tcm.attrs.size_mb=8: "
            "cube.pe_template.components.pe_tcm.attrs.reserved_mb: expected less than the TCM "
            "size (8 MiB), found 8 MiB, given at t.yaml:8:50");
  EXPECT_EQ(override_problem("sip.cube_mesh.w=2"),
            "--set sip.cube_mesh.w=2: system.sips.cubes_per_sip: expected sip.cube_mesh.w * h = "
            "2 * 4 = 8, found 16, given at t.yaml:1:42");
  EXPECT_EQ(problem(replaced("{w: 4, h: 4}", "{w: 4, h: 4, link: {buffer: 16K}}"),
                    {"cube.pe_template.components.pe_dma.attrs.chunk_size=64K"}),
            "--set cube.pe_template.components.pe_dma.attrs.chunk_size=64K: "
            "sip.cube_mesh.link.buffer: expected 0 (automatic) or at least one DMA chunk (64 KiB), "
            "found 16 KiB, given at t.yaml:2:46");
}

// A misspelt required key is one problem, the one with the suggestion, not also "missing".
TEST(TopologyLoaderErrors, MisspeltRequiredKeyIsOneProblem) {
  EXPECT_EQ(problem(replaced("pe_per_corner: 2", "pe_per_coner: 2")),
            "t.yaml:4:42: cube.pe_layout.pe_per_coner: unknown key, did you mean "
            "cube.pe_layout.pe_per_corner?");
}

TEST(TopologyLoaderErrors, PageSizeNotAPowerOfTwo) {
  EXPECT_EQ(problem(replaced("page_size: 4096", "page_size: 3000")),
            "t.yaml:9:35: cube.pe_template.components.pe_mmu.attrs.page_size: expected a power of "
            "two, found 3000 bytes");
}

TEST(TopologyLoaderErrors, SlicesThatSplitPages) {
  EXPECT_EQ(problem(replaced("hbm_slices_per_cube: 8", "hbm_slices_per_cube: 7")),
            "t.yaml:5:64: cube.memory_map.hbm_slices_per_cube: expected a count that splits 48 "
            "GiB into equal slices of whole 4 KiB pages, found 7");
}

// A hostile --set is quoted, not echoed whole: a long key or value is cut to its first 48
// characters and its length, and a long unknown key is compared with no key it cannot be near.
TEST(TopologyLoaderErrors, LongOverridesAreQuotedInShort) {
  const std::string digits(5000, '9');
  EXPECT_EQ(override_problem("cube.sram.size_mb=" + digits),
            "--set cube.sram.size_mb=999999999999999999999999999999... (5018 characters): "
            "cube.sram.size_mb: expected a size such as \"16K\" or \"16 KiB\" (B, K or KiB, M or "
            "MiB, G or GiB, T or TiB) or a plain number, found "
            "\"999999999999999999999999999999999999999999999999... (5000 "
            "characters)\"");
  const std::string key = "cube." + std::string(100000, 'x');
  EXPECT_EQ(override_problem(key + "=1"),
            "--set cube.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... (100007 characters): "
            "cube.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... (100005 characters): unknown key, "
            "valid keys under cube: pe_layout, memory_map, sram, intra_cube_link, m_cpu, "
            "pe_template");
}

TEST(TopologyLoaderErrors, BadOverrides) {
  EXPECT_EQ(override_problem("cube.foo=1"),
            "--set cube.foo=1: cube.foo: unknown key, valid keys under cube: pe_layout, "
            "memory_map, sram, intra_cube_link, m_cpu, pe_template");
  EXPECT_EQ(override_problem("cube.sram.sise_mb=8"),
            "--set cube.sram.sise_mb=8: cube.sram.sise_mb: unknown key, did you mean "
            "cube.sram.size_mb?");
  EXPECT_EQ(override_problem("cube.sram=8"),
            "--set cube.sram=8: cube.sram is a section, not a parameter; set one of size_mb, "
            "bandwidth, latency");
  EXPECT_EQ(override_problem("sip.cube_mesh.w"), "--set sip.cube_mesh.w: expected key.path=value");
  EXPECT_EQ(override_problem("sip.cube_mesh.w="),
            "--set sip.cube_mesh.w=: sip.cube_mesh.w: expected a value (count), found nothing");
}

TEST(TopologyLoaderErrors, UnreadableFile) {
  try {
    load_topology_file("/nonexistent/topology.yaml");
    FAIL() << "no error";
  } catch (const base::ConfigError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/topology.yaml: cannot read the topology file");
  }
}

// Every problem of a file at once, in file order, each with line:col.
TEST(TopologyLoaderErrors, SeveralErrorsAtOnce) {
  const std::string text = R"(system: {sips: {count: 0, cubes_per_sip: 12}}
sip: {cube_mesh: {w: 4, h: 4, link: {bandwidth: "10 Gb/s", latency: 15}}}
cube:
  pe_layout: {corners: [nw, up], pe_per_corner: 2}
  memory_map: {hbm_total_gb_per_cube: 48, hbm_slice_bandwith: "1 GB/s"}
  pe_template:
    components:
      pe_tcm: {attrs: {size_mb: 16}}
      pe_mmu: {attrs: {page_size: 4096}}
)";
  try {
    load_topology_text(text, "bad.yaml", {"cube.sram.latency=soon"});
    FAIL() << "no error";
  } catch (const base::ConfigError& e) {
    EXPECT_STREQ(e.what(), R"(8 problems:
  bad.yaml:1:24: system.sips.count: expected a positive integer, found 0
  bad.yaml:1:42: system.sips.cubes_per_sip: expected sip.cube_mesh.w * h = 4 * 4 = 16, found 12
  bad.yaml:2:49: sip.cube_mesh.link.bandwidth: expected a rate in bytes per second (B/s, MB/s, GB/s ...; bits are not accepted), found "10 Gb/s"
  bad.yaml:2:69: sip.cube_mesh.link.latency: expected a time such as "20 ns" (ps, ns, us, ms, s), found "15"
  bad.yaml:4:29: cube.pe_layout.corners: unknown corner: expected one of nw, ne, sw, se, found "up"
  bad.yaml:5:3: cube.memory_map.hbm_slices_per_cube: missing required value (expected count: HBM slices per cube; the capacity is split evenly.)
  bad.yaml:5:43: cube.memory_map.hbm_slice_bandwith: unknown key, did you mean cube.memory_map.hbm_slice_bandwidth?
  --set cube.sram.latency=soon: cube.sram.latency: expected a time such as "20 ns" (ps, ns, us, ms, s), found "soon")");
  }
}

}  // namespace
}  // namespace kernbench::topo
