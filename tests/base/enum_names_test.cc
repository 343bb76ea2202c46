#include "kernbench/base/enum_names.h"

#include <gtest/gtest.h>

#include "kernbench/base/combine.h"
#include "kernbench/base/dtype.h"

namespace kernbench::base {
namespace {

// The lists come from each enum's own name table, in its order.
TEST(EnumNames, ListsComeFromTheNameTable) {
  EXPECT_EQ(names_of(kAllCombineOps), (std::vector<std::string>{"sum", "prod", "max", "min"}));
  EXPECT_EQ(joined_names(kAllCombineOps), "sum, prod, max, min");
  EXPECT_EQ(names_of(kAllDTypes).size(), kAllDTypes.size());
  for (DType t : kAllDTypes) EXPECT_EQ(parse_dtype(name(t)), t) << name(t);
  for (CombineOp op : kAllCombineOps) EXPECT_EQ(parse_combine_op(name(op)), op) << name(op);
}

}  // namespace
}  // namespace kernbench::base
