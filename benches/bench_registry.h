// The named benches `kernbench run` can run: an object filled by a plain call (STYLE.md rule 8),
// answering an unknown name with the known ones.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "benches/bench_result.h"

#include "kernbench/topo/topology_spec.h"

namespace kernbench::benches {

/// One bench: a name, a line of help, and how to run it on a machine.
struct Bench {
  std::string name;
  std::string help;
  std::function<BenchResult(const topo::TopologySpec&)> run;
};

class BenchRegistry {
 public:
  /// Adds `bench` (re-adding a name replaces it); names keep their first insertion order.
  void add(Bench bench);
  /// The bench called `name`; NotFoundError listing the known ones otherwise.
  const Bench& find(std::string_view name) const;
  /// Names in insertion order.
  std::vector<std::string> names() const;
  std::size_t size() const { return benches_.size(); }

 private:
  std::vector<Bench> benches_;
};

}  // namespace kernbench::benches
