// The named benches `kernbench run` can run: an object filled by a plain call (STYLE.md rule 8),
// answering an unknown name with the known ones.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "benches/bench_context.h"

#include "kernbench/report/run_record.h"

namespace kernbench::benches {

/// How a bench runs: on the context's machine (typically one BenchMachine built from it),
/// returning the report's record of what it measured (BenchMachine::record).
using BenchFn = std::function<report::BenchRecord(const BenchContext&)>;

/// One bench: a name, a line of help, and how to run it.
struct Bench {
  std::string name;
  std::string help;
  BenchFn run;
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
