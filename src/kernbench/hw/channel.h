// One pipeline stage of the fabric: a link in one direction, or a memory's port. A channel serves
// one chunk at a time for size / bandwidth and hands it on after its latency into a buffer at its
// receiving end (`buffer()` bytes per lane: traffic class x virtual channel), from which the next
// stage takes it. What a channel holds is the same under both fabric models: its parameters, what
// it has served, and its busy runs for traces; how chunks or flows are scheduled on it belongs to
// the model (chunk_model.h, flow_model.h), which keeps its own state per channel index.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "kernbench/base/units.h"
#include "kernbench/sim/trace_sink.h"

namespace kernbench::hw {

using base::Bandwidth;
using base::Bytes;
using base::SimTime;

/// Which class a transfer travels in: control (IPCQ descriptors and credits, request commands and
/// acks) has buffers of its own and is served ahead of data, so it never waits behind megabytes.
enum class TrafficClass : std::uint8_t { data, control };

/// What a channel models, for reports ("bound by: HBM slice ...") and trace grouping.
enum class ChannelKind : std::uint8_t {
  pe_port,
  corner_link,
  mesh_link,
  sip_link,
  host_link,
  memory
};

/// The buffer a link of `bandwidth` and `latency` needs so that a lone stream of `chunk`-sized
/// chunks runs at full rate: one chunk in service plus the chunks sent while a credit makes its
/// round trip (2 x latency), in whole chunks. A credit returns when its chunk starts to leave the
/// buffer, so 1 + ceil(2 latency / service) chunks keep the link busy.
Bytes link_buffer(Bandwidth bandwidth, SimTime latency, Bytes chunk);

class alignas(64) Channel {
 public:
  /// `track` is its trace track ("sip0/cube5/mesh.x+", hw/trace_track.h); the bandwidth must be
  /// positive; `buffer` bytes per lane at its receiving end; `index` is its place in the fabric.
  Channel(ChannelKind kind, sim::TraceTrack track, Bandwidth bandwidth, SimTime latency,
          Bytes buffer, std::uint32_t index);
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  /// transfer_time(size, bandwidth), kept for the last two sizes asked (chunks mostly have one
  /// size; a 64-byte descriptor comes in between).
  SimTime service_time(Bytes size) {
    if (size != memo_.size) [[unlikely]]
      remember_service(size);
    return memo_.service;
  }

  /// Records `chunks` chunks of `size`, each served for `service`: their bytes and busy time.
  /// The chunk model keeps these counts and the busy run in its own state of the channel, which
  /// every chunk it serves reads anyway, and records them here through PendingFlows.
  void record_chunks(std::uint64_t chunks, Bytes size, SimTime service) {
    busy_time_ += service * static_cast<std::int64_t>(chunks);
    bytes_ += size * chunks;
    chunks_ += chunks;
  }
  /// The current busy run, [run_start, run_end) (run_end open while flows cross), and setting it
  /// (a model that keeps it itself, before it is read or flushed).
  SimTime run_start() const { return run_start_; }
  SimTime run_end() const { return run_end_; }
  void set_run(SimTime start, SimTime end) {
    run_start_ = start;
    run_end_ = end;
  }
  /// A busy run [start, end) is over: records it in `sink`'s trace, if any and not empty.
  void trace_run(SimTime start, SimTime end, sim::TraceSink* sink);
  /// Records whole transfers passing as flows: their bytes and their busy time (the trace's busy
  /// runs come from flow_busy / flow_idle).
  void record_flows(Bytes size, std::uint64_t transfers) {
    flow_bytes_ += size;
    bytes_ += size;
    chunks_ += transfers;
  }
  /// Holds a model's counts not yet recorded here (the flow model keeps them per route, so a
  /// transfer touches no channel; the chunk model per port, with the busy run); the counters below
  /// and flush_trace ask it to record them first.
  class PendingFlows {
   public:
    virtual void record_pending() const = 0;

   protected:
    ~PendingFlows() = default;
  };
  /// `pending` (or null) records its counts before this channel's counters are read.
  void set_pending_flows(const PendingFlows* pending) { pending_ = pending; }
  const PendingFlows* pending_flows() const { return pending_; }
  /// Flows cross the channel from `now` on (a busy run starts unless one is open).
  void flow_busy(SimTime now, sim::TraceSink* sink) {
    if (now > run_end_) start_run(now, sink);
    run_end_ = kOpen;
  }
  /// The last flow left the channel at `now`.
  void flow_idle(SimTime now) { run_end_ = now; }

  /// Closes the current busy run in the trace (call once at the end of a run; a model that keeps
  /// the run itself takes it back from here after, see run_start).
  void flush_trace(sim::TraceSink* sink);

  ChannelKind kind() const { return kind_; }
  /// Its trace track's name.
  const std::string& track() const { return track_.name(); }
  Bandwidth bandwidth() const { return bandwidth_; }
  SimTime latency() const { return latency_; }
  /// Bytes of buffer per lane at the receiving end.
  Bytes buffer() const { return buffer_; }
  /// The channel's place in Fabric::channels() (models index their per-channel state by it).
  std::uint32_t index() const { return index_; }
  /// Total time spent serving (utilization = busy_time / elapsed).
  SimTime busy_time() const {
    record_pending();
    return busy_time_ + base::transfer_time(flow_bytes_, bandwidth_);
  }
  /// Bytes served so far.
  Bytes bytes_served() const {
    record_pending();
    return bytes_;
  }
  /// Chunks served so far (flow model: transfers).
  std::uint64_t chunks_served() const {
    record_pending();
    return chunks_;
  }

 private:
  static constexpr SimTime kOpen = SimTime::max();
  void start_run(SimTime start, sim::TraceSink* sink);
  void record_pending() const {
    if (pending_ != nullptr) pending_->record_pending();
  }
  void remember_service(Bytes size);

  struct Memo {
    Bytes size;       // zero at first, whose service is zero
    SimTime service;  // transfer_time(size, bandwidth_)
  };
  // What a served chunk or flow reads and writes, in the first cache line: the service memo, the
  // busy run and the counters (the chunk model keeps its own and records them here).
  Memo memo_;          // the last size asked
  SimTime run_start_;  // the current busy run: [run_start_, run_end_) (kOpen while flows cross)
  SimTime run_end_;
  SimTime busy_time_;
  Bytes bytes_;
  std::uint64_t chunks_ = 0;
  Memo memo_before_;  // the size asked before it
  ChannelKind kind_;
  std::uint32_t index_;
  sim::TraceTrack track_;
  Bandwidth bandwidth_;
  SimTime latency_;
  Bytes buffer_;
  Bytes flow_bytes_;  // bytes of the flow model's transfers
  const PendingFlows* pending_ = nullptr;
};

}  // namespace kernbench::hw
