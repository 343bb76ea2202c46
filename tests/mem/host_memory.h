// Host heap accounting for the tests that bound memory use: the test binary replaces the global
// operator new/delete (host_memory.cc) and counts live bytes as malloc reports them.
#pragma once

#include <cstdint>

namespace kernbench::mem::testing {

/// Live heap bytes allocated through operator new (usable sizes, plus 16 B of malloc header each).
std::int64_t live_host_bytes();

}  // namespace kernbench::mem::testing
