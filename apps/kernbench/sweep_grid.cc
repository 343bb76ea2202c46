#include "sweep_grid.h"

#include <fmt/format.h>

#include "kernbench/base/error.h"

namespace kernbench::apps {
namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::vector<std::string> SweepPointSpec::overrides(const std::vector<SweepAxis>& axes) const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < axes.size(); ++i) out.push_back(axes[i].key + "=" + values[i]);
  return out;
}

SweepAxis parse_sweep_axis(const std::string& text, const std::vector<SweepAxis>& earlier) {
  const auto eq = text.find('=');
  const auto fail = [&](const std::string& what) {
    return base::ConfigError({fmt::format("--sweep {}: {}", text, what)});
  };
  if (eq == std::string::npos) throw fail("expected KEY=v1,v2,...");
  SweepAxis axis{trim(text.substr(0, eq)), {}};
  if (axis.key.empty()) throw fail("the key is missing");
  for (const SweepAxis& a : earlier)
    if (a.key == axis.key) throw fail("this key is already swept");
  std::string rest = text.substr(eq + 1);
  for (std::size_t start = 0;;) {
    const auto comma = rest.find(',', start);
    const std::string value = trim(rest.substr(start, comma - start));
    if (value.empty()) throw fail("an empty value");
    axis.values.push_back(value);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return axis;
}

std::vector<SweepPointSpec> sweep_grid(const std::vector<SweepAxis>& axes) {
  std::vector<SweepPointSpec> points{SweepPointSpec{}};
  for (const SweepAxis& axis : axes) {
    std::vector<SweepPointSpec> next;
    for (const SweepPointSpec& p : points)
      for (const std::string& v : axis.values) {
        SweepPointSpec q = p;
        q.values.push_back(v);
        next.push_back(std::move(q));
      }
    points = std::move(next);
  }
  return points;
}

}  // namespace kernbench::apps
