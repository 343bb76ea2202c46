// Derived counts and peak figures of a machine, per PE / cube / SIP / system: matrix and vector
// FLOP/s per dtype, memory capacities and aggregate HBM bandwidth. What `kernbench topo` prints and
// what roofline-style reports divide by.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kernbench/base/dtype.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::topo {

/// How much of the machine a figure covers.
enum class Scope { pe, cube, sip, system };

/// "PE", "cube", "SIP", "system".
std::string_view name(Scope scope);
/// PEs in one unit of `scope` (1 for a PE).
std::int64_t pes_in(const TopologySpec& spec, Scope scope);
/// Cubes in one unit of `scope`; a PE is not made of cubes (asserts scope != pe).
std::int64_t cubes_in(const TopologySpec& spec, Scope scope);

/// Peak matrix FLOP/s: clock x MACs per cycle x 2 x PEs; 0 when the matrix unit lacks `dtype`.
double matrix_flops(const TopologySpec& spec, base::DType dtype, Scope scope);
/// Vector lanes for `dtype`: 32-bit lanes x 4 / element size (16-bit x2, 8-bit x4, 64-bit / 2).
std::int64_t vector_lanes(const TopologySpec& spec, base::DType dtype);
/// Peak vector FLOP/s: clock x lanes(dtype) x 2 (one fused multiply-add per lane per cycle) x PEs.
double vector_flops(const TopologySpec& spec, base::DType dtype, Scope scope);

/// HBM capacity of cube / SIP / system.
Bytes hbm_capacity(const TopologySpec& spec, Scope scope);
/// Aggregate HBM bandwidth (every slice at once) of cube / SIP / system.
Bandwidth hbm_bandwidth(const TopologySpec& spec, Scope scope);
/// SRAM capacity of cube / SIP / system.
Bytes sram_capacity(const TopologySpec& spec, Scope scope);
/// TCM capacity (reserved part included) of PE / cube / SIP / system.
Bytes tcm_capacity(const TopologySpec& spec, Scope scope);

/// "3.072 TFLOP/s": FLOP/s with a decimal prefix, three significant decimals at most.
std::string flops_to_string(double flops);

}  // namespace kernbench::topo
