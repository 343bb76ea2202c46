// Usage errors in the project's words: what CLI11 could not place on the command line is answered
// with the nearest subcommand or option, and every value check of an option (a count in a range,
// a name from a list) says what it expected in words.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace kernbench::apps {

/// The one-line message for a parse error of `app` (not --help or --version): for an argument no
/// subcommand took, "unknown subcommand 'runn' (did you mean 'run'?); known: ..." or "unknown
/// option
/// '--chek' (did you mean '--check'?); ...", else CLI11's own message.
std::string usage_message(const CLI::App& app, const CLI::ParseError& error);

/// A CLI11 check for an integer option: a whole number from `least` to `most`, else "expected
/// <what> from <least> to <most>[ (<note>)], found \"text\"" (a non-number included).
std::function<std::string(const std::string&)> check_integer(std::string what, long long least,
                                                             long long most, std::string note = "");

/// A CLI11 check for a name from a list: `accepts(text)`, else "unknown <what> 'text' (did you mean
/// 'x'?); known: a, b, c" (base::unknown_name_message).
std::function<std::string(const std::string&)> check_name(
    std::string what, std::vector<std::string> known,
    std::function<bool(const std::string&)> accepts = {});

}  // namespace kernbench::apps
