#include "kernbench/base/error.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernbench/base/assert.h"

namespace kernbench::base {
namespace {
std::string join_problems(const std::vector<std::string>& problems) {
  if (problems.size() == 1) return problems.front();
  return fmt::format("{} problems:\n  {}", problems.size(), fmt::join(problems, "\n  "));
}
}  // namespace

ConfigError::ConfigError(std::vector<std::string> problems)
    : Error(join_problems(problems)), problems_(std::move(problems)) {}

namespace detail {
void assertion_failed(const char* condition, std::string_view message, const char* file, int line) {
  throw InternalError(
      fmt::format("internal error at {}:{}: {} ({})", file, line, message, condition));
}
}  // namespace detail

}  // namespace kernbench::base
