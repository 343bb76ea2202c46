#include "kernbench/sim/waitable.h"

#include "kernbench/base/assert.h"

namespace kernbench::sim {

Waitable::~Waitable() {
  // Unlink survivors so their owners never touch freed memory through prev/next.
  while (head_ != nullptr) unsubscribe(*head_);
}

void Waitable::subscribe(Waiter& w) {
  KB_ASSERT(!w.linked, "waiter subscribed twice");
  w.prev = tail_;
  w.next = nullptr;
  w.linked = true;
  if (tail_ != nullptr)
    tail_->next = &w;
  else
    head_ = &w;
  tail_ = &w;
}

void Waitable::unsubscribe(Waiter& w) {
  if (!w.linked) return;
  if (w.prev != nullptr)
    w.prev->next = w.next;
  else
    head_ = w.next;
  if (w.next != nullptr)
    w.next->prev = w.prev;
  else
    tail_ = w.prev;
  w.prev = w.next = nullptr;
  w.linked = false;
}

void Waitable::notify_all() {
  // Pop from the head up to the current tail: parties that subscribe while being notified (a
  // re-armed event) join after `last` and wait for the next time; a waiter unsubscribed by an
  // earlier notify is simply gone from the list.
  Waiter* last = tail_;
  while (head_ != nullptr) {
    Waiter* w = head_;
    unsubscribe(*w);
    w->notify(*w);
    if (w == last) break;
  }
}

}  // namespace kernbench::sim
