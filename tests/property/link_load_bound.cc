#include "link_load_bound.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <deque>
#include <limits>
#include <string>

#include "kernbench/hw/transfer_model.h"

namespace kernbench::property {
namespace {

using Groups = std::vector<std::vector<int>>;

// Elements of part i of `count` split into `parts` (the split every algorithm uses:
// [i*count/parts, (i+1)*count/parts)).
std::uint64_t part(std::uint64_t count, int i, int parts) {
  const auto p = static_cast<std::uint64_t>(parts);
  return count * static_cast<std::uint64_t>(i + 1) / p - count * static_cast<std::uint64_t>(i) / p;
}

int slot_rank(const ccl::InstallPlan& plan, int rank, const std::string& role) {
  const int s = plan.slot(rank, role);
  return s < 0 ? -1 : plan.tables[static_cast<std::size_t>(rank)][static_cast<std::size_t>(s)].rank;
}

// The rings the "<prefix>.next" slots form, each from its smallest rank; ranks without the slot
// are rings of one when `singletons`.
Groups rings(const ccl::InstallPlan& plan, const std::string& prefix, bool singletons) {
  Groups out;
  std::vector<bool> seen(plan.ranks.size(), false);
  for (int r = 0; r < plan.world_size(); ++r) {
    if (seen[static_cast<std::size_t>(r)]) continue;
    if (slot_rank(plan, r, prefix + ".next") < 0) {
      if (singletons) out.push_back({r});
      continue;
    }
    std::vector<int> ring;
    for (int at = r; !seen[static_cast<std::size_t>(at)];
         at = slot_rank(plan, at, prefix + ".next")) {
      seen[static_cast<std::size_t>(at)] = true;
      ring.push_back(at);
    }
    out.push_back(ring);
  }
  return out;
}

// A forest: parent per rank (-1: root or outside), children in order.
struct Tree {
  std::vector<int> parent;
  std::vector<std::vector<int>> children;
  std::vector<int> roots;
  explicit Tree(std::size_t p) : parent(p, -1), children(p) {}
};

// Breadth-first from `root` along the given neighbours (in slot order), into `t`.
void grow(Tree& t, int root, const std::vector<std::vector<int>>& neighbors) {
  std::vector<bool> seen(t.parent.size(), false);
  std::deque<int> queue{root};
  seen[static_cast<std::size_t>(root)] = true;
  while (!queue.empty()) {
    const int r = queue.front();
    queue.pop_front();
    for (const int n : neighbors[static_cast<std::size_t>(r)]) {
      if (seen[static_cast<std::size_t>(n)]) continue;
      seen[static_cast<std::size_t>(n)] = true;
      t.parent[static_cast<std::size_t>(n)] = r;
      t.children[static_cast<std::size_t>(r)].push_back(n);
      queue.push_back(n);
    }
  }
}

// Neighbours through the slots named in `roles` (all slots if empty).
std::vector<std::vector<int>> neighbors(const ccl::InstallPlan& plan,
                                        const std::vector<std::string>& roles = {}) {
  std::vector<std::vector<int>> out(plan.tables.size());
  for (std::size_t r = 0; r < plan.tables.size(); ++r)
    for (const ccl::NeighborSlot& s : plan.tables[r])
      if (roles.empty() || std::find(roles.begin(), roles.end(), s.role) != roles.end())
        out[r].push_back(s.rank);
  return out;
}

// Depth of each member (roots 0).
std::vector<int> depths(const Tree& t) {
  std::vector<int> d(t.parent.size(), 0);
  std::deque<int> queue(t.roots.begin(), t.roots.end());
  while (!queue.empty()) {
    const int r = queue.front();
    queue.pop_front();
    for (const int c : t.children[static_cast<std::size_t>(r)]) {
      d[static_cast<std::size_t>(c)] = d[static_cast<std::size_t>(r)] + 1;
      queue.push_back(c);
    }
  }
  return d;
}

void subtree(const Tree& t, int r, std::vector<int>& out) {
  out.push_back(r);
  for (const int c : t.children[static_cast<std::size_t>(r)]) subtree(t, c, out);
}

// The textbook phases; each appends its sends from step `step` on and returns the next free step.
int ring_phase(std::vector<Send>& out, int step, const std::vector<int>& ring,
               const std::vector<std::uint64_t>& parts, bool reduce) {
  const int m = static_cast<int>(ring.size());
  if (m < 2) return step;
  // Reduce-scatter: part k is reduced along k+1 -> ... -> k, so member i's link to i+1 carries
  // every part but part i; all-gather: part k travels k -> ... -> k-1, every part but part i+1.
  for (int t = 0; t < m - 1; ++t)
    for (int i = 0; i < m; ++i) {
      const int k = ((i - t - (reduce ? 1 : 0)) % m + m) % m;
      out.push_back({ring[static_cast<std::size_t>(i)], ring[static_cast<std::size_t>((i + 1) % m)],
                     step + t, parts[static_cast<std::size_t>(k)], reduce});
    }
  return step + m - 1;
}

// Every member's whole data up the tree (reduced at each parent): one send of `count` per edge.
int tree_up(std::vector<Send>& out, int step, const Tree& t, std::uint64_t count) {
  const std::vector<int> d = depths(t);
  const int deepest = *std::max_element(d.begin(), d.end());
  for (std::size_t r = 0; r < t.parent.size(); ++r)
    if (t.parent[r] >= 0)
      out.push_back({static_cast<int>(r), t.parent[r], step + deepest - d[r], count, true});
  return step + deepest;
}

// The roots' data down the tree: one send of `count` per edge.
int tree_down(std::vector<Send>& out, int step, const Tree& t, std::uint64_t count) {
  const std::vector<int> d = depths(t);
  int deepest = 0;
  for (std::size_t r = 0; r < t.parent.size(); ++r)
    if (t.parent[r] >= 0) {
      out.push_back({t.parent[r], static_cast<int>(r), step + d[r] - 1, count, false});
      deepest = std::max(deepest, d[r]);
    }
  return step + deepest;
}

// Each member's own part (of world parts) to or from the root: an edge carries the parts of the
// subtree below it.
int tree_parts(std::vector<Send>& out, int step, const Tree& t, std::uint64_t count, bool up) {
  const int p = static_cast<int>(t.parent.size());
  const std::vector<int> d = depths(t);
  int deepest = 0;
  for (int r = 0; r < p; ++r) {
    const int parent = t.parent[static_cast<std::size_t>(r)];
    if (parent < 0) continue;
    std::vector<int> below;
    subtree(t, r, below);
    std::uint64_t n = 0;
    for (const int m : below) n += part(count, m, p);
    out.push_back({up ? r : parent, up ? parent : r, step, n, false});
    deepest = std::max(deepest, d[static_cast<std::size_t>(r)]);
  }
  return step + deepest;
}

// The hierarchical algorithm's levels: rings within cubes, across each SIP's mesh, across SIPs.
struct Hierarchy {
  Groups cubes, meshes, sips, top;
  Tree below{0}, whole{0};
};

Hierarchy hierarchy(const ccl::InstallPlan& plan) {
  const auto p = static_cast<std::size_t>(plan.world_size());
  Hierarchy h;
  // A group's leader: its member in a ring of a level above (the first member if none is).
  const auto leader = [&](const std::vector<int>& g, bool mesh_counts) {
    for (const int r : g)
      if (slot_rank(plan, r, "sips.next") >= 0 ||
          (mesh_counts && slot_rank(plan, r, "mesh.next") >= 0))
        return r;
    return g.front();
  };
  h.cubes = rings(plan, "cube", true);
  for (const auto& g : h.cubes)
    if (const int l = leader(g, true); slot_rank(plan, l, "mesh.next") < 0) h.meshes.push_back({l});
  for (auto& g : rings(plan, "mesh", false)) h.meshes.push_back(g);
  std::sort(h.meshes.begin(), h.meshes.end());
  h.sips = rings(plan, "sips", false);
  if (h.sips.empty()) h.sips.push_back({h.meshes.front().front()});
  // A level's tree: breadth-first along its ring from the group's leader, the rank that carries
  // the level's result up (a cube's from its member in the mesh or SIP ring, a mesh's from its
  // member in the SIP ring).
  const auto level = [&](Tree& t, const std::vector<int>& g, const std::string& prefix) {
    if (g.size() < 2) return;
    Tree one(p);
    std::vector<std::vector<int>> adjacency(p);
    for (const int r : g)
      adjacency[static_cast<std::size_t>(r)] = {slot_rank(plan, r, prefix + ".next"),
                                                slot_rank(plan, r, prefix + ".prev")};
    grow(one, prefix == "sips" ? g.front() : leader(g, prefix == "cube"), adjacency);
    for (const int r : g)
      if (const int up = one.parent[static_cast<std::size_t>(r)]; up >= 0) {
        t.parent[static_cast<std::size_t>(r)] = up;
        t.children[static_cast<std::size_t>(up)].push_back(r);
      }
  };
  h.below = Tree(p);
  h.whole = Tree(p);
  h.whole.roots = {h.sips.front().front()};
  for (const auto& g : h.cubes) level(h.whole, g, "cube");
  for (const auto& g : h.meshes) level(h.whole, g, "mesh");
  level(h.whole, h.sips.front(), "sips");
  for (const auto& g : h.cubes) level(h.below, g, "cube");
  if (h.sips.front().size() > 1) {
    for (const auto& g : h.meshes) level(h.below, g, "mesh");
    h.top = h.sips;
  } else if (h.meshes.size() == 1 && h.meshes.front().size() > 1) {
    h.top = h.meshes;
  } else {
    h.below = Tree(p);
    h.top = h.cubes;
  }
  for (const auto& g : h.top) h.below.roots.insert(h.below.roots.end(), g.begin(), g.end());
  return h;
}

std::vector<std::uint64_t> even(std::uint64_t count, int parts) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < parts; ++i) out.push_back(part(count, i, parts));
  return out;
}

// What one of the all_reduce / reduce_scatter / all_gather algorithms sends: `rs` its
// reduce-scatter half, `ag` its all-gather half.
struct Halves {
  std::uint64_t count = 0;
  bool rs = true, ag = true;
};

void ring_traffic(std::vector<Send>& out, const ccl::InstallPlan& plan, Halves h) {
  const std::vector<int> ring = rings(plan, "ring", true).front();
  std::vector<std::uint64_t> parts;
  for (const int r : ring) parts.push_back(part(h.count, r, plan.world_size()));
  int step = 0;
  if (h.rs) step = ring_phase(out, step, ring, parts, true);
  if (h.ag) ring_phase(out, step, ring, parts, false);
}

// Reduce-scatter along the columns' rings over row blocks, then along the rows' rings over each
// member's part; the all-gather the other way round.
void mesh_2d_traffic(std::vector<Send>& out, const ccl::InstallPlan& plan, Halves h) {
  const int p = plan.world_size();
  const auto up = static_cast<std::uint64_t>(p);
  const Groups rows = rings(plan, "row", true), cols = rings(plan, "col", true);
  const int ncols = static_cast<int>(rows.front().size()), nrows = p / ncols;
  std::vector<std::uint64_t> row_blocks;  // row r's members' parts, contiguous (row-major)
  for (int r = 0; r < nrows; ++r)
    row_blocks.push_back(h.count * static_cast<std::uint64_t>((r + 1) * ncols) / up -
                         h.count * static_cast<std::uint64_t>(r * ncols) / up);
  const auto own_parts = [&](const std::vector<int>& g) {
    std::vector<std::uint64_t> v;
    for (const int m : g) v.push_back(part(h.count, m, p));
    return v;
  };
  int step = 0;
  const auto phase = [&](const Groups& groups, bool by_row_block, bool reduce) {
    int next = step;
    for (const auto& g : groups)
      next = std::max(next,
                      ring_phase(out, step, g, by_row_block ? row_blocks : own_parts(g), reduce));
    step = next;
  };
  if (h.rs) {
    phase(cols, true, true);
    phase(rows, false, true);
  }
  if (h.ag) {
    phase(rows, false, false);
    phase(cols, true, false);
  }
}

// Halving: across bit j = k-1 .. 0, each rank sends the half of its region it gives away (2^j
// blocks); doubling: across bit j = 0 .. k-1, the 2^j blocks it holds.
void halving_doubling_traffic(std::vector<Send>& out, const ccl::InstallPlan& plan, Halves h) {
  const int p = plan.world_size();
  const auto up = static_cast<std::uint64_t>(p);
  const int k = std::countr_zero(static_cast<unsigned>(p));
  const auto blocks = [&](int first, int n) {
    return h.count * static_cast<std::uint64_t>(first + n) / up -
           h.count * static_cast<std::uint64_t>(first) / up;
  };
  int step = 0;
  if (h.rs)
    for (int j = k - 1; j >= 0; --j, ++step)
      for (int r = 0; r < p; ++r) {
        const int q = r ^ (1 << j);
        out.push_back({r, q, step,
                       blocks(((r >> (j + 1)) << (j + 1)) + (((q >> j) & 1) << j), 1 << j), true});
      }
  if (h.ag)
    for (int j = 0; j < k; ++j, ++step)
      for (int r = 0; r < p; ++r)
        out.push_back({r, r ^ (1 << j), step, blocks((r >> j) << j, 1 << j), false});
}

// Reduce to the top level's members, a ring all-reduce among them, broadcast back.
void hierarchical_all_reduce_traffic(std::vector<Send>& out, const ccl::InstallPlan& plan,
                                     std::uint64_t count) {
  const Hierarchy h = hierarchy(plan);
  int step = tree_up(out, 0, h.below, count);
  for (const bool reduce : {true, false}) {
    int next = step;
    for (const auto& g : h.top)
      next =
          std::max(next, ring_phase(out, step, g, even(count, static_cast<int>(g.size())), reduce));
    step = next;
  }
  tree_down(out, step, h.below, count);
}

// Through one tree from rank 0 (the tree's own, or the hierarchy's levels): reduce up, then
// broadcast (all_reduce) or scatter (reduce_scatter) down; all_gather gathers up and broadcasts.
void tree_traffic(std::vector<Send>& out, const ccl::InstallPlan& plan, Halves h) {
  Tree t(static_cast<std::size_t>(plan.world_size()));
  if (plan.kind == "hierarchical") {
    t = hierarchy(plan).whole;
  } else {
    t.roots = {0};
    grow(t, 0, neighbors(plan));
  }
  if (h.rs && h.ag)
    tree_down(out, tree_up(out, 0, t, h.count), t, h.count);
  else if (h.rs)
    tree_parts(out, tree_up(out, 0, t, h.count), t, h.count, false);
  else
    tree_down(out, tree_parts(out, 0, t, h.count, true), t, h.count);
}

}  // namespace

std::vector<Send> textbook_traffic(const ccl::InstallPlan& plan, ccl::CollectiveOp op,
                                   std::uint64_t count, int root) {
  using ccl::CollectiveOp;
  const int p = plan.world_size();
  const auto up = static_cast<std::size_t>(p);
  std::vector<Send> out;
  if (p < 2) return out;
  if (op == CollectiveOp::all_to_all) {
    for (int r = 0; r < p; ++r)
      for (int s = 1; s < p; ++s) out.push_back({r, (r + s) % p, s - 1, count / up, false});
    return out;
  }
  if (op == CollectiveOp::broadcast || op == CollectiveOp::reduce) {
    Tree t(up);
    t.roots = {root};
    grow(t, root, neighbors(plan));
    if (op == CollectiveOp::broadcast)
      tree_down(out, 0, t, count);
    else
      tree_up(out, 0, t, count);
    return out;
  }
  const Halves h{count, op != CollectiveOp::all_gather, op != CollectiveOp::reduce_scatter};
  if (plan.kind == "ring")
    ring_traffic(out, plan, h);
  else if (plan.kind == "mesh_2d")
    mesh_2d_traffic(out, plan, h);
  else if (plan.kind == "halving_doubling")
    halving_doubling_traffic(out, plan, h);
  else if (plan.kind == "hierarchical" && op == CollectiveOp::all_reduce)
    hierarchical_all_reduce_traffic(out, plan, count);
  else
    tree_traffic(out, plan, h);
  return out;
}

LinkLoad link_load(const hw::Fabric& fabric, const std::vector<Send>& sends,
                   const RankMemories& memories, std::uint64_t element_bytes, bool reductions,
                   std::uint64_t message_bytes) {
  LinkLoad load;
  std::map<std::pair<hw::Location, hw::Location>, hw::Route> routes;
  std::map<std::pair<const hw::Channel*, int>, int> crossing;  // (channel, step) -> passes
  const auto cross = [&](const hw::Channel* c, int step) {
    load.most_crossings = std::max(load.most_crossings, ++crossing[{c, step}]);
  };
  // A send of more than one message lands its later messages while its receiver already forwards
  // the first ones in the next step (a pipelined tree): the memory it lands in is crossed in both.
  const auto add = [&](const hw::Location& from, const hw::Location& to, std::uint64_t bytes,
                       int step, bool pipelined = false) {
    auto it = routes.find({from, to});
    if (it == routes.end()) it = routes.emplace(std::pair{from, to}, fabric.route(from, to)).first;
    for (const hw::Channel* c : it->second.stages) {
      load.bytes[c] += bytes;
      cross(c, step);
    }
    if (pipelined && !it->second.stages.empty()) cross(it->second.stages.back(), step + 1);
  };
  using hw::Location;
  for (const Send& s : sends) {
    const auto from = static_cast<std::size_t>(s.from), to = static_cast<std::size_t>(s.to);
    const std::uint64_t bytes = s.elements * element_bytes;
    add(Location::memory(memories.source[from]),
        Location::memory(s.reduce ? memories.receive[to] : memories.data[to]), bytes, s.step,
        message_bytes > 0 && bytes > message_bytes);
    if (!s.reduce || !reductions) continue;
    const Location pe = Location::pe(memories.pes[to]);
    add(Location::memory(memories.receive[to]), pe, bytes, s.step);
    add(Location::memory(memories.data[to]), pe, bytes, s.step);
    add(pe, Location::memory(memories.data[to]), bytes, s.step);
  }
  for (const auto& [channel, bytes] : load.bytes) {
    const base::SimTime t = base::transfer_time(base::Bytes(bytes), channel->bandwidth());
    if (t > load.bound) {
      load.bound = t;
      load.busiest = channel;
    }
  }
  return load;
}

RouteFigures route_figures(const hw::Fabric& fabric, const std::vector<Send>& sends,
                           const RankMemories& memories, std::uint64_t element_bytes,
                           std::uint64_t message_bytes, base::Bytes dma_chunk,
                           int chunks_in_flight) {
  using hw::Location;
  RouteFigures out;
  for (const Send& s : sends) {
    const std::uint64_t bytes = std::min(s.elements * element_bytes, message_bytes);
    if (bytes == 0) continue;
    const auto from = static_cast<std::size_t>(s.from), to = static_cast<std::size_t>(s.to);
    const hw::Route route =
        fabric.route(Location::memory(memories.source[from]),
                     Location::memory(s.reduce ? memories.receive[to] : memories.data[to]));
    const hw::RouteRates rates =
        hw::route_rates(route, base::Bytes(bytes), dma_chunk, chunks_in_flight);
    double bandwidth = std::numeric_limits<double>::infinity();
    base::SimTime trip;
    for (hw::Channel* c : route.stages) {
      const auto passes = std::count(route.stages.begin(), route.stages.end(), c);
      bandwidth = std::min(bandwidth, static_cast<double>(c->bandwidth().bytes_per_second()) *
                                          1e-12 / static_cast<double>(passes));
      trip += c->latency() + c->service_time(dma_chunk);
    }
    out.longest_trip = std::max(out.longest_trip, trip);
    const double pace = std::min({bandwidth, rates.route, rates.window});  // bytes per ps
    out.slowest_chunk =
        std::max(out.slowest_chunk, base::SimTime::from_ps(static_cast<std::int64_t>(
                                        std::ceil(static_cast<double>(dma_chunk.count()) / pace))));
    if (rates.route < bandwidth * (1 - 1e-9) || rates.window < rates.route)
      out.window_limited = true;
  }
  return out;
}

}  // namespace kernbench::property
