#include "kernbench/rt/completion_table.h"

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

void write_completion_table(std::ostream& out, const Runtime& runtime) {
  write_completion_table(out, runtime.system(), runtime.records());
}

}  // namespace kernbench::rt
