// The collective algorithms by kind: an object (no global) that ccl.yaml entries are resolved
// against, and that turns an entry into an install plan for a given machine.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernbench/ccl/collective_algorithm.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::ccl {

class AlgorithmRegistry {
 public:
  /// Adds an algorithm; one of the same kind is replaced.
  void add(std::unique_ptr<CollectiveAlgorithm> algorithm);
  /// The algorithm of `kind`; NotFoundError with the known kinds otherwise.
  const CollectiveAlgorithm& find(std::string_view kind) const;
  /// The same, shared.
  std::shared_ptr<const CollectiveAlgorithm> share(std::string_view kind) const;
  /// Registered kinds, in registration order.
  std::vector<std::string> kinds() const;
  const std::vector<std::shared_ptr<const CollectiveAlgorithm>>& algorithms() const {
    return algorithms_;
  }

  /// Which PE each rank of `entry` runs on and each rank's neighbour table, on `spec`, with the
  /// algorithm of its kind (shared with the plan, which may outlive the registry). Throws
  /// ConfigError (with the entry's origin) when the world size does not fit the machine or the
  /// algorithm, or an explicit rank names a PE that is not there or is listed twice.
  InstallPlan plan(const AlgorithmEntry& entry, const topo::TopologySpec& spec) const;

 private:
  std::vector<std::shared_ptr<const CollectiveAlgorithm>> algorithms_;
};

/// Allocates every rank's receive buffer (Collective::scratch_bytes) of `plan` in its buffer
/// memory, as a run does, so a chunk its TCM, SRAM or HBM cannot hold is found before anything
/// runs. Throws ConfigError (with the entry's origin and the allocator's account) when one does not
/// fit.
void check_receive_buffers(const AlgorithmEntry& entry, const InstallPlan& plan,
                           const topo::TopologySpec& spec);

/// A registry holding ring, tree, mesh_2d, halving_doubling, hierarchical and msccl.
AlgorithmRegistry default_algorithm_registry();

/// Kind `msccl`: an entry's `file:` names an MSCCL algorithm file, read when the entry is planned
/// (ConfigError naming the entry's `file` key and the file's problems).
std::unique_ptr<CollectiveAlgorithm> make_msccl_file_algorithm();

/// The PEs ranks 0 .. world-1 of `entry` run on (its mapping policy or explicit list).
std::vector<topo::PeCoord> map_ranks(const AlgorithmEntry& entry, const topo::TopologySpec& spec);

}  // namespace kernbench::ccl
