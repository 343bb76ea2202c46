#include "kernbench/rt/completion_table.h"

#include <algorithm>
#include <array>
#include <string>

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace kernbench::rt {
namespace {

// Where a launch's time went, summed over the PEs of the SIPs of some finished records.
struct Breakdown {
  ProgramStats sum;
  std::int64_t reported = 0;  // programs that reported a breakdown

  void add(const PhaseRecord& r, const hw::Completion& c) {
    if (!r.launch || !c.done) return;
    for (const PeStats& pe : r.launch->pes())
      if (pe.pe.sip == c.sip) {
        sum += pe.total;
        reported += pe.reported;
      }
  }
  // dma, vector, matrix, wait: "-" when no program reported (not a launch, in flight, or a
  // kernel that does not report).
  std::array<std::string, 4> cells() const {
    if (reported == 0) return {"-", "-", "-", "-"};
    return {base::to_string(sum.dma), base::to_string(sum.vector), base::to_string(sum.matrix),
            base::to_string(sum.wait)};
  }
};

void print_breakdown(std::ostream& out, const Breakdown& b) {
  const auto cells = b.cells();
  fmt::print(out, " {:>12} {:>12} {:>12} {:>12}\n", cells[0], cells[1], cells[2], cells[3]);
}

void print_breakdown_header(std::ostream& out) {
  fmt::print(out, " {:>12} {:>12} {:>12} {:>12}\n", "dma", "vector", "matrix", "wait");
}

}  // namespace

void write_completion_table(std::ostream& out, const hw::System& system,
                            std::span<const PhaseRecord> records) {
  fmt::print(out, "{:<8} {:<20} {:>7} {:>12} {:>14} {:>14}", "phase", "name", "targets", "bytes",
             "start", "duration");
  print_breakdown_header(out);
  for (const PhaseRecord& r : records) {
    const hw::Completion& c = system.completion(r.handle);
    const std::string bytes = c.bytes.count() == 0 ? "-" : base::to_string(c.bytes);
    fmt::print(out, "{:<8} {:<20} {:>7} {:>12} {:>14} {:>14}", r.phase, r.name, c.targets, bytes,
               base::to_string(c.start), c.done ? base::to_string(c.end - c.start) : "in flight");
    Breakdown b;
    b.add(r, c);
    print_breakdown(out, b);
  }
}

void write_phase_summary(std::ostream& out, const hw::System& system,
                         std::span<const PhaseRecord> records) {
  fmt::print(out, "{:<8} {:<20} {:>8} {:>7} {:>12} {:>14} {:>14}", "phase", "name", "requests",
             "targets", "bytes", "start", "duration");
  print_breakdown_header(out);
  for (std::size_t i = 0; i < records.size();) {
    std::size_t j = i;
    std::size_t targets = 0;
    base::Bytes bytes;
    Breakdown b;
    const base::SimTime start = system.completion(records[i].handle).start;
    base::SimTime end = start;
    for (; j < records.size() && records[j].phase == records[i].phase &&
           records[j].name == records[i].name;
         ++j) {
      const hw::Completion& c = system.completion(records[j].handle);
      targets += c.targets;
      bytes += c.bytes;
      end = c.done ? std::max(end, c.end) : base::SimTime::max();
      b.add(records[j], c);
    }
    fmt::print(out, "{:<8} {:<20} {:>8} {:>7} {:>12} {:>14} {:>14}", records[i].phase,
               records[i].name, j - i, targets, bytes.count() == 0 ? "-" : base::to_string(bytes),
               base::to_string(start),
               end == base::SimTime::max() ? "in flight" : base::to_string(end - start));
    print_breakdown(out, b);
    i = j;
  }
}

void write_completion_table(std::ostream& out, const Runtime& runtime) {
  write_completion_table(out, runtime.system(), runtime.records());
}

}  // namespace kernbench::rt
