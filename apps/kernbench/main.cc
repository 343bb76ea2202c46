// The kernbench executable: the command line (bench_main.h) over the built-in benches.
#include "benches/default_benches.h"

#include "kernbench/bench_main.h"

int main(int argc, char** argv) {
  kernbench::benches::BenchRegistry registry;
  kernbench::benches::register_default_benches(registry);
  return kernbench::bench_main(argc, argv, registry);
}
