// Results and errors as bytes, so a point simulated by one MPI process reaches rank 0 exactly as
// it was: every field written in full (doubles bit for bit), so the gathered run prints
// byte-identical output to the single-process one.
#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/ccl/collective_bench.h"
#include "kernbench/report/run_record.h"

namespace kernbench::apps {

/// A bench's record as bytes, and back.
std::string encode_record(const report::BenchRecord& record);
report::BenchRecord decode_record(std::string_view bytes);

/// A collective bench row as bytes, and back.
std::string encode_row(const ccl::BenchRow& row);
ccl::BenchRow decode_row(std::string_view bytes);

/// A point's outcome: 'r' then its result's bytes, or 'e' then the error it threw.
std::string encode_result(std::string_view result);
std::string encode_error(const std::exception_ptr& error);
/// The result's bytes of an outcome, or throws its error again as a type the command line maps
/// to the same message and exit code (a configuration error, a host-memory or input limit, out
/// of host memory, an error, an internal error).
std::string_view result_or_throw(std::string_view outcome);

/// One process's message: each of its `points` with its outcome (the same index in `outcomes`).
std::string encode_points(const std::vector<std::size_t>& points,
                          const std::vector<std::string>& outcomes);
/// Puts each outcome of a message into `by_point` at its point.
void decode_points(std::string_view message, std::vector<std::string>& by_point);

}  // namespace kernbench::apps
