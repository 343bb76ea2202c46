// The strategy interface every collective algorithm implements: the kind a ccl.yaml entry names,
// the ccl.yaml keys only its entries carry, its neighbour tables and each op's schedule. The
// built-ins (ring, tree, mesh_2d, halving_doubling, hierarchical) each live in one
// `<kind>_algorithm.cc`; a user program adds its own to the registry it hands the command line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/ccl/ccl_config.h"
#include "kernbench/ccl/collective_op.h"
#include "kernbench/ccl/install_plan.h"
#include "kernbench/ccl/schedule.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::ccl {

/// A ccl.yaml key that only entries of one kind carry, declared by that kind's algorithm: the
/// loader reads and checks its value (and rejects it under another kind), then `store`s it.
struct EntryKey {
  /// A positive integer ("fanout: 2"), {rows: R, cols: C} of positive integers whose product
  /// is the entry's world size when both are given ("mesh: {rows: 2, cols: 2}"), a non-empty
  /// text, or the path of a readable file (a relative one is taken from the ccl file's folder;
  /// `entry.texts[name]` holds the path so resolved).
  enum class Shape { count, rows_cols, text, file };
  std::string name;
  Shape shape = Shape::count;
  /// Where an integer value goes: `values` holds one integer (count) or rows and cols (0 when
  /// absent). Null: into `entry.values[name]`. Texts and files always go to `entry.texts[name]`.
  void (*store)(AlgorithmEntry& entry, const std::vector<int>& values) = nullptr;
  /// Every entry of the declaring kind must give it.
  bool required = false;
};

/// all_reduce, reduce_scatter and all_gather: the ops each kind schedules its own way (the others
/// run on any tables by default).
inline bool kind_specific(CollectiveOp op) {
  return op == CollectiveOp::all_reduce || op == CollectiveOp::reduce_scatter ||
         op == CollectiveOp::all_gather;
}

/// Contract: every method is a pure function of its arguments. neighbor_tables() returns one
/// table per rank whose slots name ranks in [0, ranks.size()), and throws base::ConfigError
/// (prefixed with the entry's origin) when the world size does not suit the algorithm.
/// schedule() is called with a plan this algorithm made.
class CollectiveAlgorithm {
 public:
  virtual ~CollectiveAlgorithm() = default;
  /// The kind name ccl.yaml entries use ("ring").
  virtual std::string_view kind() const = 0;
  /// One line for `kernbench list`.
  virtual std::string_view summary() const = 0;
  /// The keys only this kind's entries carry (none by default).
  virtual std::vector<EntryKey> keys() const { return {}; }
  /// `entry` made fit for a process group of `*entry.world_size` ranks (World::group), before it
  /// is planned: keys that fix a shape for another world size are dropped. Unchanged by default.
  virtual void fit_to_group(AlgorithmEntry& entry) const { (void)entry; }
  /// The algorithm that plans and runs `entry`: null (this one) by default; a kind whose entries
  /// name what to run (msccl's `file:`) returns one made for the entry.
  virtual std::shared_ptr<const CollectiveAlgorithm> for_entry(const AlgorithmEntry& entry) const {
    (void)entry;
    return nullptr;
  }
  /// Each rank's neighbour table.
  virtual std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry& entry, const topo::TopologySpec& spec,
      const std::vector<topo::PeCoord>& ranks) const = 0;
  /// The message streams of `op` over `count` elements per rank (`root` for broadcast and
  /// reduce). By default broadcast and reduce run down / up the breadth-first tree of the tables
  /// from the root, all_to_all as a pairwise exchange, and the others are a NotFoundError.
  virtual Schedule schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count,
                            int root) const;
  /// The schedule of `op` over `count` elements of `element_size` bytes each: schedule() by
  /// default; an algorithm written for a range of message sizes (MSCCL's minBytes/maxBytes) picks
  /// by size.
  virtual Schedule sized_schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count,
                                  base::Bytes element_size, int root) const {
    (void)element_size;
    return schedule(plan, op, count, root);
  }
};

std::unique_ptr<CollectiveAlgorithm> make_ring_algorithm();
std::unique_ptr<CollectiveAlgorithm> make_tree_algorithm();
std::unique_ptr<CollectiveAlgorithm> make_mesh_2d_algorithm();
std::unique_ptr<CollectiveAlgorithm> make_halving_doubling_algorithm();
std::unique_ptr<CollectiveAlgorithm> make_hierarchical_algorithm();

}  // namespace kernbench::ccl
