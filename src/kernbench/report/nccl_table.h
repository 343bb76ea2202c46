// Collective sweeps in the layout nccl-tests users read: one row per size with size, count, type,
// redop, time, algbw, busbw and #wrong last.
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "kernbench/report/run_record.h"

namespace kernbench::report {

/// One row: size, count, type, redop, time (us), algbw, busbw, #wrong (N/A when not checked).
std::string nccl_row(const CollectiveRow& row);

/// Writes a header (what ran, and a line of units) and one row per size, as nccl-tests does.
void write_nccl_table(std::ostream& out, std::string_view title,
                      std::span<const CollectiveRow> rows);

}  // namespace kernbench::report
