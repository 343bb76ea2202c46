// A ring all-reduce written as a kernel with the IPCQ primitives, on the ring_tcm_8 plan (the 8
// PEs of cube 0), checked against the host's sum and timed against the built-in ring.
// Step t (0 .. 2p-3) receives segment r-t-2 from ring.prev, chunk by chunk: reduce-scatter steps
// reduce it into memory, all-gather steps land it in place; all but the last step forward it to
// ring.next once it is there.
// Run: build/examples/ring_all_reduce_kernel [system.fabric_model=flows ...] [ranks=64 count=...]
#include "collective_kernel_harness.h"

using namespace kernbench;
using namespace kernbench::tl;

void ring_all_reduce(Program& p) {
  const Ipcq q(p);
  const Peer next = q.peer("ring.next"), prev = q.peer("ring.prev");
  const int n = q.world_size(), r = q.rank();
  const Tile x = p.pointer(0);
  const std::int64_t count = p.tensor(0).numel(), chunk = q.slot_bytes() / 4;
  q.expose(0, x, count);  // where all-gather chunks land
  const auto begin = [&](int s) { return count * (((s % n) + n) % n) / n; };
  const auto end = [&](int s) { return count * (((s % n) + n) % n + 1) / n; };
  const auto tag = [](int step, std::int64_t at) {
    return std::uint64_t(step) << 40 | std::uint64_t(at);
  };
  for (std::int64_t at = begin(r - 1); at < end(r - 1); at += chunk)
    send(next, x, at, std::min(chunk, end(r - 1) - at), {.tag = tag(0, at)});
  // As many receives as step t brings chunks; each takes whichever chunk comes first (its tag
  // says which), so no chunk waits behind a later one holding the queue's credits.
  for (int t = 0; t < 2 * n - 2; ++t)
    for (std::int64_t i = begin(r - t - 2); i < end(r - t - 2); i += chunk) {
      const Message m = recv(prev);
      const int step = int(m.tag() >> 40);
      const std::int64_t at = std::int64_t(m.tag() & ((1ull << 40) - 1)), len = m.bytes() / 4;
      Pending reduced;
      if (step < n - 1)
        reduced = reduce_into(m, x, at, len, base::CombineOp::sum);
      else
        copy_into(m, x, at, len);  // all-gather: landed in place, through window 0
      if (step + 1 < 2 * n - 2)
        send(next, x, at, len,
             {.tag = tag(step + 1, at),
              .to = step + 1 >= n - 1 ? in_window(0, at) : Landing{},
              .after = reduced});
    }
}

int main(int argc, char** argv) {  // topology overrides key=value; ranks=N count=N: a larger ring
  const examples::Args a = examples::parse_args(argc, argv, 8, 1 << 18);  // 1 MiB f32 per rank
  examples::CollectiveCase c{"ring_tcm_8", a.ranks, {}, {}, {}, ring_all_reduce};
  std::vector<float> sum(a.count, 0.0f);
  for (int r = 0; r < a.ranks; ++r) {  // small integers: exact in f32 in any order
    c.data.emplace_back(a.count);
    for (std::int64_t i = 0; i < a.count; ++i)
      sum[i] += c.data[r][i] = float((r + 1) * (i % 13) - r);
  }
  c.expect.assign(a.ranks, sum);
  c.builtin = [](ccl::RankContext& ctx, rt::Tensor& t) { ctx.all_reduce(t); };
  return examples::compare("ring all_reduce kernel", c, a, "ring");
}
