// MSCCL: a file's thread blocks are run once, symbolically, in an order their sends, receives
// and dependencies allow; every value that lands in a rank's data becomes one ScheduleOp from the
// rank that sent it. The op's step is the sequence number of the send, so the executor makes it
// wait for exactly what its sender had received before sending (the MSCCL program's data flow).
#include "kernbench/ccl/msccl_algorithm.h"

#include <deque>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/ccl/detail/plan_groups.h"

namespace kernbench::ccl {
namespace {

// A value on its way: chunk `chunk` of rank `from`'s data as it was when step `step` sent it.
struct Sent {
  int from = 0;
  int chunk = 0;
  int step = 0;
  int channel = 0;  // the sending thread block's `chan`
};

// A message on a connection: its chunks and the line of the step that sent it.
struct Message {
  std::vector<Sent> chunks;
  int line = 0;
};

// A scratch chunk holding a received value until a local reduce or copy takes it into the data.
struct Held {
  Sent value;
  int line = 0;  // of the receive
  bool set = false, read = false;
};

class Translator {
 public:
  Translator(const MscclProgram& p, std::uint64_t count) : p_(p) {
    const auto n = static_cast<std::uint64_t>(p.chunks_per_loop);
    if (count % n != 0)
      throw base::ShapeError(
          fmt::format("{}: {} elements per rank do not split into nchunksperloop={} equal chunks",
                      p.source, count, n));
    unit_ = count / n;
    for (const MscclGpu& g : p.gpus_by_id) {
      held_.emplace_back(static_cast<std::size_t>(g.scratch_chunks));
      next_.emplace_back(g.blocks.size(), 0);
      changed_by_rrs_.emplace_back();
    }
  }

  Schedule run() {
    for (bool progress = true; progress;) {
      progress = false;
      for (const MscclGpu& g : p_.gpus_by_id)
        for (std::size_t b = 0; b < g.blocks.size(); ++b)
          while (ready(g, b)) {
            execute(g, g.blocks[b], g.blocks[b].steps[next_[gi(g)][b]]);
            ++next_[gi(g)][b];
            progress = true;
          }
    }
    report_stuck();
    for (std::size_t g = 0; g < held_.size(); ++g)
      for (std::size_t c = 0; c < held_[g].size(); ++c)
        if (held_[g][c].set && !held_[g][c].read)
          fail(held_[g][c].line,
               fmt::format("gpu {} receives into scratch chunk {}, which no step reads", g, c));
    return std::move(out_);
  }

 private:
  static std::size_t gi(const MscclGpu& g) { return static_cast<std::size_t>(g.id); }

  [[noreturn]] void fail(int line, const std::string& what) const {
    throw base::ConfigError({fmt::format("{}: {}", p_.at(line), what)});
  }
  [[noreturn]] void unsupported(const MscclGpu& g, const MscclStep& s,
                                std::string_view what) const {
    fail(s.line, fmt::format("gpu {} step {} ({}): {} (not supported: see docs/collectives.md, "
                             "MSCCL)",
                             g.id, s.index, name(s.type), what));
  }

  std::deque<Message>& link(int from, int to, int channel) { return links_[{from, to, channel}]; }

  bool ready(const MscclGpu& g, std::size_t b) {
    const MscclThreadBlock& tb = g.blocks[b];
    const std::size_t at = next_[gi(g)][b];
    if (at == tb.steps.size()) return false;
    const MscclStep& s = tb.steps[at];
    if (s.dep_block >= 0 &&
        next_[gi(g)][index_of(g, s.dep_block)] <= static_cast<std::size_t>(s.dep_step))
      return false;
    return !receives(s.type) || !link(tb.recv, g.id, tb.channel).empty();
  }

  static std::size_t index_of(const MscclGpu& g, int block_id) {
    for (std::size_t i = 0; i < g.blocks.size(); ++i)
      if (g.blocks[i].id == block_id) return i;
    return 0;  // read_msccl_file checked every dependency names a block of the gpu
  }

  // The first step that never ran, and what it waits for.
  void report_stuck() {
    for (const MscclGpu& g : p_.gpus_by_id)
      for (std::size_t b = 0; b < g.blocks.size(); ++b) {
        const MscclThreadBlock& tb = g.blocks[b];
        if (next_[gi(g)][b] == tb.steps.size()) continue;
        const MscclStep& s = tb.steps[next_[gi(g)][b]];
        const std::string waits =
            s.dep_block >= 0 &&
                    next_[gi(g)][index_of(g, s.dep_block)] <= static_cast<std::size_t>(s.dep_step)
                ? fmt::format("step {} of tb {}", s.dep_step, s.dep_block)
                : fmt::format("a message from gpu {} on channel {} that no step sends", tb.recv,
                              tb.channel);
        fail(s.line, fmt::format("gpu {} tb {} step {} ({}) can never run: it waits for {}", g.id,
                                 tb.id, s.index, name(s.type), waits));
      }
  }

  // The chunk of the rank's data that chunk `c` of `buffer` is (scratch: -1). Every collective runs
  // in place: an all-gather's input is the rank's part of its output, a reduce-scatter's output
  // the rank's part of its input.
  int data_chunk(const MscclGpu& g, MscclBuffer buffer, int c) const {
    if (buffer == MscclBuffer::scratch) return -1;
    if (p_.collective == "allgather" && buffer == MscclBuffer::input)
      return g.id * g.input_chunks + c;
    if (p_.collective == "reducescatter" && buffer == MscclBuffer::output)
      return g.id * g.output_chunks + c;
    return c;
  }

  void emit(const Sent& v, int to, int chunk, bool reduce) {
    out_.ops.push_back(
        ScheduleOp{v.from, to, v.step, 0, false, static_cast<std::uint64_t>(v.chunk) * unit_,
                   static_cast<std::uint64_t>(chunk) * unit_, unit_, reduce, v.channel});
  }

  // rrs leaves the sum it sends in its source chunk (the executor reduces into memory): a step
  // that reads that chunk before something overwrites it would read the sum, not the old value.
  void written(const MscclGpu& g, int chunk, bool by_rrs) {
    auto& c = changed_by_rrs_[gi(g)];
    if (by_rrs)
      c.insert(chunk);
    else
      c.erase(chunk);
  }
  void read_data(const MscclGpu& g, const MscclStep& s, int chunk) {
    const auto& c = changed_by_rrs_[gi(g)];
    if (c.count(chunk) != 0)
      unsupported(g, s,
                  fmt::format("reads chunk {} of the data, which an earlier rrs left holding its "
                              "sum (the executor reduces into memory)",
                              chunk));
  }

  Held& held(const MscclGpu& g, int c) { return held_[gi(g)][static_cast<std::size_t>(c)]; }

  // A received value lands in chunk `c` of `buffer`.
  void land(const MscclGpu& g, const MscclStep& s, MscclBuffer buffer, int c, const Sent& v,
            bool reduce) {
    const int chunk = data_chunk(g, buffer, c);
    if (chunk >= 0) {
      if (reduce) read_data(g, s, chunk);
      written(g, chunk, s.type == MscclStepType::rrs);
      return emit(v, g.id, chunk, reduce);
    }
    if (reduce) unsupported(g, s, "reduces a received chunk into scratch");
    Held& h = held(g, c);
    if (h.set && !h.read)
      fail(s.line, fmt::format("gpu {} receives into scratch chunk {} before any step read what "
                               "landed there at line {}",
                               g.id, c, h.line));
    h = {v, s.line, true, false};
  }

  // The value a local reduce or copy takes from chunk `c` of `buffer`, which must be a scratch
  // chunk holding a received value.
  Sent take(const MscclGpu& g, const MscclStep& s, int c) {
    Held& h = held(g, c);
    if (!h.set)
      fail(s.line,
           fmt::format("gpu {} reads scratch chunk {} before anything lands there", g.id, c));
    if (h.read) unsupported(g, s, fmt::format("reads scratch chunk {} a second time", c));
    h.read = true;
    return h.value;
  }

  void execute(const MscclGpu& g, const MscclThreadBlock& tb, const MscclStep& s) {
    const int seq = ++sequence_;
    const MscclStepType t = s.type;
    const bool reduce =
        t == MscclStepType::rrs || t == MscclStepType::rrc || t == MscclStepType::rrcs;
    if (receives(t)) receive(g, tb, s, reduce);
    if (t == MscclStepType::re || t == MscclStepType::cpy) local(g, s, seq);
    if (!sends(t)) return;
    // What leaves: the source of s and rrs (rrs reduced into it), the received chunk otherwise.
    const bool from_src = t == MscclStepType::s || t == MscclStepType::rrs;
    const MscclBuffer buffer = from_src ? s.src_buffer : s.dst_buffer;
    const int offset = from_src ? s.src_offset : s.dst_offset;
    Message m{{}, s.line};
    for (int k = 0; k < s.count; ++k) {
      const int chunk = data_chunk(g, buffer, offset + k);
      if (chunk < 0) unsupported(g, s, "sends a scratch chunk");
      if (t != MscclStepType::rrs) read_data(g, s, chunk);
      m.chunks.push_back({g.id, chunk, seq, tb.channel});
    }
    link(g.id, tb.send, tb.channel).push_back(std::move(m));
  }

  void receive(const MscclGpu& g, const MscclThreadBlock& tb, const MscclStep& s, bool reduce) {
    auto& queue = link(tb.recv, g.id, tb.channel);
    const Message m = std::move(queue.front());
    queue.pop_front();
    if (static_cast<int>(m.chunks.size()) != s.count)
      fail(s.line, fmt::format("gpu {} step {} receives cnt={} from gpu {}, but the matching send "
                               "(line {}) sends {}",
                               g.id, s.index, s.count, tb.recv, m.line, m.chunks.size()));
    // rrs reduces into its source; rrc and rrcs into their destination, which must be the same
    // data as their source (the executor adds a received chunk to what is there).
    const bool into_src = s.type == MscclStepType::rrs;
    const MscclBuffer buffer = into_src ? s.src_buffer : s.dst_buffer;
    const int offset = into_src ? s.src_offset : s.dst_offset;
    if (reduce && !into_src &&
        (data_chunk(g, s.src_buffer, s.src_offset) != data_chunk(g, s.dst_buffer, s.dst_offset) ||
         s.src_buffer == MscclBuffer::scratch))
      unsupported(g, s, "reduces with a source other than its destination");
    for (int k = 0; k < s.count; ++k)
      land(g, s, buffer, offset + k, m.chunks[static_cast<std::size_t>(k)], reduce);
  }

  // re: destination += a received value held in scratch; cpy: a received value from scratch into
  // the data, or a chunk of the data to another (a local copy; none when both are the same).
  void local(const MscclGpu& g, const MscclStep& s, int seq) {
    const bool reduce = s.type == MscclStepType::re;
    for (int k = 0; k < s.count; ++k) {
      const int to = data_chunk(g, s.dst_buffer, s.dst_offset + k);
      if (to < 0) unsupported(g, s, "writes into scratch");
      const int from = data_chunk(g, s.src_buffer, s.src_offset + k);
      if (from >= 0 && reduce) unsupported(g, s, "reduces a chunk of the data (not scratch)");
      if (reduce) read_data(g, s, to);
      if (from < 0) {
        emit(take(g, s, s.src_offset + k), g.id, to, reduce);
      } else if (from != to) {
        read_data(g, s, from);
        emit({g.id, from, seq}, g.id, to, false);
      }
      if (!reduce) written(g, to, false);
    }
  }

  const MscclProgram& p_;
  std::uint64_t unit_ = 0;
  Schedule out_;
  int sequence_ = 0;
  std::map<std::tuple<int, int, int>, std::deque<Message>> links_;  // (from, to, channel)
  std::vector<std::vector<Held>> held_;                             // per gpu, per scratch chunk
  std::vector<std::vector<std::size_t>> next_;                      // per gpu, per thread block
  std::vector<std::set<int>> changed_by_rrs_;  // per gpu: data chunks an rrs reduced into
};

class MscclAlgorithm final : public CollectiveAlgorithm {
 public:
  MscclAlgorithm(std::string kind, MscclProgram program)
      : kind_(std::move(kind)),
        program_(std::move(program)),
        summary_(fmt::format("msccl: {} from {} ({}, {} gpus, nchunksperloop {})",
                             program_.name.empty() ? "(unnamed)" : program_.name, program_.source,
                             program_.collective, program_.gpus, program_.chunks_per_loop)) {}

  std::string_view kind() const override { return kind_; }
  std::string_view summary() const override { return summary_; }

  // One slot per peer and `chan` a thread block sends to or receives from on, named after the
  // first such thread block ("tb2.send"): the IPCQ queues of the run, one per (peer, chan) each
  // way.
  std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry& e, const topo::TopologySpec&,
      const std::vector<topo::PeCoord>& ranks) const override {
    if (static_cast<int>(ranks.size()) != program_.gpus)
      throw base::ConfigError(
          {fmt::format("{}: algorithms.{}: {} ranks, but {} is for ngpus={}", e.origin, e.name,
                       ranks.size(), program_.source, program_.gpus)});
    std::vector<std::vector<NeighborSlot>> tables(ranks.size());
    for (const MscclGpu& g : program_.gpus_by_id) {
      auto& t = tables[static_cast<std::size_t>(g.id)];
      std::set<std::pair<int, int>> known;  // (peer, chan)
      for (const MscclThreadBlock& b : g.blocks)
        for (const auto& [peer, role] : {std::pair{b.send, "send"}, std::pair{b.recv, "recv"}})
          if (peer >= 0 && known.insert({peer, b.channel}).second)
            t.push_back({fmt::format("tb{}.{}", b.id, role), peer});
    }
    return tables;
  }

  Schedule schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count,
                    int root) const override {
    if (op == msccl_collective(program_)) return msccl_schedule(program_, count);
    if (kind_specific(op))
      throw base::NotFoundError(fmt::format("{} on '{}': {} is an MSCCL {} algorithm", name(op),
                                            plan.entry, program_.source, program_.collective));
    return CollectiveAlgorithm::schedule(plan, op, count, root);
  }

  // As the MSCCL runtime, the file runs for buffers of minBytes to maxBytes (0: no bound); other
  // sizes take the built-in ring over the ranks in rank order, as the runtime falls back to its
  // library's own algorithm.
  Schedule sized_schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count,
                          base::Bytes element_size, int root) const override {
    const std::uint64_t bytes = count * element_size.count();
    const bool in_range =
        bytes >= program_.min_bytes && (program_.max_bytes == 0 || bytes <= program_.max_bytes);
    if (op != msccl_collective(program_) || in_range) return schedule(plan, op, count, root);
    std::vector<int> ring(static_cast<std::size_t>(plan.world_size()));
    std::iota(ring.begin(), ring.end(), 0);
    const std::vector<Range> blocks = detail::blocks(ring, {0, count}, plan.world_size());
    ScheduleBuilder b(plan.world_size());
    if (op != CollectiveOp::all_gather) b.ring_reduce_scatter(ring, blocks);
    if (op != CollectiveOp::reduce_scatter) b.ring_all_gather(ring, blocks);
    return b.take();
  }

 private:
  std::string kind_;
  MscclProgram program_;
  std::string summary_;
};

}  // namespace

CollectiveOp msccl_collective(const MscclProgram& program) {
  if (program.collective == "allgather") return CollectiveOp::all_gather;
  if (program.collective == "reducescatter") return CollectiveOp::reduce_scatter;
  return CollectiveOp::all_reduce;
}

Schedule msccl_schedule(const MscclProgram& program, std::uint64_t count) {
  return Translator(program, count).run();
}

std::unique_ptr<CollectiveAlgorithm> make_msccl_algorithm(std::string kind, MscclProgram program) {
  return std::make_unique<MscclAlgorithm>(std::move(kind), std::move(program));
}

std::unique_ptr<CollectiveAlgorithm> make_msccl_algorithm(std::string kind,
                                                          const std::string& path) {
  return make_msccl_algorithm(std::move(kind), read_msccl_file(path));
}

}  // namespace kernbench::ccl
