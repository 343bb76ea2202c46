// The figures every writer derives from a RunRecord the same way: rates over simulated time,
// fractions of a peak and which resource bound a bench or phase. One place, so the text, JSON and
// HTML reports never disagree.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "kernbench/base/units.h"
#include "kernbench/report/activity_recorder.h"

namespace kernbench::report {

/// `amount` per simulated second over `time`; nullopt when `time` is not positive.
std::optional<double> per_second(double amount, base::SimTime time);

/// `value` / `peak`; nullopt when either is missing or `peak` is not positive.
std::optional<double> fraction_of(std::optional<double> value, double peak);

/// The resource with the highest utilization (the first of equals, so unit before link before
/// memory); nullopt for an empty list.
std::optional<Busiest> bound_by(std::span<const Busiest> busiest);

}  // namespace kernbench::report
