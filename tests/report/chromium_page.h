// Headless Chromium for the report's render tests (Debian's chromium package, installed by
// scripts/install-deps, or KERNBENCH_CHROMIUM): a page loaded with a probe script appended, whose
// text Chromium's DOM dump carries back, and screenshots. Works without a display or a sandbox
// (CI runs as root); every run has a time limit, so a stuck browser fails the test, not CI.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace kernbench::tests::chromium {

namespace fs = std::filesystem;

/// The Chromium binary, or empty when there is none.
inline std::string binary() {
  if (const char* given = std::getenv("KERNBENCH_CHROMIUM")) return given;
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/snap/bin"})
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"})
      if (fs::exists(fs::path(dir) / name)) return (fs::path(dir) / name).string();
  return {};
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs Chromium headless on `page` with `args`, stdout to `out` (stderr to `out`.stderr); its own
/// profile and HOME under `work`, one per output, so runs never share state (two tests rendering
/// side by side under ctest -j2 into one folder would otherwise meet on the profile's lock, and
/// the second browser exits at once). The shell's exit status.
inline int run(const std::string& chromium, const fs::path& work, const std::string& args,
               const fs::path& page, const fs::path& out) {
  const fs::path home = work / ("chromium-home-" + out.filename().string());
  fs::create_directories(home);
  const std::string command = fmt::format(
      "env HOME='{0}' timeout --kill-after=10 90 '{1}' --headless --no-sandbox --disable-gpu "
      "--disable-dev-shm-usage --no-first-run --no-default-browser-check --hide-scrollbars "
      "--user-data-dir='{0}/profile' {2} 'file://{3}' >'{4}' 2>'{4}.stderr'",
      home.string(), chromium, args, page.string(), out.string());
  return std::system(command.c_str());
}

/// The DOM Chromium dumps after loading a copy of `report` (`stem`_probe.html beside it) with
/// `probe` inserted before </body>, in a window of `window` ("1400,900"); empty when it failed.
inline std::string dump_with_probe(const std::string& chromium, const fs::path& report,
                                   std::string_view probe, std::string_view window) {
  std::string page = read_file(report);
  const std::size_t body = page.rfind("</body>");
  if (body == std::string::npos) return {};
  page.insert(body, probe);
  const fs::path dir = report.parent_path();
  const fs::path probe_page = dir / (report.stem().string() + "_probe.html");
  std::ofstream(probe_page, std::ios::binary) << page;
  const fs::path dom = dir / (report.stem().string() + "_probe.dom.html");
  if (run(chromium, dir, fmt::format("--window-size={} --dump-dom", window), probe_page, dom) != 0)
    return {};
  return read_file(dom);
}

}  // namespace kernbench::tests::chromium
