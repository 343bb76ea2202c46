// Kernels by name: an object the bench or the command line fills with plain calls (no static
// registration). Adding a name again replaces the kernel, as the previous tool allowed.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/rt/program_context.h"

namespace kernbench::rt {

class KernelRegistry {
 public:
  /// Registers `kernel` under `name` (replacing any kernel of that name); `help` is one line
  /// for `kernbench list`.
  void add(std::string name, KernelFn kernel, std::string help = {});
  /// The kernel called `name`; NotFoundError listing the registered names if there is none.
  const KernelFn& find(std::string_view name) const;
  /// The one-line help given at registration (NotFoundError as find).
  const std::string& help(std::string_view name) const;
  bool contains(std::string_view name) const { return kernels_.find(name) != kernels_.end(); }
  /// Registered names, sorted.
  std::vector<std::string> names() const;
  std::size_t size() const { return kernels_.size(); }

 private:
  struct Entry {
    KernelFn kernel;
    std::string help;
  };
  const Entry& entry(std::string_view name) const;

  std::map<std::string, Entry, std::less<>> kernels_;
};

}  // namespace kernbench::rt
