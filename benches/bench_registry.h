// The named benches `kernbench run` can run: an object filled by a plain call (STYLE.md rule 8),
// answering an unknown name with the known ones.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "benches/bench_context.h"
#include "benches/bench_params.h"

#include "kernbench/report/run_record.h"

namespace kernbench::benches {

/// How a bench runs: on the context's machine (typically one BenchMachine built from it),
/// returning the report's record of what it measured (BenchMachine::record).
using BenchFn = std::function<report::BenchRecord(const BenchContext&)>;

/// One bench: a name, a line of help, how to run it, and the shape parameters it reads from
/// BenchContext::params.
struct Bench {
  std::string name;
  std::string help;
  BenchFn run;
  std::vector<BenchParam> params{};
};

/// Checks that every --param in `given` is declared by at least one of `chosen`; a ConfigError
/// naming the parameter, the nearest declared name and each bench's parameters otherwise.
void check_params(std::span<const Bench* const> chosen, const BenchParams& given);

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
