#include "kernbench/rt/kernel_registry.h"

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/base/name_suggestion.h"

namespace kernbench::rt {

void KernelRegistry::add(std::string name, KernelFn kernel, std::string help) {
  if (name.empty()) throw base::NotFoundError("kernel registry: a kernel needs a name");
  if (!kernel) throw base::NotFoundError(fmt::format("kernel registry: '{}' has no code", name));
  kernels_.insert_or_assign(std::move(name), Entry{std::move(kernel), std::move(help)});
}

const KernelRegistry::Entry& KernelRegistry::entry(std::string_view name) const {
  const auto it = kernels_.find(name);
  if (it == kernels_.end())
    throw base::NotFoundError(base::unknown_name_message("kernel", name, names()));
  return it->second;
}

const KernelFn& KernelRegistry::find(std::string_view name) const { return entry(name).kernel; }

const std::string& KernelRegistry::help(std::string_view name) const { return entry(name).help; }

std::vector<std::string> KernelRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : kernels_) out.push_back(name);
  return out;
}

}  // namespace kernbench::rt
