// IPCQ in the kernel language: a program sends tiles or memory ranges to the neighbours its PE's
// installed table names (by role, resolved once to a Peer), receives them (blocking) into TCM or
// memory, and reads the table (ranks, roles, world size). Every message goes through hw::Ipcq:
// a credit, the data by DMA over the fabric, the descriptor as control traffic, the credit back.
// Sends and reductions into memory run on asynchronously and hand back a Pending.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/base/combine.h"
#include "kernbench/hw/ipcq.h"
#include "kernbench/tl/program.h"
#include "kernbench/tl/tile.h"

namespace kernbench::sim {
class Event;
}

namespace kernbench::tl {

/// An asynchronous IPCQ operation (a send, a reduction into memory): done once it has landed.
/// Empty (default-constructed) counts as done.
class Pending {
 public:
  Pending() = default;
  bool done() const;
  /// Blocks the program until done.
  void wait(Program& program) const;
  /// The event it triggers (null when empty).
  sim::Event* event() const { return state_.get(); }
  /// Makes a new, not yet done one (for the ops).
  static Pending make(std::string name);

 private:
  std::shared_ptr<sim::Event> state_;
};

/// A neighbour in the table, as resolved once by Ipcq::peer.
struct Peer {
  Program* program = nullptr;
  int slot = -1;
  int rank = -1;
  std::string role;
  topo::PeCoord pe;
};

/// Where a send lands in the receiver: a slot of its receive buffer (the default), or an element
/// offset into a window the receiver exposed (Ipcq::expose), so the data needs no second copy.
struct Landing {
  int window = -1;  // -1: a receive slot
  std::int64_t offset = 0;
};
inline Landing in_window(int window, std::int64_t element_offset) {
  return {window, element_offset};
}

struct SendOptions {
  std::uint64_t tag = 0;  // what the receiver matches
  int channel = 0;
  Landing to{};
  Pending after{};  // the send leaves once this is done (a reduction of the data it sends)
};

struct RecvOptions {
  std::optional<std::uint64_t> tag{};  // none: the oldest message
  int channel = 0;
};

/// The program's view of its PE's IPCQ table.
class Ipcq {
 public:
  explicit Ipcq(Program& program);

  int rank() const { return hw_.rank(); }
  int world_size() const { return hw_.world_size(); }
  /// The size of one receive slot (what one message may carry without a window).
  std::int64_t slot_bytes() const {
    return static_cast<std::int64_t>(hw_.table().slot_size.count());
  }
  /// The neighbour holding `role`; NotFoundError naming the PE and listing the roles it has.
  Peer peer(std::string_view role) const;
  /// True when the table has `role`.
  bool has(std::string_view role) const { return hw_.slot(role) >= 0; }
  /// Every neighbour, in slot order.
  std::vector<Peer> peers() const;
  /// Lets neighbours send into `count` elements from the scalar pointer `ptr` as window `window`.
  void expose(int window, const Tile& ptr, std::int64_t count) const;

 private:
  Program& program_;
  hw::Ipcq& hw_;
};

/// Sends `tile` (held in this PE's TCM) to `to`.
Pending send(const Peer& to, const Tile& tile, const SendOptions& options = {});
/// Sends `count` elements from `ptr` + `offset` (a scalar pointer and an element offset) to `to`.
Pending send(const Peer& to, const Tile& ptr, std::int64_t offset, std::int64_t count,
             const SendOptions& options = {});

/// A received message not consumed yet: who sent it, its tag and size. It holds its queue's
/// credit (and receive slot) until one of to_tile, copy_into, reduce_into consumes it.
struct Message {
  Program* program = nullptr;
  hw::IpcqMessage raw;
  std::uint64_t tag() const { return raw.descriptor[0]; }
  std::int64_t bytes() const { return static_cast<std::int64_t>(raw.size.count()); }
};

/// Blocks until a message from `from` (with `options.tag`, if given) is there, and takes it.
/// Taking any tag and dispatching on it processes messages as they arrive; waiting for one tag
/// while messages of others fill the queue's credits deadlocks (use a channel per phase then).
Message recv(const Peer& from, const RecvOptions& options = {});
/// Moves the message into a new tile of `shape` in TCM (blocking) and consumes it.
Tile to_tile(const Message& message, base::DType dtype, Shape shape);
/// Puts its elements at `ptr` + `offset` (a blocking copy, or nothing when it landed there through
/// a window) and consumes it.
void copy_into(const Message& message, const Tile& ptr, std::int64_t offset, std::int64_t count);
/// Combines it into `count` elements at `ptr` + `offset` with `op` on this PE's vector unit (both
/// operands read from memory, the result written back), asynchronously: the Pending is done, and
/// the message consumed, when the result is in memory.
Pending reduce_into(const Message& message, const Tile& ptr, std::int64_t offset,
                    std::int64_t count, base::CombineOp op);

/// recv then to_tile: a tile of `shape` from `from`, in TCM.
Tile recv(const Peer& from, base::DType dtype, Shape shape, const RecvOptions& options = {});
/// recv then copy_into.
void recv_into(const Peer& from, const Tile& ptr, std::int64_t offset, std::int64_t count,
               const RecvOptions& options = {});
/// recv then reduce_into.
Pending recv_reduce(const Peer& from, const Tile& ptr, std::int64_t offset, std::int64_t count,
                    base::CombineOp op, const RecvOptions& options = {});

}  // namespace kernbench::tl
