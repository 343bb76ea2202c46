// A bench's shape parameters: what it declares (name, default in words, help) and the values the
// command line gave (`kernbench run matmul --param M=4096`), which the bench reads with its own
// default. Checked like --set: an unknown name is an error with the nearest declared one.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kernbench::benches {

/// One parameter a bench declares: "M", "64 per PE", "rows of A and C".
struct BenchParam {
  std::string name;
  std::string default_text;
  std::string help;
};

/// Values given on the command line, by parameter name.
class BenchParams {
 public:
  /// Parses "NAME=VALUE" (VALUE a whole number >= 1) and keeps it; base::ConfigError naming the
  /// argument otherwise. A name given twice keeps the last value.
  void parse(std::string_view argument);
  void set(std::string name, std::int64_t value) { given_[std::move(name)] = value; }
  /// The value given for `name`, else `fallback` (the bench's default).
  std::int64_t get(std::string_view name, std::int64_t fallback) const;
  bool empty() const { return given_.empty(); }
  const std::map<std::string, std::int64_t, std::less<>>& given() const { return given_; }
  /// Only the values of parameters in `declared` (what one bench of several is handed).
  BenchParams only(std::span<const BenchParam> declared) const;

 private:
  std::map<std::string, std::int64_t, std::less<>> given_;
};

/// "M, N, K": the declared names, in order.
std::string param_names(std::span<const BenchParam> declared);

}  // namespace kernbench::benches
