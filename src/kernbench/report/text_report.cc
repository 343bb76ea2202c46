#include "kernbench/report/text_report.h"

#include <string>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "kernbench/report/figures.h"
#include "kernbench/report/nccl_table.h"

namespace kernbench::report {
namespace {

constexpr std::string_view kLegend =
    "# legend: start and time in simulated us (not wall clock); MiB = 2^20 bytes moved; GB/s = "
    "10^9 B per simulated s; TFLOP/s = 10^12 FLOP per simulated s; %peak = share of the PEs' peak; "
    "bound by = busiest unit/link/memory, % of the time busy; a kernel bench's time runs from its "
    "first program's start to its last one's end on the PEs, its launch phase also holds the "
    "command's trip from the host and the completion's way back";

// Column layout shared by the header, bench rows and phase rows.
constexpr std::string_view kRow = "{:<32} {:>5} {:>10} {:>10} {:>10} {:>10} {:>6} {:>10} {:>6}  {}";

// Prints one formatted line without trailing blanks (empty last columns leave none).
template <typename... Args>
void line(std::ostream& out, std::string_view format, const Args&... args) {
  std::string text = fmt::format(fmt::runtime(format), args...);
  text.erase(text.find_last_not_of(' ') + 1);
  out << text << '\n';
}

std::string fixed(std::optional<double> value, int decimals, double scale = 1.0) {
  if (!value) return "-";
  return fmt::format("{:.{}f}", *value / scale, decimals);
}

std::string micros(base::SimTime t) {
  return fmt::format("{:.3f}", static_cast<double>(t.ps()) / 1e6);
}

std::string mebibytes(std::uint64_t bytes) {
  return fmt::format("{:.3f}", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

std::string verdict(const CheckRecord& check) {
  if (!check.checked) return "not checked";
  return check.pass ? "pass" : "FAIL";
}

std::string resource_at(const Busiest& b) {
  const std::string others = b.equally_busy == 0 ? ""
                                                 : fmt::format(" and {} other{}", b.equally_busy,
                                                               b.equally_busy > 1 ? "s" : "");
  return fmt::format("{}{} at {}", b.resource, others, percent(b.utilization));
}

// "bound by: X at 97%; busiest link: Y at 40%; ..." or empty when nothing was recorded.
std::string bound_line(std::span<const Busiest> busiest) {
  const std::optional<Busiest> bound = bound_by(busiest);
  if (!bound) return {};
  std::string line = "bound by: " + resource_at(*bound);
  for (const Busiest& b : busiest)
    if (b.track != bound->track && percent(b.utilization) != "0%")  // 0% says nothing
      line += fmt::format("; busiest {}: {}", name(b.kind), resource_at(b));
  return line;
}

struct Figures {
  std::string time, bytes, bandwidth, bandwidth_peak, flops, flops_peak;
};

Figures figures(base::SimTime time, std::uint64_t bytes, double flops, const BenchRecord& bench) {
  const auto bps = per_second(static_cast<double>(bytes), time);
  const auto fps = flops > 0 ? per_second(flops, time) : std::nullopt;
  const auto bw_peak = fraction_of(bps, bench.peak_bytes_per_second);
  const auto fl_peak = fraction_of(fps, bench.peak_flops);
  return {micros(time),        mebibytes(bytes),
          fixed(bps, 2, 1e9),  fixed(bw_peak ? std::optional(*bw_peak * 100) : std::nullopt, 1),
          fixed(fps, 3, 1e12), fixed(fl_peak ? std::optional(*fl_peak * 100) : std::nullopt, 1)};
}

void write_phase(std::ostream& out, const PhaseRecord& phase, const BenchRecord& bench) {
  const Figures f = figures(phase.duration, phase.bytes, phase.flops, bench);
  line(out, kRow, "  " + phase.name, "", micros(phase.start), f.time, f.bytes, f.bandwidth,
       f.bandwidth_peak, f.flops, f.flops_peak, "");
  if (const std::string line = bound_line(phase.busiest); !line.empty())
    fmt::print(out, "      {}\n", line);
  if (const auto& t = phase.translation; t && t->tlb_lookups > 0)
    fmt::print(out, "      MMU: {} pages looked up, {} TLB misses ({}); TLB reach {} per PE\n",
               t->tlb_lookups, t->tlb_misses,
               percent(static_cast<double>(t->tlb_misses) / static_cast<double>(t->tlb_lookups)),
               base::Bytes(t->tlb_reach_bytes));
}

void write_bench(std::ostream& out, const BenchRecord& bench, bool summary) {
  const Figures f = figures(bench.time, bench.bytes, bench.flops, bench);
  line(out, kRow, bench.name, bench.pes, "-", f.time, f.bytes, f.bandwidth, f.bandwidth_peak,
       f.flops, f.flops_peak, verdict(bench.check));
  if (summary) {
    if (const std::string line = bound_line(bench.busiest); !line.empty())
      fmt::print(out, "    {}\n", line);
    return;
  }
  if (!bench.shape.empty()) fmt::print(out, "    shape: {}\n", bench.shape);
  if (bench.check.checked && !bench.check.detail.empty())
    fmt::print(out, "    check: {}\n", bench.check.detail);
  if (const auto& r = bench.roofline)
    fmt::print(out,
               "    roofline: matrix peak {:.3f} TFLOP/s, memory allows {:.3f} TFLOP/s: {}-bound\n",
               r->matrix_peak_flops / 1e12, r->memory_bound_flops / 1e12, r->bound);
  if (const std::string line = bound_line(bench.busiest); !line.empty())
    fmt::print(out, "    {}\n", line);
  for (const PhaseRecord& phase : bench.phases) write_phase(out, phase, bench);
}

void write_benches(std::ostream& out, const RunRecord& run, bool summary) {
  fmt::print(out, "{}\n", kLegend);
  line(out, kRow, "bench / phase", "PEs", "start", "time", "bytes", "bandwidth", "%peak", "FLOP/s",
       "%peak", "check");
  line(out, kRow, "", "", "(us)", "(us)", "(MiB)", "(GB/s)", "(%)", "(TFLOP/s)", "(%)", "");
  for (const BenchRecord& bench : run.benches) write_bench(out, bench, summary);
}

void write_collective(std::ostream& out, const CollectiveSweep& sweep) {
  fmt::print(out, "\n# {} {} over {} ranks (nccl-tests layout)\n", sweep.op, sweep.algorithm,
             sweep.world);
  constexpr std::string_view kLine = "  {:>12} {:>12} {:>6} {:>6} {:>11} {:>8} {:>8} {:>7}";
  line(out, kLine, "size", "count", "type", "redop", "time", "algbw", "busbw", "#wrong");
  line(out, kLine, "(B)", "(elements)", "", "", "(us)", "(GB/s)", "(GB/s)", "");
  for (const CollectiveRow& r : sweep.rows) out << nccl_row(r) << '\n';
}

void write_parameter_sweep(std::ostream& out, const ParameterSweep& sweep) {
  fmt::print(out, "\n# sweep of {} over {}\n", sweep.key, sweep.bench);
  constexpr std::string_view kLine = "  {:<16} {:>10} {:>10} {:>10} {:>6}  {:<12} {}";
  line(out, kLine, "value", "time", "bandwidth", "FLOP/s", "%peak", "check", "bound by");
  line(out, kLine, "", "(us)", "(GB/s)", "(TFLOP/s)", "(%)", "", "");
  for (const SweepPoint& p : sweep.points) {
    const BenchRecord& b = p.result;
    const Figures f = figures(b.time, b.bytes, b.flops, b);
    const std::optional<Busiest> bound = bound_by(b.busiest);
    line(out, kLine, p.value, f.time, f.bandwidth, f.flops, f.flops_peak, verdict(b.check),
         bound ? resource_at(*bound) : "-");
  }
}

}  // namespace

void write_text_report(std::ostream& out, const RunRecord& run, TextReportOptions options) {
  if (!run.benches.empty()) write_benches(out, run, options.summary);
  for (const CollectiveSweep& sweep : run.collective_sweeps) write_collective(out, sweep);
  for (const ParameterSweep& sweep : run.parameter_sweeps) write_parameter_sweep(out, sweep);
}

}  // namespace kernbench::report
