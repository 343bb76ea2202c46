#include "kernbench/rt/completion_table.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace kernbench::rt {

void write_completion_table(std::ostream& out, const hw::System& system,
                            std::span<const PhaseRecord> records) {
  fmt::print(out, "{:<8} {:<20} {:>7} {:>12} {:>14} {:>14}\n", "phase", "name", "targets", "bytes",
             "start", "duration");
  for (const PhaseRecord& r : records) {
    const hw::Completion& c = system.completion(r.handle);
    const std::string bytes = c.bytes.count() == 0 ? "-" : base::to_string(c.bytes);
    if (!c.done) {
      fmt::print(out, "{:<8} {:<20} {:>7} {:>12} {:>14} {:>14}\n", r.phase, r.name, c.targets,
                 bytes, base::to_string(c.start), "in flight");
      continue;
    }
    fmt::print(out, "{:<8} {:<20} {:>7} {:>12} {:>14} {:>14}\n", r.phase, r.name, c.targets, bytes,
               base::to_string(c.start), base::to_string(c.end - c.start));
  }
}

void write_phase_summary(std::ostream& out, const hw::System& system,
                         std::span<const PhaseRecord> records) {
  fmt::print(out, "{:<8} {:<20} {:>8} {:>7} {:>12} {:>14} {:>14}\n", "phase", "name", "requests",
             "targets", "bytes", "start", "duration");
  for (std::size_t i = 0; i < records.size();) {
    std::size_t j = i;
    std::size_t targets = 0;
    base::Bytes bytes;
    const base::SimTime start = system.completion(records[i].handle).start;
    base::SimTime end = start;
    for (; j < records.size() && records[j].phase == records[i].phase &&
           records[j].name == records[i].name;
         ++j) {
      const hw::Completion& c = system.completion(records[j].handle);
      targets += c.targets;
      bytes += c.bytes;
      end = c.done ? std::max(end, c.end) : base::SimTime::max();
    }
    fmt::print(out, "{:<8} {:<20} {:>8} {:>7} {:>12} {:>14} {:>14}\n", records[i].phase,
               records[i].name, j - i, targets, bytes.count() == 0 ? "-" : base::to_string(bytes),
               base::to_string(start),
               end == base::SimTime::max() ? "in flight" : base::to_string(end - start));
    i = j;
  }
}

void write_completion_table(std::ostream& out, const Runtime& runtime) {
  write_completion_table(out, runtime.system(), runtime.records());
}

}  // namespace kernbench::rt
