// The only file of ccl that touches yaml-cpp: ccl.yaml text -> CclConfig, every problem collected
// with its position and key path before anything is returned.
#include <cstdint>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "kernbench/base/assert.h"
#include "kernbench/base/error.h"
#include "kernbench/base/input_file.h"
#include "kernbench/base/name_suggestion.h"
#include "kernbench/ccl/ccl_config.h"
#include "kernbench/ccl/detail/ccl_reader.h"
#include "kernbench/topo/quantity_parser.h"

namespace kernbench::ccl {
namespace {

const std::vector<std::string> kTopKeys{"defaults", "algorithms"};
const std::vector<std::string> kRowsColsKeys{"rows", "cols"};

// The bound on every count and coordinate an entry gives (world size, fanout, mesh side, rank
// coordinate): above any machine's PE count, and small enough that the product of two fits in 64
// bits and each fits an int.
constexpr std::int64_t kMaxCount = std::int64_t{1} << 20;

class Reader {
 public:
  // `declared`: the keys each kind's algorithm declares, as (kind, key); `folder`: where a
  // relative file key points from (the ccl file's folder; empty: the working directory).
  Reader(std::string source, std::span<const std::string> kinds,
         const std::vector<std::pair<std::string, EntryKey>>& declared, std::string folder)
      : source_(std::move(source)), kinds_(kinds), folder_(std::move(folder)) {
    for (const auto& [kind, key] : declared) {
      // Named apart: the fuzz tree's clang cannot capture a structured binding in a lambda.
      const std::string& name = key.name;
      const auto same =
          std::find_if(keys_.begin(), keys_.end(), [&](const Key& k) { return k.name == name; });
      if (same != keys_.end() && same->declared) {
        same->kinds.push_back(kind);  // two kinds declaring one key: both may carry it
        continue;
      }
      KB_ASSERT(same == keys_.end(), "an algorithm declares a key every entry has");
      keys_.push_back({key.name,
                       {kind},
                       false,
                       key.required ? fmt::format("kind {} needs it", kind) : "",
                       nullptr,
                       key});
    }
  }

  CclConfig read(YAML::Node root, std::span<const detail::CclSetting> settings) {
    CclConfig config{source_, {}, {}};
    if (!root.IsMap()) {
      problem(root, "(top level)",
              "expected a mapping with 'defaults' and 'algorithms', found " + describe(root));
      return config;
    }
    check_keys(root, "", kTopKeys);
    for (const detail::CclSetting& s : settings) apply(root, s);
    AlgorithmEntry defaults;
    defaults.chunk_size = base::Bytes(64 * 1024);
    if (const YAML::Node d = root["defaults"]) read_keys(d, "defaults", true, defaults);
    config.defaults = defaults;
    const YAML::Node algorithms = root["algorithms"];
    if (!algorithms || !algorithms.IsMap() || algorithms.size() == 0) {
      problem(algorithms ? algorithms : root, "algorithms",
              "expected a mapping of named entries, found " +
                  (algorithms ? describe(algorithms) : "nothing"));
      return config;
    }
    std::map<std::string, std::string> seen;  // entry name -> where it was first given
    for (const auto& item : algorithms) {
      if (item.first.IsScalar()) names_.push_back(item.first.Scalar());
      if (!new_name(item.first, "algorithms", "entry name", seen)) continue;
      AlgorithmEntry entry = defaults;
      entry.name = item.first.Scalar();
      entry.origin = at(item.first);
      read_keys(item.second, "algorithms." + entry.name, false, entry);
      config.entries.push_back(std::move(entry));
    }
    return config;
  }

  std::vector<std::string>& problems() { return problems_; }
  std::vector<std::string>& names() { return names_; }

 private:
  static std::string describe(const YAML::Node& n) {
    if (n.IsScalar()) return fmt::format("\"{}\"", n.Scalar());
    if (n.IsSequence()) return "a list";
    if (n.IsMap()) return "a mapping";
    return "nothing";
  }
  std::string at(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    return m.is_null() ? source_ : fmt::format("{}:{}:{}", source_, m.line + 1, m.column + 1);
  }
  // A problem at `n`, or at the --set that gave `key` (or a key it holds), named as that --set
  // names it (ccl.ENTRY.KEY, ccl.defaults.KEY).
  void problem(const YAML::Node& n, const std::string& key, const std::string& what) {
    for (auto it = set_at_.rbegin(); it != set_at_.rend(); ++it) {  // the last --set wins
      const SetAt& set = *it;
      const bool under = key.starts_with(set.section) &&
                         (key == set.path || key.starts_with(set.path + ".") ||
                          key.starts_with(set.path + "[") || set.path.starts_with(key + "."));
      if (!under) continue;
      std::string text = what;
      const std::string shown = set_name(set.section);
      for (std::size_t i = text.find(set.section); i != std::string::npos;
           i = text.find(set.section, i + shown.size()))
        text.replace(i, set.section.size(), shown);
      problems_.push_back(fmt::format("{}: {}{}: {}", set.origin, set_name(set.section),
                                      key.substr(set.section.size()), text));
      return;
    }
    problems_.push_back(fmt::format("{}: {}: {}", at(n), key, what));
  }
  // "algorithms.E." -> "ccl.E.", "defaults." -> "ccl.defaults.".
  static std::string set_name(const std::string& section) {
    return section.starts_with("algorithms.") ? "ccl." + section.substr(11) : "ccl." + section;
  }

  // Puts a --set's value into the text's tree (its defaults always; an entry when the text has
  // it), so it is read and checked as if the file had said it; a key the section cannot carry
  // is a problem at the --set.
  void apply(YAML::Node& root, const detail::CclSetting& s) {
    const bool in_defaults = s.section == "defaults";
    YAML::Node section;
    if (in_defaults) {
      if (!root["defaults"]) root["defaults"] = YAML::Node(YAML::NodeType::Map);
      section.reset(root["defaults"]);
    } else {
      const YAML::Node algorithms = root["algorithms"];
      if (!algorithms || !algorithms.IsMap() || !algorithms[s.section]) return;
      section.reset(root["algorithms"][s.section]);
    }
    if (!section.IsMap()) return;  // the reader says what it is
    const std::string section_path = in_defaults ? "defaults." : "algorithms." + s.section + ".";
    const std::vector<std::string> allowed = key_names(in_defaults);
    if (std::find(allowed.begin(), allowed.end(), s.key[0]) == allowed.end()) {
      const std::string shown = "ccl." + s.section;
      const auto guess = base::closest_name(s.key[0], allowed);
      problems_.push_back(fmt::format(
          "{}: {}.{}: unknown key, {}", s.origin, shown, s.key[0],
          guess ? fmt::format("did you mean {}.{}?", shown, *guess)
                : fmt::format("valid keys under {}: {}", shown, fmt::join(allowed, ", "))));
      return;
    }
    YAML::Node value;
    try {
      value = YAML::Load(s.value);
    } catch (const YAML::Exception&) {
      value = YAML::Node(s.value);  // not YAML on its own: the text as written
    }
    YAML::Node node = section;
    for (std::size_t i = 0; i + 1 < s.key.size(); ++i) {
      if (!node[s.key[i]].IsMap()) node[s.key[i]] = YAML::Node(YAML::NodeType::Map);
      YAML::Node next = node[s.key[i]];
      node.reset(next);
    }
    node[s.key.back()] = value;
    set_at_.push_back(
        {section_path + fmt::format("{}", fmt::join(s.key, ".")), section_path, s.origin});
  }
  static std::string join(const std::string& section, const std::string& key) {
    return section.empty() ? key : section + "." + key;
  }

  // True for a name (a key or an entry name) that is a non-empty scalar not in `seen`; a problem
  // otherwise, so a later value never silently loses to the first (yaml-cpp's lookup keeps it).
  bool new_name(const YAML::Node& name, const std::string& section, std::string_view noun,
                std::map<std::string, std::string>& seen) {
    const std::string where = section.empty() ? "(top level)" : section;
    if (!name.IsScalar() || name.Scalar().empty()) {
      problem(name, where,
              fmt::format("expected {} {}, found {}", noun == "key" ? "a" : "an", noun,
                          name.IsScalar() ? "an empty one" : describe(name)));
      return false;
    }
    const auto [first, added] = seen.emplace(name.Scalar(), at(name));
    if (!added)
      problem(name, join(section, name.Scalar()),
              fmt::format("duplicate {}, first given at {}", noun, first->second));
    return added;
  }

  void check_keys(const YAML::Node& map, const std::string& section,
                  const std::vector<std::string>& allowed) {
    std::map<std::string, std::string> seen;
    for (const auto& item : map) {
      if (!new_name(item.first, section, "key", seen)) continue;
      const std::string key = item.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string what = "unknown key";
      if (const auto guess = base::closest_name(key, allowed))
        what += fmt::format(", did you mean {}?", join(section, *guess));
      else
        what += fmt::format(", valid keys{}: {}", section.empty() ? "" : " under " + section,
                            fmt::join(allowed, ", "));
      problem(item.first, join(section, key), what);
    }
  }

  // A scalar parsed by `parse`; a parse error becomes a positioned problem.
  template <class T, class Parse>
  std::optional<T> scalar(const YAML::Node& n, const std::string& key, Parse parse) {
    if (!n.IsScalar()) {
      problem(n, key, "expected a value, found " + describe(n));
      return std::nullopt;
    }
    try {
      return parse(n.Scalar());
    } catch (const base::ConfigError& e) {
      problem(n, key, e.problems().front());
      return std::nullopt;
    }
  }

  // An integer from `lowest` (0 or 1) to kMaxCount; out of range is a problem, never truncated.
  std::optional<int> count(const YAML::Node& n, const std::string& key, std::int64_t lowest = 1) {
    const auto v =
        scalar<std::int64_t>(n, key, [](const std::string& s) { return topo::parse_integer(s); });
    if (!v) return std::nullopt;
    if (*v < lowest || *v > kMaxCount) {
      problem(
          n, key,
          fmt::format("expected a {} integer{}, found {}", lowest > 0 ? "positive" : "non-negative",
                      *v > kMaxCount ? fmt::format(" of at most {}", kMaxCount) : "", *v));
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }

  template <class T>
  std::optional<T> choice(const YAML::Node& n, const std::string& key,
                          std::initializer_list<std::pair<const char*, T>> options) {
    std::vector<std::string> names;
    for (const auto& [text, value] : options) names.emplace_back(text);
    return scalar<T>(n, key, [&](const std::string& s) {
      for (const auto& [text, value] : options)
        if (s == text) return value;
      throw base::ConfigError(
          {fmt::format("expected one of {}, found \"{}\"", fmt::join(names, " | "), s)});
    });
  }

  // One key of an entry, declared once: the kinds it applies to (empty: every kind), whether
  // `defaults` may give it, what its absence means (empty: optional) and how it is read (a
  // reader here, or the declaring algorithm's EntryKey). Entries are read, and their problems
  // listed, in this order: the keys every entry has, then the algorithms' in registration order.
  struct Key {
    std::string name;
    std::vector<std::string> kinds;
    bool in_defaults = false;
    std::string missing;
    void (Reader::*read)(const YAML::Node& value, const std::string& key, AlgorithmEntry& e);
    std::optional<EntryKey> declared;
  };
  std::vector<Key> keys_{
      {"kind", {}, false, "every entry names its algorithm kind", &Reader::read_kind, {}},
      {"world_size", {}, false, "", &Reader::read_world_size, {}},
      {"buffer", {}, true, "", &Reader::read_buffer, {}},
      {"chunk_size", {}, true, "", &Reader::read_chunk_size, {}},
      {"mapping", {}, true, "", &Reader::read_mapping, {}},
      {"ranks", {}, false, "", &Reader::read_ranks, {}},
  };
  std::vector<std::string> key_names(bool in_defaults) const {
    std::vector<std::string> names;
    for (const Key& k : keys_)
      if (k.in_defaults || !in_defaults) names.push_back(k.name);
    return names;
  }

  // `defaults` or one entry: every key of the table it may carry, in table order.
  void read_keys(const YAML::Node& map, const std::string& section, bool in_defaults,
                 AlgorithmEntry& e) {
    if (!map.IsMap()) return problem(map, section, "expected a mapping, found " + describe(map));
    check_keys(map, section, key_names(in_defaults));
    for (const Key& k : keys_) {
      if (in_defaults && !k.in_defaults) continue;
      const std::string key = section + "." + k.name;
      const YAML::Node n = map[k.name];
      if (!n) {
        if (!k.missing.empty() && applies(k, e)) problem(map, key, "missing: " + k.missing);
        continue;
      }
      if (!applies(k, e))
        problem(n, key,
                fmt::format("applies only to kind{} {}", k.kinds.size() > 1 ? "s" : "",
                            fmt::join(k.kinds, ", ")));
      if (k.declared)
        read_declared(*k.declared, n, key, e);
      else
        (this->*k.read)(n, key, e);
    }
  }

  static bool applies(const Key& k, const AlgorithmEntry& e) {
    return k.kinds.empty() || std::find(k.kinds.begin(), k.kinds.end(), e.kind) != k.kinds.end();
  }

  void read_kind(const YAML::Node& n, const std::string& key, AlgorithmEntry& e) {
    if (auto k = scalar<std::string>(n, key, [](const std::string& s) { return s; })) {
      e.kind = *k;
      if (std::find(kinds_.begin(), kinds_.end(), *k) == kinds_.end())
        problem(n, key, base::unknown_name_message("algorithm kind", *k, kinds_));
    }
  }
  void read_world_size(const YAML::Node& n, const std::string& key, AlgorithmEntry& e) {
    e.world_size = count(n, key);
  }
  void read_buffer(const YAML::Node& n, const std::string& key, AlgorithmEntry& e) {
    if (auto v = choice<mem::MemoryKind>(n, key,
                                         {{"tcm", mem::MemoryKind::tcm},
                                          {"sram", mem::MemoryKind::sram},
                                          {"hbm", mem::MemoryKind::hbm}}))
      e.buffer = *v;
  }
  void read_chunk_size(const YAML::Node& n, const std::string& key, AlgorithmEntry& e) {
    const auto v =
        scalar<base::Bytes>(n, key, [](const std::string& s) { return topo::parse_size(s, 1); });
    if (v && v->count() == 0) return problem(n, key, "expected a positive size, found 0");
    if (v) e.chunk_size = *v;
  }
  void read_mapping(const YAML::Node& n, const std::string& key, AlgorithmEntry& e) {
    if (auto v = choice<RankMapping>(
            n, key, {{"pe_major", RankMapping::pe_major}, {"cube_major", RankMapping::cube_major}}))
      e.mapping = *v;
  }
  void read_ranks(const YAML::Node& n, const std::string& key, AlgorithmEntry& e) {
    if (!n.IsSequence() || n.size() == 0)
      return problem(n, key, "expected a list of [sip, cube, pe], found " + describe(n));
    if (n.size() > static_cast<std::size_t>(kMaxCount))
      return problem(n, key,
                     fmt::format("expected at most {} ranks, found {}", kMaxCount, n.size()));
    for (std::size_t i = 0; i < n.size(); ++i) {
      const YAML::Node r = n[i];
      const std::string at = fmt::format("{}[{}]", key, i);
      if (!r.IsSequence() || r.size() != 3) {
        problem(r, at, fmt::format("expected [sip, cube, pe], found {}", describe(r)));
        continue;
      }
      std::array<int, 3> c{};
      for (std::size_t j = 0; j < 3; ++j)
        c[j] = count(r[j], fmt::format("{}[{}]", at, j), 0).value_or(0);
      e.ranks.push_back({c[0], c[1], c[2]});
    }
    e.mapping = RankMapping::explicit_list;
    if (e.world_size && *e.world_size != static_cast<int>(e.ranks.size()))
      problem(n, key,
              fmt::format("lists {} ranks but world_size is {}", e.ranks.size(), *e.world_size));
    e.world_size = static_cast<int>(e.ranks.size());
  }

  // A key an algorithm declares: read by its shape, then stored where the algorithm says.
  void read_declared(const EntryKey& k, const YAML::Node& n, const std::string& key,
                     AlgorithmEntry& e) {
    if (k.shape == EntryKey::Shape::text || k.shape == EntryKey::Shape::file)
      return read_text(k, n, key, e);
    std::vector<int> values;
    if (k.shape == EntryKey::Shape::count) {
      const auto v = count(n, key);
      if (!v) return;
      values = {*v};
    } else {
      values = rows_cols(n, key, e);
      if (values.empty()) return;
    }
    if (k.store != nullptr)
      k.store(e, values);
    else
      e.values[k.name] = std::move(values);
  }

  // A non-empty text; for a file, the path taken from the ccl file's folder when relative, and a
  // problem when it names no readable regular file.
  void read_text(const EntryKey& k, const YAML::Node& n, const std::string& key,
                 AlgorithmEntry& e) {
    const auto text = scalar<std::string>(n, key, [](const std::string& s) { return s; });
    if (!text) return;
    if (text->empty()) return problem(n, key, "expected a non-empty text, found \"\"");
    std::string value = *text;
    if (k.shape == EntryKey::Shape::file) {
      const std::filesystem::path path(value);
      if (path.is_relative() && !folder_.empty())
        value = (std::filesystem::path(folder_) / path).string();
      try {
        base::read_input_file(value, "file");
      } catch (const base::Error& error) {
        return problem(n, key, error.what());
      }
    }
    e.texts[k.name] = std::move(value);
  }

  // {rows: R, cols: C}, either optional (0): a problem when both are given and their product is
  // not the entry's world size. Empty when `n` is not a mapping.
  std::vector<int> rows_cols(const YAML::Node& n, const std::string& key, const AlgorithmEntry& e) {
    if (!n.IsMap()) {
      problem(n, key, "expected {rows: R, cols: C}, found " + describe(n));
      return {};
    }
    check_keys(n, key, kRowsColsKeys);
    int rows = 0, cols = 0;
    if (const auto r = n["rows"]) rows = count(r, key + ".rows").value_or(0);
    if (const auto c = n["cols"]) cols = count(c, key + ".cols").value_or(0);
    if (e.world_size && rows > 0 && cols > 0 && std::int64_t{rows} * cols != *e.world_size)
      problem(n, key,
              fmt::format("expected rows x cols = world_size {}, found {} x {}", *e.world_size,
                          rows, cols));
    return {rows, cols};
  }

  std::string source_;
  std::span<const std::string> kinds_;
  std::string folder_;
  std::vector<std::string> problems_;
  std::vector<std::string> names_;
  // Where each --set put its value: its key path ("algorithms.E.mesh.rows"), the section it is
  // under ("algorithms.E.") and its text.
  struct SetAt {
    std::string path, section, origin;
  };
  std::vector<SetAt> set_at_;
};

}  // namespace

namespace detail {

CclRead read_ccl(std::string_view text, std::string_view source_name,
                 std::span<const std::string> kinds,
                 const std::vector<std::pair<std::string, EntryKey>>& declared, std::string folder,
                 std::span<const CclSetting> settings) {
  Reader reader{std::string(source_name), kinds, declared, std::move(folder)};
  CclRead out;
  try {
    out.config = reader.read(YAML::Load(std::string(text)), settings);
  } catch (const YAML::Exception& e) {
    out.problems.push_back(fmt::format("{}:{}:{}: not valid YAML: {}", source_name, e.mark.line + 1,
                                       e.mark.column + 1, e.msg));
    return out;
  }
  out.problems = std::move(reader.problems());
  out.names = std::move(reader.names());
  return out;
}

CclConfig read_ccl_text(std::string_view text, std::string_view source_name,
                        std::span<const std::string> kinds,
                        const std::vector<std::pair<std::string, EntryKey>>& declared,
                        std::string folder) {
  CclRead read = read_ccl(text, source_name, kinds, declared, std::move(folder));
  if (!read.problems.empty()) throw base::ConfigError(std::move(read.problems));
  return std::move(read.config);
}

}  // namespace detail
}  // namespace kernbench::ccl
