// The kernbench command line as a library call, for a user's own bench program: the same
// subcommands, options, report, trace and JSON as the kernbench executable, over the user's
// registry of benches.
//
//   int main(int argc, char** argv) {
//     kernbench::benches::BenchRegistry registry;
//     registry.add({"my_bench", "what it measures", my_bench});
//     return kernbench::bench_main(argc, argv, registry);
//   }
#pragma once

#include "benches/bench_registry.h"

namespace kernbench {

/// Parses the command line, runs the subcommand over `registry` and returns the exit code: 0
/// success, 1 a user error (one message on stderr, prefixed by the program's name), 2 a usage
/// error, 3 an internal error (a bug to report). Never throws.
int bench_main(int argc, char** argv, const benches::BenchRegistry& registry);

}  // namespace kernbench
