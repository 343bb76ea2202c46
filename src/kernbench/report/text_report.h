// The report a person reads on stdout: per bench one line of figures (every column with its
// unit), the phases under it, what bound it and the check's verdict, with a one-line legend.
#pragma once

#include <ostream>

#include "kernbench/report/run_record.h"

namespace kernbench::report {

struct TextReportOptions {
  /// Per bench only its line of figures and what bound it (no shape, check, roofline or phases).
  bool summary = false;
};

/// Writes `run`'s benches, collective sweeps (nccl-tests layout) and parameter sweeps as text.
/// Deterministic: the same record gives the same bytes.
void write_text_report(std::ostream& out, const RunRecord& run, TextReportOptions options = {});

}  // namespace kernbench::report
