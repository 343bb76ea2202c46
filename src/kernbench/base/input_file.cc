#include "kernbench/base/input_file.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/base/limit_error.h"
#include "kernbench/base/units.h"

namespace kernbench::base {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw ConfigError({fmt::format("{}: {}", path, problem)});
}

[[noreturn]] void too_large(const std::string& path, std::uint64_t size, std::uint64_t max_bytes,
                            bool at_least) {
  throw InputSizeLimitError(
      {fmt::format("{}: {}{} is larger than the {} limit on input files", path,
                   at_least ? "more than " : "", Bytes(size), Bytes(max_bytes))});
}

}  // namespace

std::string read_input_file(const std::string& path, std::string_view what,
                            std::uint64_t max_bytes) {
  // Asked before opening: opening a FIFO for reading would wait for a writer.
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found || error)
    fail(path, fmt::format("cannot read the {}", what));
  if (status.type() == std::filesystem::file_type::directory)
    fail(path, fmt::format("is a directory, not a {}", what));
  if (status.type() != std::filesystem::file_type::regular)
    fail(path, fmt::format("is not a regular file (a device, FIFO or socket), not a {}", what));
  const std::uint64_t size = std::filesystem::file_size(path, error);
  if (!error && size > max_bytes) too_large(path, size, max_bytes, false);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, fmt::format("cannot read the {}", what));
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    const auto n = static_cast<std::size_t>(in.gcount());
    if (text.size() + n > max_bytes) too_large(path, text.size() + n, max_bytes, true);
    text.append(buffer, n);
  }
  if (in.bad()) fail(path, fmt::format("cannot read the {}", what));
  return text;
}

}  // namespace kernbench::base
