// The error types. A user's mistake (bad config, shape, memory, address, name, a model that cannot
// progress) is an exception of a type per kind, whose message names what and where; the command
// line maps them to one clear message and an exit code. Our own bugs are InternalError (KB_ASSERT).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace kernbench::base {

/// Base of every error caused by the user's input or model.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A topology / ccl / override problem. Holds every problem found, one line each.
class ConfigError : public Error {
 public:
  explicit ConfigError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

/// A shape that does not fit an operation or placement.
class ShapeError : public Error {
 public:
  using Error::Error;
};

/// An allocation that does not fit in the named memory.
class OutOfMemoryError : public Error {
 public:
  using Error::Error;
};

/// An access to an unmapped, overlapping or out-of-range address.
class AddressError : public Error {
 public:
  using Error::Error;
};

/// An unknown name (kernel, algorithm, key, dtype ...); the message lists the known ones.
class NotFoundError : public Error {
 public:
  using Error::Error;
};

/// The simulation cannot progress: processes wait and nothing is scheduled.
class DeadlockError : public Error {
 public:
  using Error::Error;
};

/// The simulation hit its time or event limit.
class SimulationLimitError : public Error {
 public:
  using Error::Error;
};

/// A user-code exception that escaped a simulated process; the message names the process.
class ProcessError : public Error {
 public:
  using Error::Error;
};

/// A broken invariant in KernBench itself (a bug to report, not a user mistake).
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace kernbench::base
