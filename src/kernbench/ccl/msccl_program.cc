// The only file of ccl that touches pugixml: MSCCL XML text -> MscclProgram, checked.
#include "kernbench/ccl/msccl_program.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "kernbench/base/error.h"
#include "kernbench/base/input_file.h"

namespace kernbench::ccl {
namespace {

// More gpus than any machine here has PEs is a typo, refused before anything is allocated for it.
constexpr std::int64_t kMaxGpus = 1 << 16;

constexpr std::array<std::string_view, 9> kStepNames{"s",    "r",  "rrs", "rrc", "rcs",
                                                     "rrcs", "re", "cpy", "nop"};

// Reads one element's attributes, turning pugixml's byte offsets into lines.
class Reader {
 public:
  Reader(std::string_view text, std::string source) : source_(std::move(source)) {
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') newlines_.push_back(i);
  }

  int line_of(std::ptrdiff_t offset) const {
    const auto it = std::lower_bound(newlines_.begin(), newlines_.end(),
                                     static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, offset)));
    return static_cast<int>(it - newlines_.begin()) + 1;
  }
  int line_of(const pugi::xml_node& n) const { return line_of(n.offset_debug()); }

  [[noreturn]] void fail(int line, const std::string& what) const {
    throw base::ConfigError({fmt::format("{}:{}: {}", source_, line, what)});
  }
  [[noreturn]] void fail(const pugi::xml_node& n, const std::string& what) const {
    fail(line_of(n), fmt::format("<{}>: {}", n.name(), what));
  }

  // Every attribute of `n` is one of `known`; each of `required` is there.
  void check_attributes(const pugi::xml_node& n, std::initializer_list<std::string_view> known,
                        std::initializer_list<std::string_view> required) const {
    for (const pugi::xml_attribute& a : n.attributes())
      if (std::find(known.begin(), known.end(), std::string_view(a.name())) == known.end())
        fail(n,
             fmt::format("unknown attribute '{}' (known: {})", a.name(), fmt::join(known, ", ")));
    for (std::string_view r : required)
      if (!n.attribute(std::string(r).c_str())) fail(n, fmt::format("missing attribute '{}'", r));
  }

  // An integer attribute in [lowest, highest], or `fallback` when absent.
  std::int64_t integer(const pugi::xml_node& n, const char* key, std::int64_t lowest,
                       std::int64_t highest, std::int64_t fallback = 0) const {
    const pugi::xml_attribute a = n.attribute(key);
    if (!a) return fallback;
    const std::string_view text = a.value();
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < lowest || v > highest)
      fail(n, fmt::format("attribute '{}': expected an integer in [{}, {}], found '{}'", key,
                          lowest, highest, text));
    return v;
  }
  int small(const pugi::xml_node& n, const char* key, int lowest, int fallback = 0) const {
    return static_cast<int>(integer(n, key, lowest, 1 << 20, fallback));
  }

  // An attribute with one of `choices`.
  std::string choice(const pugi::xml_node& n, const char* key,
                     std::initializer_list<std::string_view> choices,
                     std::string_view fallback) const {
    const pugi::xml_attribute a = n.attribute(key);
    if (!a) return std::string(fallback);
    const std::string_view v = a.value();
    if (std::find(choices.begin(), choices.end(), v) == choices.end())
      fail(n, fmt::format("attribute '{}': expected one of {}, found '{}'", key,
                          fmt::join(choices, ", "), v));
    return std::string(v);
  }

  MscclBuffer buffer(const pugi::xml_node& n, const char* key) const {
    const std::string b = choice(n, key, {"i", "o", "s"}, "i");
    return b == "i" ? MscclBuffer::input : b == "o" ? MscclBuffer::output : MscclBuffer::scratch;
  }

 private:
  std::string source_;
  std::vector<std::size_t> newlines_;
};

MscclStep read_step(const Reader& in, const pugi::xml_node& n) {
  in.check_attributes(
      n, {"s", "type", "srcbuf", "srcoff", "dstbuf", "dstoff", "cnt", "depid", "deps", "hasdep"},
      {"s", "type"});
  MscclStep s;
  s.line = in.line_of(n);
  s.index = in.small(n, "s", 0);
  const std::string_view type = n.attribute("type").value();
  const auto t = std::find(kStepNames.begin(), kStepNames.end(), type);
  if (t == kStepNames.end())
    in.fail(n, fmt::format("type '{}': expected one of {}", type, fmt::join(kStepNames, ", ")));
  s.type = static_cast<MscclStepType>(t - kStepNames.begin());
  s.src_buffer = in.buffer(n, "srcbuf");
  s.dst_buffer = in.buffer(n, "dstbuf");
  s.src_offset = in.small(n, "srcoff", -1);
  s.dst_offset = in.small(n, "dstoff", -1);
  s.count = in.small(n, "cnt", 1, 1);
  s.dep_block = in.small(n, "depid", -1, -1);
  s.dep_step = in.small(n, "deps", -1, -1);
  s.has_dependent = in.integer(n, "hasdep", 0, 1) == 1;
  if ((s.dep_block < 0) != (s.dep_step < 0))
    in.fail(n, "depid and deps: both -1 (no dependency) or both a thread block and its step");
  return s;
}

MscclThreadBlock read_block(const Reader& in, const pugi::xml_node& n) {
  in.check_attributes(n, {"id", "send", "recv", "chan"}, {"id"});
  MscclThreadBlock b{in.small(n, "id", 0),
                     in.small(n, "send", -1, -1),
                     in.small(n, "recv", -1, -1),
                     in.small(n, "chan", 0),
                     in.line_of(n),
                     {}};
  for (const pugi::xml_node& c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    if (std::string_view(c.name()) != "step") in.fail(c, "expected <step> inside <tb>");
    b.steps.push_back(read_step(in, c));
    if (b.steps.back().index != static_cast<int>(b.steps.size()) - 1)
      in.fail(c,
              fmt::format("s={}: the steps of a thread block are numbered 0, 1, ... (expected {})",
                          b.steps.back().index, b.steps.size() - 1));
  }
  return b;
}

MscclGpu read_gpu(const Reader& in, const pugi::xml_node& n) {
  in.check_attributes(n, {"id", "i_chunks", "o_chunks", "s_chunks"}, {"id"});
  MscclGpu g{in.small(n, "id", 0),
             in.small(n, "i_chunks", 0),
             in.small(n, "o_chunks", 0),
             in.small(n, "s_chunks", 0),
             in.line_of(n),
             {}};
  std::set<int> ids;
  for (const pugi::xml_node& c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    if (std::string_view(c.name()) != "tb") in.fail(c, "expected <tb> inside <gpu>");
    g.blocks.push_back(read_block(in, c));
    if (!ids.insert(g.blocks.back().id).second)
      in.fail(c, fmt::format("thread block id {} given twice on gpu {}", g.blocks.back().id, g.id));
  }
  return g;
}

void check_step(const Reader& in, const MscclProgram& p, const MscclGpu& g,
                const MscclThreadBlock& b, const MscclStep& s) {
  const auto where = [&](std::string_view what) {
    in.fail(s.line,
            fmt::format("gpu {} tb {} step {} ({}): {}", g.id, b.id, s.index, name(s.type), what));
  };
  if (sends(s.type) && b.send < 0) where("sends, but its thread block has send=-1");
  if (receives(s.type) && b.recv < 0) where("receives, but its thread block has recv=-1");
  const auto in_range = [&](MscclBuffer buffer, int offset, const char* side) {
    const int n = p.chunks(g, buffer);
    if (offset < 0 || offset + s.count > n)
      where(fmt::format("{} chunks [{}, {}) are out of range: {} buffer of gpu {} holds {}", side,
                        offset, offset + s.count,
                        buffer == MscclBuffer::input    ? "input (i_chunks)"
                        : buffer == MscclBuffer::output ? "output (o_chunks)"
                                                        : "scratch (s_chunks)",
                        g.id, n));
  };
  if (s.type != MscclStepType::nop) {
    if (s.type != MscclStepType::r) in_range(s.src_buffer, s.src_offset, "source");
    if (s.type != MscclStepType::s && s.type != MscclStepType::rrs)
      in_range(s.dst_buffer, s.dst_offset, "destination");
  }
  if (s.dep_block < 0) return;
  const auto dep = std::find_if(g.blocks.begin(), g.blocks.end(),
                                [&](const MscclThreadBlock& t) { return t.id == s.dep_block; });
  if (dep == g.blocks.end() || s.dep_step >= static_cast<int>(dep->steps.size()))
    where(fmt::format("depends on tb {} step {}, which gpu {} does not have", s.dep_block,
                      s.dep_step, g.id));
  if (!dep->steps[static_cast<std::size_t>(s.dep_step)].has_dependent)
    where(fmt::format("depends on tb {} step {}, whose hasdep is 0", s.dep_block, s.dep_step));
}

void check_program(const Reader& in, const MscclProgram& p) {
  for (const MscclGpu& g : p.gpus_by_id)
    for (const MscclThreadBlock& b : g.blocks) {
      for (const int peer : {b.send, b.recv})
        if (peer >= p.gpus || peer == g.id)
          in.fail(b.line, fmt::format("gpu {} tb {}: peer gpu {} is not another of the {} gpus",
                                      g.id, b.id, peer, p.gpus));
      if (b.channel >= p.channels)
        in.fail(b.line, fmt::format("gpu {} tb {}: chan {} but nchannels is {}", g.id, b.id,
                                    b.channel, p.channels));
      for (const MscclStep& s : b.steps) check_step(in, p, g, b, s);
    }
}

void check_chunks(const Reader& in, const MscclProgram& p, const MscclGpu& g) {
  const int n = p.chunks_per_loop, inputs = g.input_chunks,
            outputs = p.chunks(g, MscclBuffer::output);
  const bool fits = p.collective == "allreduce"   ? inputs == n && outputs == n
                    : p.collective == "allgather" ? outputs == n && inputs * p.gpus == n
                                                  : inputs == n && outputs * p.gpus == n;
  if (!fits)
    in.fail(g.line, fmt::format("gpu {}: i_chunks={} and o_chunks={} do not suit {} over {} gpus "
                                "with nchunksperloop={} (allreduce: both nchunksperloop; "
                                "allgather: o_chunks = nchunksperloop = ngpus * i_chunks; "
                                "reducescatter: i_chunks = nchunksperloop = ngpus * o_chunks)",
                                g.id, g.input_chunks, g.output_chunks, p.collective, p.gpus, n));
}

MscclProgram read_algo(const Reader& in, const pugi::xml_node& algo, std::string source) {
  in.check_attributes(algo,
                      {"name", "ngpus", "coll", "nchunksperloop", "inplace", "outofplace", "proto",
                       "nchannels", "redop", "minBytes", "maxBytes"},
                      {"ngpus", "coll", "nchunksperloop"});
  MscclProgram p;
  p.source = std::move(source);
  p.name = algo.attribute("name").value();
  p.gpus = static_cast<int>(in.integer(algo, "ngpus", 1, kMaxGpus));
  p.collective =
      in.choice(algo, "coll", {"allreduce", "allgather", "reducescatter", "reduce_scatter"}, "");
  if (p.collective == "reduce_scatter") p.collective = "reducescatter";
  p.chunks_per_loop = in.small(algo, "nchunksperloop", 1);
  p.in_place = in.integer(algo, "inplace", 0, 1, 1) == 1;
  in.integer(algo, "outofplace", 0, 1);  // checked; every collective here runs in place
  p.protocol = in.choice(algo, "proto", {"Simple", "LL", "LL128"}, "Simple");
  p.channels = in.small(algo, "nchannels", 1, 1);
  p.reduce_op = in.choice(algo, "redop", {"sum", "prod", "max", "min", "nop"}, "sum");
  constexpr std::int64_t kMax = std::int64_t{1} << 62;
  p.min_bytes = static_cast<std::uint64_t>(in.integer(algo, "minBytes", 0, kMax));
  p.max_bytes = static_cast<std::uint64_t>(in.integer(algo, "maxBytes", 0, kMax));
  if (p.max_bytes != 0 && p.max_bytes < p.min_bytes)
    in.fail(algo, fmt::format("maxBytes {} is below minBytes {}", p.max_bytes, p.min_bytes));
  p.gpus_by_id.resize(static_cast<std::size_t>(p.gpus));
  std::vector<bool> seen(p.gpus_by_id.size());
  for (const pugi::xml_node& c : algo.children()) {
    if (c.type() != pugi::node_element) continue;
    if (std::string_view(c.name()) != "gpu") in.fail(c, "expected <gpu> inside <algo>");
    MscclGpu g = read_gpu(in, c);
    if (g.id >= p.gpus || seen[static_cast<std::size_t>(g.id)])
      in.fail(c, fmt::format("gpu id {}: expected each of 0 .. {} once", g.id, p.gpus - 1));
    seen[static_cast<std::size_t>(g.id)] = true;
    check_chunks(in, p, g);
    p.gpus_by_id[static_cast<std::size_t>(g.id)] = std::move(g);
  }
  const auto missing = std::find(seen.begin(), seen.end(), false);
  if (missing != seen.end())
    in.fail(algo,
            fmt::format("ngpus is {} but gpu {} is not given", p.gpus, missing - seen.begin()));
  check_program(in, p);
  return p;
}

}  // namespace

int MscclProgram::chunks(const MscclGpu& gpu, MscclBuffer buffer) const {
  switch (buffer) {
    case MscclBuffer::input: return gpu.input_chunks;
    case MscclBuffer::output:
      return collective == "allreduce" && gpu.output_chunks == 0 ? gpu.input_chunks
                                                                 : gpu.output_chunks;
    case MscclBuffer::scratch: return gpu.scratch_chunks;
  }
  return 0;
}

MscclProgram parse_msccl_text(std::string_view text, std::string_view source) {
  const Reader in(text, std::string(source));
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size());
  if (!parsed)
    in.fail(in.line_of(parsed.offset), fmt::format("malformed XML: {}", parsed.description()));
  const pugi::xml_node algo = doc.document_element();
  if (std::string_view(algo.name()) != "algo")
    in.fail(algo, "expected <algo> as the document's element");
  return read_algo(in, algo, std::string(source));
}

MscclProgram read_msccl_file(const std::string& path) {
  return parse_msccl_text(base::read_input_file(path, "MSCCL algorithm file"), path);
}

std::string_view name(MscclStepType type) { return kStepNames[static_cast<std::size_t>(type)]; }

bool sends(MscclStepType t) {
  return t == MscclStepType::s || t == MscclStepType::rrs || t == MscclStepType::rcs ||
         t == MscclStepType::rrcs;
}

bool receives(MscclStepType t) {
  return t == MscclStepType::r || t == MscclStepType::rrs || t == MscclStepType::rrc ||
         t == MscclStepType::rcs || t == MscclStepType::rrcs;
}

}  // namespace kernbench::ccl
