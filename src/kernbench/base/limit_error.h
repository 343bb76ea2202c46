// Errors of an input past a limit its caller set -- a file larger than the input-size limit, a
// simulation whose host-memory estimate passes the budget -- typed by the limit, so that each
// front end names its own way of raising it (the CLI its option) and the library names none.
#pragma once

#include "kernbench/base/error.h"

namespace kernbench::base {

/// An input file larger than the limit on input files (base::read_input_file).
class InputSizeLimitError : public ConfigError {
 public:
  using ConfigError::ConfigError;
};

/// A simulation whose estimated host memory passes the budget (topo::check_host_memory).
class HostMemoryLimitError : public OutOfMemoryError {
 public:
  using OutOfMemoryError::OutOfMemoryError;
};

}  // namespace kernbench::base
