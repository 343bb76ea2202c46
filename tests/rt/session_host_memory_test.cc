// The session's host-memory estimate: what it counts for each tensor, write and launch, the budget
// it refuses by, and (outside the sanitizers) the measured peak RSS of a run against it.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_test_support.h"

#include "kernbench/base/limit_error.h"
#include "kernbench/rt/demo_kernels.h"
#include "kernbench/rt/session.h"

namespace kernbench::rt {
namespace {

using base::DType;
using testing::Machine;

// One tensor split over every PE of the SIP: cube by rows, PE by rows, as the kernel benches do.
const Placement kSplit{{}, LevelPlacement::rows(), LevelPlacement::rows()};

topo::Overrides mesh(int w) {
  return {fmt::format("sip.cube_mesh.w={}", w), fmt::format("sip.cube_mesh.h={}", w),
          fmt::format("system.sips.cubes_per_sip={}", w * w)};
}

TEST(SessionHostMemory, ATensorSplitOverEveryPeIsMappedOnEveryPe) {
  Machine m(mesh(2));  // one SIP of 4 cubes, 32 PEs
  Session& s = m.runtime.host();
  const topo::HostMemoryEstimate machine(m.system.spec());
  EXPECT_EQ(s.host_memory().bytes(), machine.bytes());
  const Tensor x = s.empty({32 * 16}, DType::f32, kSplit, "x");
  // 32 parts, each mapped on the 32 PEs by one request that reaches the 4 cubes.
  const topo::HostMemoryEstimate one = machine.with_maps(32 * 32, 32 * 4);
  EXPECT_EQ(s.host_memory().bytes(), one.bytes());
  const Tensor y = s.empty({32 * 16}, DType::f32, kSplit, "y");
  EXPECT_EQ(s.host_memory().bytes(), one.with_maps(32 * 32, 32 * 4).bytes());
  EXPECT_GT(s.host_memory().kept_bytes(), one.kept_bytes());
  EXPECT_EQ(s.host_memory().burst_bytes(), one.burst_bytes());  // one tensor's burst at a time
}

TEST(SessionHostMemory, CopiesPerCubeAreMappedInTheirCube) {
  Machine m(mesh(2));
  Session& s = m.runtime.host();
  const topo::HostMemoryEstimate machine(m.system.spec());
  const Placement every_cube{{}, LevelPlacement::replicate(), LevelPlacement::rows()};
  const Tensor w = s.empty({8 * 4}, DType::f32, every_cube, "w");
  // 8 parts in 4 copies: each PE maps the 8 parts of its cube's copy, a request per copy and part.
  EXPECT_EQ(s.host_memory().bytes(), machine.with_maps(32 * 8, 8 * 4).bytes());
}

TEST(SessionHostMemory, WritesAndLaunchesCount) {
  Machine m(mesh(2));
  register_demo_kernels(m.runtime.kernels());
  Session& s = m.runtime.host();
  Tensor x = s.zeros({32 * 16}, DType::f32, kSplit, "x");
  const topo::HostMemoryEstimate mapped = s.host_memory();
  x.copy_(HostTensor::zeros(DType::f32, {32 * 16}));
  EXPECT_EQ(s.host_memory().bytes(), mapped.with_write(32 * 16 * 4).bytes());
  const topo::HostMemoryEstimate written = s.host_memory();
  s.launch("fill_index", Grid{1}, x);
  EXPECT_EQ(s.host_memory().bytes(), written.with_launch(32).bytes());
}

TEST(SessionHostMemoryErrors, ATensorPastTheBudgetIsRefusedBeforeItIsMapped) {
  Machine m(mesh(2));
  Session& s = m.runtime.host();
  const std::uint64_t estimate = s.host_memory().with_maps(32 * 32, 32 * 4).bytes();
  s.set_host_memory_budget(estimate - 1);
  try {
    const Tensor x = s.empty({32 * 16}, DType::f32, kSplit, "x");
    FAIL() << "no error";
  } catch (const base::HostMemoryLimitError& e) {
    EXPECT_EQ(std::string(e.what()),
              fmt::format("a run mapping tensor 'x' (1024 part maps on PEs) needs about {} of "
                          "host memory, more than the {} budget",
                          base::Bytes(estimate), base::Bytes(estimate - 1)));
  }
  EXPECT_EQ(m.runtime.live_tensors(), 0u);  // nothing half-done
  EXPECT_TRUE(m.runtime.records().empty());
  EXPECT_EQ(testing::mapping_count(m.system), 0u);
  s.set_host_memory_budget(estimate);
  const Tensor x = s.empty({32 * 16}, DType::f32, kSplit, "x");
  EXPECT_EQ(s.host_memory().bytes(), estimate);
}

#if !defined(__SANITIZE_ADDRESS__)
// Reads a "Vm...:   N kB" line of /proc/self/status, in bytes.
std::uint64_t status_bytes(const std::string& key) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(key + ":", 0) == 0) return std::stoull(line.substr(key.size() + 1)) * 1024;
  return 0;
}

struct Measured {
  std::uint64_t estimate = 0;  // without the program's own part, resident before the machine
  std::uint64_t grown = 0;     // peak RSS minus RSS before the machine
  int pes = 0;
  bool reset = false;  // the peak RSS could be reset in the child
};

// In a child process (its peak RSS its own): a vector_add as the kernel bench runs it timing only
// on a w x w mesh -- three tensors of 8000 f32 a PE split over every PE, one launch.
Measured measure_vector_add(int w) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    Measured r;
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";  // peak RSS := RSS now
    clear.close();
    r.reset = !clear.fail();
    const std::uint64_t before = status_bytes("VmRSS");
    {
      Machine m(mesh(w));
      register_demo_kernels(m.runtime.kernels());
      m.runtime.set_timing_only(true);
      Session& s = m.runtime.host();
      const std::int64_t n = std::int64_t{8000} * m.system.spec().total_pes();
      const Tensor x = s.empty({n}, DType::f32, kSplit, "x");
      const Tensor y = s.empty({n}, DType::f32, kSplit, "y");
      const Tensor out = s.empty({n}, DType::f32, kSplit, "out");
      s.launch("vector_add", Grid{8}, x, y, out);
      r.estimate = s.host_memory().bytes() - topo::program_host_bytes();
      r.pes = m.system.spec().total_pes();
    }
    r.grown = status_bytes("VmHWM") - before;
    const bool ok = ::write(fds[1], &r, sizeof r) == static_cast<ssize_t>(sizeof r);
    ::_exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  Measured r;
  const bool got = ::read(fds[0], &r, sizeof r) == static_cast<ssize_t>(sizeof r);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return got ? r : Measured{};
}

// The meshes to measure: KERNBENCH_HOST_MEMORY_MESHES="2,3,4,6,8" (perf/host_memory.sh) or 3 and 4.
std::vector<int> meshes() {
  const char* list = std::getenv("KERNBENCH_HOST_MEMORY_MESHES");
  if (list == nullptr) return {3, 4};
  std::vector<int> out;
  std::istringstream in(list);
  for (std::string w; std::getline(in, w, ',');) out.push_back(std::stoi(w));
  return out;
}

// The estimate is within 2x of what the run takes, at sizes where the PEs^2 terms dominate.
TEST(SessionHostMemory, TheEstimateIsWithinTwiceThePeakRss) {
  for (const int w : meshes()) {
    const Measured r = measure_vector_add(w);
    if (!r.reset) GTEST_SKIP() << "the peak RSS cannot be reset (/proc/self/clear_refs)";
    ASSERT_GT(r.grown, 0u) << w << "x" << w;
    const double ratio = static_cast<double>(r.estimate) / static_cast<double>(r.grown);
    RecordProperty(fmt::format("ratio_{}x{}", w, w), fmt::format("{:.2f}", ratio));
    const std::uint64_t whole = r.estimate + topo::program_host_bytes();
    std::printf(
        "vector_add on %dx%d cubes (%d PEs): estimate %.1f MiB (%llu B), %.1f MiB past the "
        "program; peak RSS grew %.1f MiB; ratio %.2f\n",
        w, w, r.pes, static_cast<double>(whole) / 1048576, static_cast<unsigned long long>(whole),
        static_cast<double>(r.estimate) / 1048576, static_cast<double>(r.grown) / 1048576, ratio);
    EXPECT_GT(ratio, 0.5) << w << "x" << w << ": estimate " << r.estimate << ", grew " << r.grown;
    EXPECT_LT(ratio, 2.0) << w << "x" << w << ": estimate " << r.estimate << ", grew " << r.grown;
  }
}
#endif

}  // namespace
}  // namespace kernbench::rt
