// The processes of an MPI job that a command's points are spread over (`mpirun -np N kernbench
// sweep ...`). Only the command line knows MPI; the library layers never do. A process started
// without mpirun is a world of one and never calls into MPI, so it runs exactly as before.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace kernbench::apps {

class MpiWorld {
 public:
  /// Joins the MPI job when mpirun started this process (its environment says so); otherwise a
  /// world of one. Throws base::Error under mpirun when this kernbench was built without MPI.
  MpiWorld();
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;
  /// Leaves the job (every process of it must).
  ~MpiWorld();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }

  /// Runs `step` here and lets every process know whether it succeeded on all (every process
  /// must call it). Rank 0 rethrows its error; another process rethrows its own only when rank
  /// 0 succeeded (so an input error every process meets is printed once). The others return
  /// false and should stop without output (mpirun reports the failing one's exit code). In a
  /// world of one: runs `step` and returns true.
  bool agree(const std::function<void()>& step) const;
  /// Rank 0 gets every process's `bytes` in rank order; the others an empty list.
  std::vector<std::string> gather(const std::string& bytes) const;

 private:
  int rank_ = 0;
  int size_ = 1;
  bool joined_ = false;
};

}  // namespace kernbench::apps
