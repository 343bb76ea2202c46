// The machine-readable results of a run (--json): everything in a RunRecord with derived figures
// spelled out, under a "schema_version". The schema is documented field by field in docs/report.md.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "kernbench/report/run_record.h"

namespace kernbench::report {

/// The version of the JSON layout; bumped when a field changes meaning or goes away.
inline constexpr int kJsonSchemaVersion = 1;

/// The JSON document of `run` (keys in a fixed order, so dumps are byte-identical run to run).
nlohmann::ordered_json to_json(const RunRecord& run);

/// Writes to_json(run) to `path`, two-space indented with a final newline; throws base::Error if
/// the file cannot be written.
void write_json_report(const std::filesystem::path& path, const RunRecord& run);

}  // namespace kernbench::report
