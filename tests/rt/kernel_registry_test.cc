#include "kernbench/rt/kernel_registry.h"

#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/rt/demo_kernels.h"

namespace kernbench::rt {
namespace {

TEST(KernelRegistry, AddFindAndReplace) {
  KernelRegistry r;
  int called = 0;
  r.add(
      "k", [&](ProgramContext&) { called = 1; }, "first");
  r.add(
      "k", [&](ProgramContext&) { called = 2; }, "second");  // replaces, as before
  EXPECT_EQ(r.size(), 1u);
  EXPECT_EQ(r.help("k"), "second");
  EXPECT_TRUE(r.contains("k"));
  EXPECT_FALSE(r.contains("q"));
  EXPECT_TRUE(static_cast<bool>(r.find("k")));
}

TEST(KernelRegistry, NamesAreSorted) {
  KernelRegistry r;
  register_demo_kernels(r);
  r.add("axpy", [](ProgramContext&) {});
  EXPECT_EQ(r.names(), (std::vector<std::string>{"axpy", "fill_index", "vector_add"}));
}

TEST(KernelRegistry, TwoRegistriesAreIndependent) {
  KernelRegistry a, b;
  a.add("only_in_a", [](ProgramContext&) {});
  EXPECT_EQ(b.size(), 0u);
}

TEST(KernelRegistryErrors, UnknownNameListsTheKnownOnes) {
  KernelRegistry r;
  try {
    r.find("vector_add");
    FAIL() << "no NotFoundError";
  } catch (const base::NotFoundError& e) {
    EXPECT_EQ(std::string(e.what()), "unknown kernel 'vector_add'; none are known");
  }
  register_demo_kernels(r);
  try {
    r.help("vectoradd");
    FAIL() << "no NotFoundError";
  } catch (const base::NotFoundError& e) {
    EXPECT_EQ(std::string(e.what()),
              "unknown kernel 'vectoradd' (did you mean 'vector_add'?); known: fill_index, "
              "vector_add");
  }
  EXPECT_THROW(r.add("empty", KernelFn{}), base::NotFoundError);
}

}  // namespace
}  // namespace kernbench::rt
