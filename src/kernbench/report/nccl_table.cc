#include "kernbench/report/nccl_table.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace kernbench::report {

void write_nccl_table(std::ostream& out, std::string_view title,
                      std::span<const ccl::BenchRow> rows) {
  fmt::print(out, "# {}\n", title);
  fmt::print(out, "# {:>12} {:>12} {:>6} {:>6} {:>11} {:>8} {:>8} {:>7}\n", "size", "count", "type",
             "redop", "time", "algbw", "busbw", "#wrong");
  fmt::print(out, "# {:>12} {:>12} {:>6} {:>6} {:>11} {:>8} {:>8} {:>7}\n", "(B)", "(elements)", "",
             "", "(us)", "(GB/s)", "(GB/s)", "");
  for (const auto& r : rows) {
    const std::string wrong = r.wrong ? fmt::format("{}", *r.wrong) : "N/A";
    fmt::print(out, "  {:>12} {:>12} {:>6} {:>6} {:>11.3f} {:>8.2f} {:>8.2f} {:>7}\n", r.bytes,
               r.count, base::name(r.dtype), base::name(r.op), r.time.ns() / 1e3, r.algbw_gbps,
               r.busbw_gbps, wrong);
  }
}

}  // namespace kernbench::report
