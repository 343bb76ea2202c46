// What a process can block on: the Waitable interface (level-triggered "ready" plus a FIFO list of
// waiters to notify) and BlockReason, the description a deadlock report prints.
#pragma once

#include <string>

namespace kernbench::sim {

/// Anything a process can be blocked on, able to say what it is for error reports.
class BlockReason {
 public:
  /// e.g. "event 'ipcq(0,1,2).rx'", "store 'q' (get, empty)".
  virtual std::string describe() const = 0;

 protected:
  ~BlockReason() = default;
};

/// A node in a Waitable's intrusive waiter list; lives in the waiting party (often on a fiber
/// stack), so subscribing allocates nothing.
struct Waiter {
  void (*notify)(Waiter& self) = nullptr;
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
  bool linked = false;
};

/// Something that becomes ready once (or again after a reset): an event, a process's completion.
class Waitable : public BlockReason {
 public:
  Waitable() = default;
  Waitable(const Waitable&) = delete;
  Waitable& operator=(const Waitable&) = delete;

  /// True when a wait would return at once.
  virtual bool ready() const = 0;
  /// Adds w at the tail; w.notify runs (once, w already unlinked) when this becomes ready.
  void subscribe(Waiter& w);
  /// Removes w if still subscribed.
  void unsubscribe(Waiter& w);
  /// True when someone waits.
  bool has_waiters() const { return head_ != nullptr; }

 protected:
  ~Waitable();
  /// Notifies every current waiter in subscription order.
  void notify_all();

 private:
  Waiter* head_ = nullptr;
  Waiter* tail_ = nullptr;
};

}  // namespace kernbench::sim
