#include "usage_error.h"

#include <charconv>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernbench/base/name_suggestion.h"
#include "kernbench/base/quantity_parser.h"

namespace kernbench::apps {
namespace {

// The subcommands the command line named, from the top: kernbench, then ccl, then bench.
std::vector<const CLI::App*> parsed_chain(const CLI::App& app) {
  std::vector<const CLI::App*> chain{&app};
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (const CLI::App* sub : chain.back()->get_subcommands())
      if (sub->parsed()) {
        chain.push_back(sub);
        deeper = true;
        break;
      }
  }
  return chain;
}

// "kernbench ccl bench", or without the program's name ("ccl bench") for the start of a message
// the program's name already opens.
std::string command_path(const std::vector<const CLI::App*>& chain, bool with_program = true) {
  std::vector<std::string> names;
  for (std::size_t i = with_program ? 0 : 1; i < chain.size(); ++i)
    names.push_back(chain[i]->get_name());
  return fmt::format("{}", fmt::join(names, " "));
}

// Every option name the last subcommand accepts: its own and, as options fall through, those of
// the commands above it.
std::vector<std::string> option_names(const std::vector<const CLI::App*>& chain) {
  std::vector<std::string> names;
  for (auto a = chain.rbegin(); a != chain.rend(); ++a)
    for (const CLI::Option* option : (*a)->get_options()) {
      for (const std::string& n : option->get_lnames()) names.push_back("--" + n);
      for (const std::string& n : option->get_snames()) names.push_back("-" + n);
    }
  return names;
}

// The first subcommand under `app` (depth first, in declaration order) that has the option `name`
// of its own, as a path from the top ("kernbench ccl bench"), or empty.
std::string owner_of(const CLI::App& app, const std::string& name, const std::string& path) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    const std::string sub_path = path + " " + sub->get_name();
    for (const std::string& n : option_names({sub}))
      if (n == name) return sub_path;
    if (std::string deeper = owner_of(*sub, name, sub_path); !deeper.empty()) return deeper;
  }
  return "";
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

std::string unknown_option(const std::vector<const CLI::App*>& chain, const std::string& arg) {
  const std::string name = arg.substr(0, arg.find('='));
  const std::vector<std::string> known = option_names(chain);
  std::string message = fmt::format("unknown option '{}'", base::excerpt(name));
  const std::string owner = owner_of(*chain.front(), name, chain.front()->get_name());
  if (!owner.empty())
    return fmt::format("{} for {}; it is an option of {}", message, command_path(chain), owner);
  if (const auto guess = base::closest_name(name, known))
    message += fmt::format(" (did you mean '{}'?)", *guess);
  return message + fmt::format("; {} --help lists the options", command_path(chain));
}

}  // namespace

std::string usage_message(const CLI::App& app, const CLI::ParseError& error) {
  const std::vector<const CLI::App*> chain = parsed_chain(app);
  const CLI::App& last = *chain.back();
  const std::vector<std::string> extras = app.remaining(true);
  const bool wants_subcommand = last.get_require_subcommand_min() > 0;
  if (extras.empty()) {
    if (!wants_subcommand || !last.get_subcommands().empty()) return error.what();
    return fmt::format("{}expected a subcommand, one of {}",
                       chain.size() == 1 ? "" : command_path(chain, false) + ": ",
                       fmt::join(subcommand_names(last), ", "));
  }
  const std::string& first = extras.front();
  if (first.size() > 1 && first.front() == '-') return unknown_option(chain, first);
  if (wants_subcommand) {
    const std::string what =
        chain.size() == 1 ? "subcommand" : fmt::format("{} subcommand", last.get_name());
    return base::unknown_name_message(what, base::excerpt(first), subcommand_names(last));
  }
  return fmt::format("{}unexpected argument '{}'",
                     chain.size() == 1 ? "" : command_path(chain, false) + ": ",
                     base::excerpt(first));
}

std::function<std::string(const std::string&)> check_integer(std::string what, long long least,
                                                             long long most, std::string note) {
  return [what = std::move(what), least, most, note = std::move(note)](const std::string& text) {
    long long value = 0;
    const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (status == std::errc() && end == text.data() + text.size() && value >= least &&
        value <= most)
      return std::string();
    return fmt::format("expected {} from {} to {}{}, found \"{}\"", what, least, most,
                       note.empty() ? "" : fmt::format(" ({})", note), base::excerpt(text));
  };
}

std::function<std::string(const std::string&)> check_name(
    std::string what, std::vector<std::string> known,
    std::function<bool(const std::string&)> accepts) {
  return [what = std::move(what), known = std::move(known),
          accepts = std::move(accepts)](const std::string& text) {
    const bool ok =
        accepts ? accepts(text) : std::find(known.begin(), known.end(), text) != known.end();
    return ok ? std::string() : base::unknown_name_message(what, base::excerpt(text), known);
  };
}

}  // namespace kernbench::apps
