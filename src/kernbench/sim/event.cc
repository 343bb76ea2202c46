#include "kernbench/sim/event.h"

#include <fmt/format.h>

namespace kernbench::sim {

void Event::trigger() {
  if (triggered_) return;
  triggered_ = true;
  notify_all();
}

std::string Event::describe() const { return fmt::format("event '{}'", name_); }

}  // namespace kernbench::sim
