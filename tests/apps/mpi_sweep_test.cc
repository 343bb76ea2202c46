// `mpirun -np 3 kernbench sweep|ccl bench`: the points spread over three processes on this host,
// and rank 0 prints and writes byte for byte what one process does (stdout, --csv, --json); a
// point's error is reported as one process reports it. Also the parts that need no mpirun: the
// balance of points over processes and the encoding of results between them.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "command_runner.h"

#include "kernbench/base/error.h"
#include "kernbench/base/limit_error.h"
#include "kernbench/mpi_codec.h"
#include "kernbench/mpi_points.h"

namespace {

using kernbench::tests::read_file;
using kernbench::tests::run_kernbench_split;
using kernbench::tests::run_kernbench_split_prefixed;
using kernbench::tests::scratch_dir;
using kernbench::tests::SplitRun;

// Under the sanitizers the processes leave Open MPI's allocations to the suppressions, which
// need whole malloc stacks (Open MPI's libraries keep no frame pointers for the fast unwinder).
#ifdef KERNBENCH_LSAN_SUPPRESSIONS
#define KERNBENCH_MPI_SANITIZER_ENV                        \
  "LSAN_OPTIONS=suppressions=" KERNBENCH_LSAN_SUPPRESSIONS \
  " "                                                      \
  "ASAN_OPTIONS=\"${ASAN_OPTIONS}:fast_unwind_on_malloc=0\" "
#else
#define KERNBENCH_MPI_SANITIZER_ENV ""
#endif

// Three processes on one host, as root in a container if need be, within the CI budget.
const std::string kMpirun = KERNBENCH_MPI_SANITIZER_ENV
    "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
    "OMPI_MCA_btl_vader_single_copy_mechanism=none timeout 50 mpirun -np 3 --oversubscribe ";

// Skips where MPI is missing, except under CI=true, where it fails.
bool mpi_available() {
  const bool ci = std::getenv("CI") != nullptr && std::string(std::getenv("CI")) == "true";
  const bool mpirun = std::system("command -v mpirun >/dev/null 2>&1") == 0;
  if (KERNBENCH_WITH_MPI && mpirun) return true;
  if (ci) ADD_FAILURE() << "CI=true: Open MPI is missing (scripts/install-deps installs it)";
  return false;
}

SplitRun run_mpi(const std::string& args) { return run_kernbench_split_prefixed(kMpirun, args); }

TEST(MpiSweep, ThreeProcessesPrintAndWriteWhatOneDoes) {
  if (!mpi_available()) GTEST_SKIP() << "Open MPI is not installed";
  const auto dir = scratch_dir("mpi-sweep");
  const std::string args =
      "--topology configs/ahbm_small.yaml --quiet sweep vector_add -j 1 "
      "--sweep 'cube.memory_map.hbm_slice_bandwidth=64 GB/s,256 GB/s' "
      "--sweep cube.pe_template.components.pe_dma.attrs.channels=1,2,4 --csv '" +
      (dir / "sweep.csv").string() + "' --json '" + (dir / "sweep.json").string() + "'";
  const SplitRun one = run_kernbench_split(args);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const std::string csv = read_file(dir / "sweep.csv"), json = read_file(dir / "sweep.json");
  std::filesystem::remove(dir / "sweep.csv");
  std::filesystem::remove(dir / "sweep.json");
  const SplitRun three = run_mpi(args);
  ASSERT_EQ(three.exit_code, 0) << three.err;
  EXPECT_EQ(three.out, one.out);
  EXPECT_EQ(read_file(dir / "sweep.csv"), csv);
  EXPECT_EQ(read_file(dir / "sweep.json"), json);
  EXPECT_NE(one.out.find("vector_add"), std::string::npos) << one.out;
}

TEST(MpiSweep, CclBenchOverThreeProcessesPrintsAndWritesWhatOneDoes) {
  if (!mpi_available()) GTEST_SKIP() << "Open MPI is not installed";
  const auto dir = scratch_dir("mpi-ccl-bench");
  const std::string args =
      "--quiet ccl bench --algo ring_tcm_8,hbm_8 -b 1K -e 256K -f 4 --check "
      "--json '" +
      (dir / "bench.json").string() + "'";
  const SplitRun one = run_kernbench_split(args);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const std::string json = read_file(dir / "bench.json");
  std::filesystem::remove(dir / "bench.json");
  const SplitRun three = run_mpi(args + " -j 2");
  ASSERT_EQ(three.exit_code, 0) << three.err;
  EXPECT_EQ(three.out, one.out);
  // The JSON names the command line, which differs by -j alone.
  const std::string with_jobs = read_file(dir / "bench.json");
  std::string expected = json;
  const std::string last_argument = "\"" + (dir / "bench.json").string() + "\"";
  expected.replace(expected.find(last_argument), last_argument.size(),
                   last_argument + ",\n    \"-j\",\n    \"2\"");
  EXPECT_EQ(with_jobs, expected);
  EXPECT_EQ(std::count(one.out.begin(), one.out.end(), '\n'), 2 * 3 + 2 * 5 + 1) << one.out;
}

TEST(MpiSweep, APointThatFailsOnAnyProcessIsReportedAsOneProcessReportsIt) {
  if (!mpi_available()) GTEST_SKIP() << "Open MPI is not installed";
  // The machine of 4 SIPs passes the budget, and the tensors of vector_add on 2 SIPs do: the
  // first failing point in sweep order is the one reported, by every process count.
  const std::string args =
      "--topology configs/ahbm_small.yaml --quiet --max-host-memory 10M "
      "sweep vector_add -j 1 --sweep system.sips.count=1,2,4";
  const SplitRun one = run_kernbench_split(args);
  const SplitRun three = run_mpi(args);
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_EQ(three.exit_code, 1);
  EXPECT_EQ(one.out, "");
  EXPECT_EQ(three.out, "");
  const std::string error =
      "kernbench: error: bench 'vector_add': a run mapping tensor 'x' (1024 part maps on PEs) "
      "needs about 10.219 MiB of host memory, more than the 10 MiB budget (--max-host-memory "
      "raises it)\n";
  EXPECT_EQ(one.err, error);
  EXPECT_EQ(three.err.substr(0, error.size()), error) << three.err;
}

TEST(MpiSweep, AnInputErrorEveryProcessMeetsIsPrintedOnce) {
  if (!mpi_available()) GTEST_SKIP() << "Open MPI is not installed";
  const SplitRun three = run_mpi("--quiet ccl bench --algo ring_tcm_8,nosuch");
  EXPECT_EQ(three.exit_code, 1);
  EXPECT_EQ(three.out, "");
  const std::string error = "kernbench: error: unknown ccl algorithm 'nosuch'";
  ASSERT_EQ(three.err.substr(0, error.size()), error) << three.err;
  EXPECT_EQ(three.err.find(error, 1), std::string::npos) << three.err;  // once, not three times
}

TEST(MpiPoints, TheCostliestPointsGoFirstEachToTheLeastLoadedProcess) {
  using kernbench::apps::assign_points;
  const std::vector<std::uint64_t> costs{5, 1, 9, 4, 4, 2};
  // 9 -> 0, 5 -> 1, 4 -> 2, 4 -> 2 (4 < 5), 2 -> 1, 1 -> 0 (9, 7, 8 after 2).
  EXPECT_EQ(assign_points(costs, 3), (std::vector<int>{1, 1, 0, 2, 2, 1}));
  EXPECT_EQ(assign_points(costs, 1), (std::vector<int>(6, 0)));
  EXPECT_EQ(assign_points({}, 3), (std::vector<int>{}));
}

TEST(MpiCodec, ARecordAndARowComeBackFieldForField) {
  kernbench::report::BenchRecord r;
  r.name = "matmul";
  r.shape = "M=8";
  r.pes = 128;
  r.time = kernbench::base::SimTime::from_ps(123456789);
  r.flops = 1.0 / 3.0;
  r.roofline = kernbench::report::RooflineRecord{2.5e15, 0.1, "memory"};
  kernbench::report::PhaseRecord phase{"launch",
                                       kernbench::base::SimTime::from_ps(7),
                                       kernbench::base::SimTime::from_ps(9),
                                       42,
                                       0.7,
                                       {},
                                       {}};
  phase.busiest.push_back({kernbench::report::ResourceKind::link, "link", "sip0/x", 0.25, 3});
  phase.translation = kernbench::report::TranslationRecord{1, 2, 3};
  r.phases = {phase, phase};
  r.check = {true, false, 1e-300, "max |error|"};
  const auto back = kernbench::apps::decode_record(kernbench::apps::encode_record(r));
  EXPECT_EQ(back.name, r.name);
  EXPECT_EQ(back.time, r.time);
  EXPECT_EQ(back.flops, r.flops);  // bit for bit
  ASSERT_TRUE(back.roofline.has_value());
  EXPECT_EQ(back.roofline->bound, "memory");
  ASSERT_EQ(back.phases.size(), 2u);
  EXPECT_EQ(back.phases[1].busiest, phase.busiest);
  EXPECT_EQ(back.phases[1].translation, phase.translation);
  EXPECT_EQ(back.check.max_error, 1e-300);
  EXPECT_EQ(back.check.detail, "max |error|");

  kernbench::ccl::BenchRow row{1024,
                               256,
                               kernbench::base::DType::bf16,
                               kernbench::base::CombineOp::max,
                               kernbench::base::SimTime::from_ps(5),
                               0.1,
                               0.2,
                               7};
  const auto row_back = kernbench::apps::decode_row(kernbench::apps::encode_row(row));
  EXPECT_EQ(row_back.dtype, kernbench::base::DType::bf16);
  EXPECT_EQ(row_back.op, kernbench::base::CombineOp::max);
  EXPECT_EQ(row_back.busbw_gbps, 0.2);
  EXPECT_EQ(row_back.wrong, std::optional<std::uint64_t>{7});
  row.wrong.reset();
  EXPECT_FALSE(kernbench::apps::decode_row(kernbench::apps::encode_row(row)).wrong.has_value());
}

TEST(MpiCodec, AnErrorComesBackAsTheTypeTheCommandLineMapsTheSameWay) {
  using kernbench::apps::encode_error;
  using kernbench::apps::result_or_throw;
  const auto outcome = [](auto error) { return encode_error(std::make_exception_ptr(error)); };
  try {
    result_or_throw(outcome(kernbench::base::ConfigError({"a", "b"})));
    ADD_FAILURE() << "no error";
  } catch (const kernbench::base::ConfigError& e) {
    EXPECT_EQ(e.problems(), (std::vector<std::string>{"a", "b"}));
  }
  EXPECT_THROW(result_or_throw(outcome(kernbench::base::HostMemoryLimitError("m"))),
               kernbench::base::HostMemoryLimitError);
  EXPECT_THROW(result_or_throw(outcome(kernbench::base::InputSizeLimitError({"s"}))),
               kernbench::base::InputSizeLimitError);
  EXPECT_THROW(result_or_throw(outcome(std::bad_alloc())), std::bad_alloc);
  try {
    result_or_throw(outcome(kernbench::base::DeadlockError("rank 3 waits")));
    ADD_FAILURE() << "no error";
  } catch (const kernbench::base::Error& e) {
    EXPECT_STREQ(e.what(), "rank 3 waits");
  }
  EXPECT_EQ(result_or_throw(kernbench::apps::encode_result("bytes")), "bytes");
}

}  // namespace
