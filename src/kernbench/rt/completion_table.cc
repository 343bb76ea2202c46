#include "kernbench/rt/completion_table.h"

#include <algorithm>
#include <array>
#include <string>

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace kernbench::rt {
namespace {

// Adds one request to a row: its targets, bytes, end and, for a launch, its programs' figures on
// the PEs of the request's SIP.
void add_request(PhaseRow& row, const PhaseRecord& r, const hw::Completion& c) {
  ++row.requests;
  row.targets += c.targets;
  row.bytes += c.bytes;
  if (row.requests == 1) row.end = c.start;
  row.end = c.done && row.end ? std::optional(std::max(*row.end, c.end)) : std::nullopt;
  if (!r.launch || !c.done) return;
  for (const PeStats& pe : r.launch->pes())
    if (pe.pe.sip == c.sip) {
      row.breakdown += pe.total;
      row.reported += pe.reported;
    }
}

PhaseRow start_row(const PhaseRecord& r, const hw::Completion& c) {
  PhaseRow row;
  row.phase = r.phase;
  row.name = r.name;
  row.start = c.start;
  return row;
}

// dma, vector, matrix, wait: "-" when no program reported (not a launch, in flight, or a
// kernel that does not report).
void print_breakdown(std::ostream& out, const PhaseRow& row) {
  std::array<std::string, 4> cells{"-", "-", "-", "-"};
  if (row.reported != 0) {
    const ProgramStats& s = row.breakdown;
    cells = {base::to_string(s.dma), base::to_string(s.vector), base::to_string(s.matrix),
             base::to_string(s.wait)};
  }
  fmt::print(out, " {:>12} {:>12} {:>12} {:>12}\n", cells[0], cells[1], cells[2], cells[3]);
}

void print_breakdown_header(std::ostream& out) {
  fmt::print(out, " {:>12} {:>12} {:>12} {:>12}\n", "dma", "vector", "matrix", "wait");
}

std::string bytes_cell(base::Bytes bytes) {
  return bytes.count() == 0 ? "-" : base::to_string(bytes);
}

std::string duration_cell(const PhaseRow& row) {
  return row.end ? base::to_string(*row.end - row.start) : "in flight";
}

}  // namespace

std::vector<PhaseRow> completion_rows(const hw::System& system,
                                      std::span<const PhaseRecord> records) {
  std::vector<PhaseRow> rows;
  rows.reserve(records.size());
  for (const PhaseRecord& r : records) {
    const hw::Completion& c = system.completion(r.handle);
    rows.push_back(start_row(r, c));
    add_request(rows.back(), r, c);
  }
  return rows;
}

std::vector<PhaseRow> phase_rows(const hw::System& system, std::span<const PhaseRecord> records) {
  std::vector<PhaseRow> rows;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const hw::Completion& c = system.completion(records[i].handle);
    if (i == 0 || records[i].phase != records[i - 1].phase ||
        records[i].name != records[i - 1].name)
      rows.push_back(start_row(records[i], c));
    add_request(rows.back(), records[i], c);
  }
  return rows;
}

void write_completion_table(std::ostream& out, const hw::System& system,
                            std::span<const PhaseRecord> records) {
  fmt::print(out, "{:<8} {:<20} {:>7} {:>12} {:>14} {:>14}", "phase", "name", "targets", "bytes",
             "start", "duration");
  print_breakdown_header(out);
  for (const PhaseRow& row : completion_rows(system, records)) {
    fmt::print(out, "{:<8} {:<20} {:>7} {:>12} {:>14} {:>14}", row.phase, row.name, row.targets,
               bytes_cell(row.bytes), base::to_string(row.start), duration_cell(row));
    print_breakdown(out, row);
  }
}

void write_phase_summary(std::ostream& out, const hw::System& system,
                         std::span<const PhaseRecord> records) {
  fmt::print(out, "{:<8} {:<20} {:>8} {:>7} {:>12} {:>14} {:>14}", "phase", "name", "requests",
             "targets", "bytes", "start", "duration");
  print_breakdown_header(out);
  for (const PhaseRow& row : phase_rows(system, records)) {
    fmt::print(out, "{:<8} {:<20} {:>8} {:>7} {:>12} {:>14} {:>14}", row.phase, row.name,
               row.requests, row.targets, bytes_cell(row.bytes), base::to_string(row.start),
               duration_cell(row));
    print_breakdown(out, row);
  }
}

void write_completion_table(std::ostream& out, const Runtime& runtime) {
  write_completion_table(out, runtime.system(), runtime.records());
}

}  // namespace kernbench::rt
