// Collective sweeps in the layout nccl-tests users read: one row per size with size, count, type,
// redop, time, algbw, busbw and #wrong last.
#pragma once

#include <ostream>
#include <span>
#include <string_view>

#include "kernbench/ccl/ring_bench.h"

namespace kernbench::report {

/// Writes a header (what ran, and a line of units) and one row per size. #wrong shows N/A for
/// timing-only rows.
void write_nccl_table(std::ostream& out, std::string_view title,
                      std::span<const ccl::BenchRow> rows);

}  // namespace kernbench::report
