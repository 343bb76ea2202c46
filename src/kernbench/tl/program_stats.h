// Where a program's time went, for the launcher to sum per PE and report with the completion:
// the runtime's ProgramStats (rt owns the type so a launch can sum it without knowing tl). For a
// kernel-language program the elapsed time is exactly vector + matrix + waiting (issuing a DMA
// costs the program nothing; its transfers run beside the compute and show up as DMA time).
#pragma once

#include "kernbench/rt/program_context.h"

namespace kernbench::tl {

using ProgramStats = rt::ProgramStats;

}  // namespace kernbench::tl
