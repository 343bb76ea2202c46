// Usage errors (exit code 2) in the project's words: a misspelt subcommand, option or value is
// answered with the nearest name and the known ones; an integer option says its range in words.
#include <string>

#include <gtest/gtest.h>

#include "expect_error.h"

namespace {

using kernbench::tests::expect_error;

const std::string kHelp = "Run with --help for more information.\n";

void expect_usage_error(const std::string& args, const std::string& message) {
  expect_error(args, "kernbench: error: " + message + "\n" + kHelp, 2);
}

TEST(UsageErrors, MisspeltSubcommandNamesTheNearest) {
  expect_usage_error("runn softmax",
                     "unknown subcommand 'runn' (did you mean 'run'?); known: run, list, topo, "
                     "validate, sweep, ccl");
  expect_usage_error("ccl plans ring_tcm_8",
                     "unknown ccl subcommand 'plans' (did you mean 'plan'?); known: plan, bench");
  expect_usage_error("frobnicate",
                     "unknown subcommand 'frobnicate'; known: run, list, topo, "
                     "validate, sweep, ccl");
}

TEST(UsageErrors, MissingSubcommandListsThem) {
  expect_usage_error("", "expected a subcommand, one of run, list, topo, validate, sweep, ccl");
  expect_usage_error("ccl", "ccl: expected a subcommand, one of plan, bench");
}

// An option is looked for among the subcommand's own and the global ones (which may follow it).
TEST(UsageErrors, MisspeltOptionNamesTheNearest) {
  expect_usage_error("--topolgy x.yaml topo",
                     "unknown option '--topolgy' (did you mean '--topology'?); kernbench topo "
                     "--help lists the options");
  expect_usage_error("ccl bench --chek",
                     "unknown option '--chek' (did you mean '--check'?); kernbench ccl bench "
                     "--help lists the options");
  expect_usage_error("run --jbos=3",
                     "unknown option '--jbos' (did you mean '--jobs'?); kernbench run --help "
                     "lists the options");
  expect_usage_error("run --no-such-option",
                     "unknown option '--no-such-option'; kernbench run --help lists the options");
}

// An option of another subcommand says whose it is.
TEST(UsageErrors, OptionOfAnotherSubcommandSaysWhose) {
  expect_usage_error("run --check",
                     "unknown option '--check' for kernbench run; it is an option of kernbench ccl "
                     "bench");
  expect_usage_error("ccl bench --csv x.csv",
                     "unknown option '--csv' for kernbench ccl bench; it is an option of kernbench "
                     "sweep");
}

TEST(UsageErrors, UnexpectedArgument) {
  expect_usage_error("topo extra", "topo: unexpected argument 'extra'");
}

// Every option whose value is one of a list names the list, and the nearest when it is close.
TEST(UsageErrors, EnumValuedOptionsListTheirValues) {
  expect_usage_error("ccl bench --dtype f8",
                     "--dtype: unknown dtype 'f8' (did you mean 'i8'?); known: f16, bf16, f32, "
                     "f64, i8, i16, i32, i64, u8, u16, u32, bool");
  expect_usage_error("ccl bench --op all_reduc",
                     "--op: unknown collective op 'all_reduc' (did you mean 'all_reduce'?); known: "
                     "all_reduce, reduce_scatter, all_gather, broadcast, reduce, all_to_all");
  expect_usage_error("ccl bench --redop avg",
                     "--redop: unknown reduction 'avg'; known: sum, prod, max, min");
  expect_usage_error("list bechnes",
                     "section: unknown section 'bechnes' (did you mean 'benches'?); known: "
                     "benches, kernels, algorithms, configs");
}

TEST(UsageErrors, IntegerOptionsSayTheirRangeInWords) {
  expect_usage_error("ccl bench --root first",
                     "--root: expected a rank from 0 to 16777215, found \"first\"");
  expect_usage_error("ccl bench -f x",
                     "--stepfactor: expected a size factor from 2 to 1024, "
                     "found \"x\"");
}

// A hostile argument is quoted in part, not echoed whole.
TEST(UsageErrors, LongArgumentsAreQuotedInPart) {
  const std::string name(300, 'x');
  expect_usage_error(name, "unknown subcommand '" + std::string(48, 'x') +
                               "... (300 characters)'; known: run, list, topo, validate, sweep, "
                               "ccl");
}

}  // namespace
