#include "kernbench/report/nccl_table.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace kernbench::report {

std::string nccl_row(const CollectiveRow& r) {
  return fmt::format("  {:>12} {:>12} {:>6} {:>6} {:>11.3f} {:>8.2f} {:>8.2f} {:>7}", r.bytes,
                     r.count, r.dtype, r.op, static_cast<double>(r.time.ps()) / 1e6, r.algbw_gbps,
                     r.busbw_gbps, r.wrong ? fmt::format("{}", *r.wrong) : "N/A");
}

void write_nccl_table(std::ostream& out, std::string_view title,
                      std::span<const CollectiveRow> rows) {
  fmt::print(out, "# {}\n", title);
  fmt::print(out, "# {:>12} {:>12} {:>6} {:>6} {:>11} {:>8} {:>8} {:>7}\n", "size", "count", "type",
             "redop", "time", "algbw", "busbw", "#wrong");
  fmt::print(out, "# {:>12} {:>12} {:>6} {:>6} {:>11} {:>8} {:>8} {:>7}\n", "(B)", "(elements)", "",
             "", "(us)", "(GB/s)", "(GB/s)", "");
  for (const CollectiveRow& r : rows) out << nccl_row(r) << '\n';
}

}  // namespace kernbench::report
