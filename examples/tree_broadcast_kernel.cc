// A binary-tree broadcast written as a kernel with the IPCQ primitives, on the tree_binary_7 plan
// (7 PEs of cube 0; rank r's parent is (r-1)/2, its children 2r+1 and 2r+2), from rank 0: each
// rank takes every chunk from its parent (landing in place) and passes it to its children at once,
// so the chunks pipeline down the tree. Checked against the root's data and timed against the
// built-in broadcast of the same plan.
// Run: build/examples/tree_broadcast_kernel [key=value ...]
#include "collective_kernel_harness.h"

using namespace kernbench;
using namespace kernbench::tl;

void tree_broadcast(Program& p) {
  const Ipcq q(p);
  const Tile x = p.pointer(0);
  const std::int64_t count = p.tensor(0).numel(), chunk = q.slot_bytes() / 4;
  q.expose(0, x, count);  // where the parent's chunks land
  std::vector<Peer> children;
  for (const Peer& peer : q.peers())
    if (peer.role.starts_with("child")) children.push_back(peer);
  const bool root = !q.has("parent");
  const Peer parent = root ? Peer{} : q.peer("parent");
  for (std::int64_t at = 0; at < count; at += chunk) {
    const std::int64_t len = std::min(chunk, count - at);
    const auto tag = static_cast<std::uint64_t>(at);
    if (!root) recv_into(parent, x, at, len, {.tag = tag});
    for (const Peer& child : children)
      send(child, x, at, len, {.tag = tag, .to = in_window(0, at)});
  }
}

int main(int argc, char** argv) {  // arguments: topology overrides, key=value
  constexpr int kRanks = 7;
  constexpr std::int64_t kCount = 1 << 18;  // 1 MiB of f32 per rank
  examples::CollectiveCase c{"tree_binary_7", kRanks, {}, {}, {}, tree_broadcast};
  for (int r = 0; r < kRanks; ++r) {
    c.data.emplace_back(kCount);
    for (std::int64_t i = 0; i < kCount; ++i) c.data[r][i] = float((r + 1) * (i % 17) - r);
  }
  c.expect.assign(kRanks, c.data[0]);
  c.builtin = [](ccl::RankContext& ctx, rt::Tensor& t) { ctx.broadcast(t, 0); };
  return examples::compare("tree broadcast kernel", c, {argv + 1, argv + argc});
}
