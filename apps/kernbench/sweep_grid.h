// The points of `kernbench sweep`: --sweep KEY=v1,v2,v3 lists (several give a grid, the first key
// outermost), each point the --set overrides it adds to the global options.
#pragma once

#include <string>
#include <vector>

namespace kernbench::apps {

/// One swept key and its values, as given.
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
};

/// One point of the grid: a value per axis, in axis order.
struct SweepPointSpec {
  std::vector<std::string> values;
  /// "KEY=value" per axis, for load_machine.
  std::vector<std::string> overrides(const std::vector<SweepAxis>& axes) const;
};

/// Parses "KEY=v1,v2,v3" (values trimmed; a value may carry a unit: "256 GB/s"). ConfigError
/// naming the text when there is no '=', no key, an empty value, or the key repeats one of
/// `earlier`.
SweepAxis parse_sweep_axis(const std::string& text, const std::vector<SweepAxis>& earlier);
/// Every combination, the first axis varying slowest.
std::vector<SweepPointSpec> sweep_grid(const std::vector<SweepAxis>& axes);

}  // namespace kernbench::apps
