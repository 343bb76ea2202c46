// A named signal processes wait on: trigger() releases every waiter; it stays triggered (later
// waits return at once) until reset() re-arms it. Callback-style components subscribe a Waiter.
#pragma once

#include <string>

#include "kernbench/sim/waitable.h"

namespace kernbench::sim {

class Event final : public Waitable {
 public:
  /// A named, untriggered event; the name appears in deadlock reports ("event 'name'").
  explicit Event(std::string name) : name_(std::move(name)) {}

  /// Marks the event triggered and notifies every waiter (no-op if already triggered).
  void trigger();
  /// Re-arms a triggered event so the next wait blocks again.
  void reset() { triggered_ = false; }
  /// True between trigger() and reset().
  bool triggered() const { return triggered_; }
  /// The name given at construction.
  const std::string& name() const { return name_; }

  bool ready() const override { return triggered_; }
  /// "event 'name'".
  std::string describe() const override;

 private:
  std::string name_;
  bool triggered_ = false;
};

}  // namespace kernbench::sim
