// The subcommands that name collective algorithms or kernels, over the registries a bench program
// hands bench_main (its own algorithms beside the built-ins): they replace command.h's forms
// without registries, which that header still declares.
#pragma once

#include <CLI/CLI.hpp>

#include "command.h"

#include "kernbench/bench_main.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ccl_config.h"

namespace kernbench::apps {

/// The collective algorithms the options name (--ccl FILE or the embedded configs/ccl.yaml), whose
/// entries may name `algorithms`' kinds and carry the keys they declare.
ccl::CclConfig load_ccl(const GlobalOptions& options, const ccl::AlgorithmRegistry& algorithms);
/// Adds `kernbench ccl plan NAME` and `kernbench ccl bench` (ccl_command.cc).
void add_ccl_command(CLI::App& app, const GlobalOptions& options,
                     const ccl::AlgorithmRegistry& algorithms);
/// Adds `bench` under `kernbench ccl` (ccl_bench_command.cc).
void add_ccl_bench_command(CLI::App& ccl, const GlobalOptions& options,
                           const ccl::AlgorithmRegistry& algorithms);
/// Adds `kernbench list [SECTION [NAME...]]` (list_command.cc).
void add_list_command(CLI::App& app, const GlobalOptions& options, const Registries& registries);

}  // namespace kernbench::apps
