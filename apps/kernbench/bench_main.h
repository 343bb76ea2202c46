// The kernbench command line as a library call, for a user's own bench program: the same
// subcommands, options, report, trace and JSON as the kernbench executable, over the user's
// registries of benches, kernels and collective algorithms.
//
//   int main(int argc, char** argv) {
//     kernbench::Registries registries;  // the built-in kernels and algorithms, no bench
//     registries.benches.add({"my_bench", "what it measures", my_bench});
//     registries.algorithms.add(std::make_unique<MyAllReduce>());  // kind "my_all_reduce"
//     return kernbench::bench_main(argc, argv, registries);
//   }
#pragma once

#include "benches/bench_registry.h"

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/rt/kernel_registry.h"

namespace kernbench {

/// What a bench program hands the command line, as one bundle: the benches `run` and `sweep`
/// run, the kernels `list kernels` shows, and the collective algorithms ccl.yaml entries may name
/// (`ccl plan`, `ccl bench`, `list algorithms`; an entry's kind is an algorithm's kind()).
struct Registries {
  benches::BenchRegistry benches;
  rt::KernelRegistry kernels = built_in_kernels();
  ccl::AlgorithmRegistry algorithms = ccl::default_algorithm_registry();

  /// The demo kernels (rt/demo_kernels.h).
  static rt::KernelRegistry built_in_kernels();
};

/// Parses the command line, runs the subcommand over `registries` and returns the exit code: 0
/// success, 1 a user error (one message on stderr, prefixed by the program's name), 2 a usage
/// error, 3 an internal error (a bug to report). Never throws.
int bench_main(int argc, char** argv, const Registries& registries);

/// The same over `registry`'s benches with the built-in kernels and algorithms.
int bench_main(int argc, char** argv, const benches::BenchRegistry& registry);

}  // namespace kernbench
