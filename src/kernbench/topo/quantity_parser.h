// The quantity parsers of base (kernbench/base/quantity_parser.h) under the names the topology
// layer's callers have used; the one implementation lives in base.
#pragma once

#include "kernbench/base/quantity_parser.h"

namespace kernbench::topo {

using base::excerpt;
using base::parse_bandwidth;
using base::parse_frequency;
using base::parse_integer;
using base::parse_size;
using base::parse_time;

}  // namespace kernbench::topo
