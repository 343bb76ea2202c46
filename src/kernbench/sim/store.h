// A FIFO queue of items with a capacity: put blocks while full, get blocks while empty, and
// blocked parties are served in arrival order. IPCQ queues and request buffers build on it.
#pragma once

#include <cstddef>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/sim/process.h"
#include "kernbench/sim/waitable.h"

namespace kernbench::sim {

template <class T>
class Store {
 public:
  static constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

  /// A store named `name` (shown in deadlock reports) holding at most `capacity` >= 1 items.
  explicit Store(std::string name, std::size_t capacity = kUnbounded)
      : name_(std::move(name)), capacity_(capacity) {
    KB_ASSERT(capacity >= 1, "a store needs room for one item");
  }
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  /// Parties still blocked (a daemon's server loop) must not touch the store when their process
  /// is unwound later: mark them served.
  ~Store() {
    for (Putter* p : putters_) p->served = true;
    for (Getter* g : getters_) g->served = true;
  }

  /// Blocks `p` while the store is full (or earlier putters wait), then adds `item`.
  void put(Process& p, T item) {
    if (try_put(item)) return;
    Putter me{&p, std::move(item), false};
    putters_.push_back(&me);
    WaitListGuard<Putter> guard{putters_, &me};
    p.suspend(put_reason_);
  }
  /// Blocks `p` while the store is empty (or earlier getters wait), then takes the oldest item.
  T get(Process& p) {
    if (getters_.empty() && !items_.empty()) return take_front();
    Getter me{&p, std::nullopt, false};
    getters_.push_back(&me);
    WaitListGuard<Getter> guard{getters_, &me};
    p.suspend(get_reason_);
    return std::move(*me.item);
  }
  /// Adds `item` without blocking (also from plain event handlers); false when full.
  bool try_put(T& item) {
    if (!putters_.empty()) return false;  // FIFO: blocked putters go first
    if (!getters_.empty()) {
      hand_to_getter(std::move(item));
      return true;
    }
    if (items_.size() >= capacity_) return false;
    items_.push_back(std::move(item));
    return true;
  }
  /// Takes the oldest item without blocking; empty when there is none.
  std::optional<T> try_get() {
    if (items_.empty()) return std::nullopt;
    return take_front();
  }

  /// Items held now.
  std::size_t size() const { return items_.size(); }
  /// The capacity given at construction.
  std::size_t capacity() const { return capacity_; }
  /// The name given at construction.
  const std::string& name() const { return name_; }

 private:
  struct Putter {
    Process* process;
    T item;
    bool served = false;
  };
  struct Getter {
    Process* process;
    std::optional<T> item;
    bool served = false;
  };
  // Drops a blocked party's entry if its process is torn down while waiting (normally the entry
  // was already removed by whoever woke it).
  template <class Node>
  struct WaitListGuard {
    std::deque<Node*>& list;
    Node* node;
    ~WaitListGuard() {
      if (node->served) return;
      for (auto it = list.begin(); it != list.end(); ++it)
        if (*it == node) {
          list.erase(it);
          return;
        }
    }
  };
  class Reason final : public BlockReason {
   public:
    Reason(const Store& s, bool put) : s_(s), put_(put) {}
    std::string describe() const override {
      return fmt::format("store '{}' ({}, {})", s_.name_, put_ ? "put" : "get",
                         put_ ? "full" : "empty");
    }

   private:
    const Store& s_;
    bool put_;
  };

  T take_front() {
    T item = std::move(items_.front());
    items_.pop_front();
    // Room appeared: the oldest blocked putter's item moves in and that putter resumes.
    if (!putters_.empty()) {
      Putter* next = putters_.front();
      putters_.pop_front();
      items_.push_back(std::move(next->item));
      next->served = true;
      next->process->wake();
    }
    return item;
  }
  void hand_to_getter(T item) {
    Getter* next = getters_.front();
    getters_.pop_front();
    next->item.emplace(std::move(item));
    next->served = true;
    next->process->wake();
  }

  std::string name_;
  std::size_t capacity_;
  std::deque<T> items_;
  std::deque<Putter*> putters_;  // entries live on the blocked processes' stacks
  std::deque<Getter*> getters_;
  Reason put_reason_{*this, true};
  Reason get_reason_{*this, false};
};

}  // namespace kernbench::sim
