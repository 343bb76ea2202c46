#include "kernbench/rt/placement.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>

#include "kernbench/base/error.h"

namespace kernbench::rt {
namespace {

// A box of the whole tensor: where it starts and its extents.
struct Block {
  Shape offset;
  Shape shape;
  auto operator<=>(const Block&) const = default;
};

// One level of the device: its units, what to call one ("cube") and its index ("cube 3"), and
// what holds them in messages ("a SIP", "the device (sip 0, cube 3)").
struct Level {
  UnitRange units;
  std::string_view unit;
  std::string_view word;
  std::string within;
};

// The units of a level that take part: `count` (0: the rest of the device's) from `first` (-1:
// the device's first); any outside the device is an error.
UnitRange chosen(const LevelPlacement& placement, const Level& level, std::string_view tensor) {
  const UnitRange& have = level.units;
  const auto fail = [&](const std::string& asked) {
    throw base::ShapeError(fmt::format(
        "tensor '{}': placement asks for {}, but {} has {}", tensor, asked, level.within,
        placement.first == -1 ? fmt::format("{}", have.size())
                              : fmt::format("{}s {}..{}", level.unit, have.first, have.end - 1)));
  };
  if (placement.count < 0) fail(fmt::format("{} {}s", placement.count, level.unit));
  const int first = placement.first == -1 ? have.first : placement.first;
  if (!have.contains(first)) fail(fmt::format("{} {}", level.word, first));
  const int n = placement.count == 0 ? have.end - first : placement.count;
  if (static_cast<std::int64_t>(first) + n > have.end)
    fail(placement.first == -1
             ? fmt::format("{} {}s", n, level.unit)
             : fmt::format("{} {}s from {} {}", n, level.unit, level.word, first));
  return {first, first + n};
}

// The levels of `device` on `spec`, each named for errors.
std::array<Level, 3> levels(Device device, const topo::TopologySpec& spec) {
  const DeviceUnits u = device.units(spec);
  const std::string whole = device.kind() == Device::Kind::sip
                                ? fmt::format("the device ({})", device)
                                : fmt::format("the device {}", device);
  const std::string the_device = device.all_sips() ? std::string("the device") : whole;
  return {Level{u.sips, "SIP", "sip", the_device},
          Level{u.cubes, "cube", "cube", device.kind() >= Device::Kind::cube ? whole : "a SIP"},
          Level{u.pes, "PE", "pe", device.kind() == Device::Kind::pe ? whole : "a cube"}};
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
                                     const topo::TopologySpec& spec, Device device) {
  check_shape(tensor, shape);
  const auto [sip_level, cube_level, pe_level] = levels(device, spec);
  const UnitRange sips = chosen(placement.sip, sip_level, tensor);
  const UnitRange cubes = chosen(placement.cube, cube_level, tensor);
  const UnitRange pes = chosen(placement.pe, pe_level, tensor);
  const Block whole{Shape(shape.size(), 0), Shape(shape.begin(), shape.end())};
  std::vector<Shard> shards;
  std::map<Block, int> parts;  // distinct pieces, numbered in order of first appearance
  const auto sip_blocks = divide(whole, placement.sip.split, sips.size(), tensor, "SIP");
  for (int s = 0; s < sips.size(); ++s) {
    const auto cube_blocks =
        divide(sip_blocks[s], placement.cube.split, cubes.size(), tensor, "cube");
    for (int c = 0; c < cubes.size(); ++c) {
      const auto pe_blocks = divide(cube_blocks[c], placement.pe.split, pes.size(), tensor, "PE");
      for (int p = 0; p < pes.size(); ++p) {
        const Block& b = pe_blocks[p];
        const int part = parts.try_emplace(b, static_cast<int>(parts.size())).first->second;
        const auto bytes = static_cast<std::uint64_t>(numel(b.shape)) * base::size_bytes(dtype);
        shards.push_back(Shard{{sips.first + s, cubes.first + c, pes.first + p},
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
