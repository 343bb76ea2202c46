#include "kernbench/rt/placement.h"

#include <algorithm>
#include <map>

#include "kernbench/base/error.h"

namespace kernbench::rt {
namespace {

// A box of the whole tensor: where it starts and its extents.
struct Block {
  Shape offset;
  Shape shape;
  auto operator<=>(const Block&) const = default;
};

// How many units of a level take part: `count` (0: all `available`); more than exist is an error.
int units(const LevelPlacement& level, int available, std::string_view tensor,
          std::string_view unit, std::string_view within) {
  if (level.count < 0)
    throw base::ShapeError(
        fmt::format("tensor '{}': placement asks for {} {}s", tensor, level.count, unit));
  if (level.count > available)
    throw base::ShapeError(fmt::format("tensor '{}': placement asks for {} {}s, but {} has {}",
                                       tensor, level.count, unit, within, available));
  return level.count == 0 ? available : level.count;
}

// Splits `block` among `n` units as `level` says: n copies, or n equal slices of one dimension.
std::vector<Block> divide(const Block& block, Split split, int n, std::string_view tensor,
                          std::string_view level) {
  if (split == Split::replicate) return std::vector<Block>(static_cast<std::size_t>(n), block);
  if (block.shape.empty())
    throw base::ShapeError(
        fmt::format("tensor '{}': a 0-D tensor cannot be split by {} at the {} level", tensor,
                    name(split), level));
  const std::size_t dim = split == Split::rows ? 0 : block.shape.size() - 1;
  const std::int64_t size = block.shape[dim];
  if (size % n != 0)
    throw base::ShapeError(fmt::format(
        "tensor '{}': dimension {} of size {} does not divide into {} parts (split by {} at the "
        "{} level)",
        tensor, dim, size, n, name(split), level));
  std::vector<Block> out;
  for (int i = 0; i < n; ++i) {
    Block b = block;
    b.shape[dim] = size / n;
    b.offset[dim] += b.shape[dim] * i;
    out.push_back(std::move(b));
  }
  return out;
}

base::Bytes byte_offset(const Block& b, std::span<const std::int64_t> whole, base::DType dtype) {
  const Shape strides = row_major_strides(whole);
  std::int64_t element = 0;
  for (std::size_t i = 0; i < whole.size(); ++i) element += b.offset[i] * strides[i];
  return base::Bytes(static_cast<std::uint64_t>(element) * base::size_bytes(dtype));
}

}  // namespace

std::string_view name(Split split) {
  switch (split) {
    case Split::replicate: return "replicate";
    case Split::rows: return "rows";
    case Split::columns: return "columns";
  }
  return "?";
}

std::vector<Shard> resolve_placement(const Placement& placement, std::string_view tensor,
                                     const Shape& shape, base::DType dtype,
                                     const topo::TopologySpec& spec, std::span<const int> sips) {
  check_shape(tensor, shape);
  const std::string device = sips.size() == 1 ? fmt::format("the device (sip {})", sips.front())
                                              : std::string("the device");
  const int n_sip = units(placement.sip, static_cast<int>(sips.size()), tensor, "SIP", device);
  const int n_cube = units(placement.cube, spec.cubes_per_sip(), tensor, "cube", "a SIP");
  const int n_pe = units(placement.pe, spec.pes_per_cube(), tensor, "PE", "a cube");
  const Block whole{Shape(shape.size(), 0), Shape(shape.begin(), shape.end())};
  std::vector<Shard> shards;
  std::map<Block, int> parts;  // distinct pieces, numbered in order of first appearance
  const auto sip_blocks = divide(whole, placement.sip.split, n_sip, tensor, "SIP");
  for (int s = 0; s < n_sip; ++s) {
    const auto cube_blocks = divide(sip_blocks[s], placement.cube.split, n_cube, tensor, "cube");
    for (int c = 0; c < n_cube; ++c) {
      const auto pe_blocks = divide(cube_blocks[c], placement.pe.split, n_pe, tensor, "PE");
      for (int p = 0; p < n_pe; ++p) {
        const Block& b = pe_blocks[p];
        const int part = parts.try_emplace(b, static_cast<int>(parts.size())).first->second;
        const auto bytes = static_cast<std::uint64_t>(numel(b.shape)) * base::size_bytes(dtype);
        shards.push_back(Shard{{sips[s], c, p},
                               part,
                               b.offset,
                               b.shape,
                               byte_offset(b, shape, dtype),
                               base::Bytes(bytes)});
      }
    }
  }
  return shards;
}

int part_count(std::span<const Shard> shards) {
  int n = 0;
  for (const Shard& s : shards) n = std::max(n, s.part + 1);
  return n;
}

}  // namespace kernbench::rt
