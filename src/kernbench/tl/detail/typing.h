// Internal: typing helpers every element-wise op shares — the promoted dtype of two operands,
// turning an operand into a tile of a dtype, the program operands belong to, pointer arithmetic.
#pragma once

#include <string_view>

#include "kernbench/tl/operand.h"
#include "kernbench/tl/ops_elementwise.h"

namespace kernbench::tl::detail {

/// The name of a binary op as errors print it ("add", "truediv", "lt" ...).
std::string_view op_name(BinaryOp op);
/// The kind of an operand's dtype (or of its weak value).
TypeKind kind_of_operand(const Operand& o);
/// The dtype of a typed operand, or the materialised type of a weak one.
DType dtype_of_operand(const Operand& o);
/// TRITON.md §4.3 (rule 0 for weak operands, then rules 1-6); errors name `op` and the operands.
DType promote(const Operand& a, const Operand& b, bool div_or_mod, std::string_view op);
/// The operand as a tile of dtype `r` (a weak number becomes a rank-0 tile).
Tile as_tile(const Operand& o, DType r, Program* program);
/// The operand cast to bool (a weak number becomes a rank-0 bool tile).
Tile as_bool(const Operand& o);
/// The program of the first typed operand that has one.
Program* program_of_operands(const Operand& a, const Operand& b, const Operand* c = nullptr);
/// Pointer arithmetic and comparison (TRITON.md §4.6): ptr +/- int offsets, ptr cmp ptr.
Tile pointer_binary(BinaryOp op, const Operand& a, const Operand& b);

}  // namespace kernbench::tl::detail
