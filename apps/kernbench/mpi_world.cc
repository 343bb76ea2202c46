#include "mpi_world.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>

#include <fmt/format.h>
#if KERNBENCH_HAVE_MPI
#include <mpi.h>
#endif

#include "kernbench/base/error.h"

namespace kernbench::apps {
namespace {

// Launchers announce the job in the environment: Open MPI's mpirun, and PMI-based ones.
bool started_by_mpirun() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

}  // namespace

#if KERNBENCH_HAVE_MPI

namespace {

[[noreturn]] void abort_job(const std::string& message) {
  fmt::print(stderr, "kernbench: error: {}\n", message);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::abort();
}

}  // namespace

MpiWorld::MpiWorld() {
  if (!started_by_mpirun()) return;
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) throw base::InternalError("MPI joined twice by one process");
  MPI_Init(nullptr, nullptr);
  joined_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiWorld::~MpiWorld() {
  if (joined_) MPI_Finalize();
}

bool MpiWorld::agree(const std::function<void()>& step) const {
  if (size_ == 1) {
    step();
    return true;
  }
  std::exception_ptr error;
  try {
    step();
  } catch (...) {
    error = std::current_exception();
  }
  // {all succeeded, rank 0 succeeded}: an error rank 0 also met is printed by rank 0 alone.
  const int ok = error ? 0 : 1;
  int mine[2] = {ok, root() ? ok : 1}, all[2] = {0, 0};
  MPI_Allreduce(mine, all, 2, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (error && (root() || all[1] == 1)) std::rethrow_exception(error);
  return all[0] == 1;
}

std::vector<std::string> MpiWorld::gather(const std::string& bytes) const {
  if (size_ == 1) return {bytes};
  // MPI counts are ints. Results run to kilobytes per point, so this takes hundreds of thousands
  // of points on one process; the others wait in the gather, so stop the whole job.
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max() / size_))
    abort_job(
        fmt::format("MPI process {}: {} bytes of results are more than one gather holds; "
                    "spread the points over more processes",
                    rank_, bytes.size()));
  const int length = static_cast<int>(bytes.size());
  std::vector<int> lengths(root() ? static_cast<std::size_t>(size_) : 0);
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> offsets(lengths.size());
  long long total = 0;
  for (std::size_t r = 0; r < lengths.size(); ++r) {
    offsets[r] = static_cast<int>(total);
    total += lengths[r];
  }
  std::string all(static_cast<std::size_t>(total), '\0');
  MPI_Gatherv(bytes.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR,
              0, MPI_COMM_WORLD);
  std::vector<std::string> parts;
  for (std::size_t r = 0; r < lengths.size(); ++r)
    parts.push_back(
        all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lengths[r])));
  return parts;
}

#else  // built without MPI: a world of one, and a clear error under mpirun

MpiWorld::MpiWorld() {
  if (started_by_mpirun())
    throw base::Error(
        "started by mpirun, but this kernbench was built without MPI (install Open MPI with "
        "scripts/install-deps and build again)");
}

MpiWorld::~MpiWorld() = default;

bool MpiWorld::agree(const std::function<void()>& step) const {
  step();
  return true;
}

std::vector<std::string> MpiWorld::gather(const std::string& bytes) const { return {bytes}; }

#endif

}  // namespace kernbench::apps
