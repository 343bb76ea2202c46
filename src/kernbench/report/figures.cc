#include "kernbench/report/figures.h"

namespace kernbench::report {

std::optional<double> per_second(double amount, base::SimTime time) {
  if (time.ps() <= 0) return std::nullopt;
  return amount * 1e12 / static_cast<double>(time.ps());
}

std::optional<double> fraction_of(std::optional<double> value, double peak) {
  if (!value || !(peak > 0)) return std::nullopt;
  return *value / peak;
}

std::optional<Busiest> bound_by(std::span<const Busiest> busiest) {
  const Busiest* best = nullptr;
  for (const Busiest& b : busiest)
    if (best == nullptr || b.utilization > best->utilization) best = &b;
  if (best == nullptr) return std::nullopt;
  return *best;
}

}  // namespace kernbench::report
