// The kernel language in one include: tiles, element-wise ops, math, reductions, dot, memory and
// programs, atomics. Kernels write `using namespace kernbench::tl;` and read like Triton.
#pragma once

#include "kernbench/tl/atomics.h"
#include "kernbench/tl/block_ptr.h"
#include "kernbench/tl/creation.h"
#include "kernbench/tl/dot.h"
#include "kernbench/tl/hints.h"
#include "kernbench/tl/ipcq.h"
#include "kernbench/tl/math.h"
#include "kernbench/tl/memory_ops.h"
#include "kernbench/tl/ops_elementwise.h"
#include "kernbench/tl/program.h"
#include "kernbench/tl/reductions.h"
#include "kernbench/tl/semantic_error.h"
#include "kernbench/tl/shape_ops.h"
#include "kernbench/tl/tensor_desc.h"
#include "kernbench/tl/tile.h"
#include "kernbench/tl/typed_kernel.h"
