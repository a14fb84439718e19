//===- SizeExpressionTest.cpp - run-time size expressions -----------------===//

#include "deconv/Runtime/SizeExpression.h"

#include "gtest/gtest.h"

using namespace deconv;

namespace {

int64_t eval(const std::string &text,
             const std::map<std::string, int64_t> &variables = {}) {
  StatusOr<int64_t> value = evaluateSizeExpression(text, variables);
  EXPECT_TRUE(value) << value.message();
  return value ? *value : 0;
}

std::string error(const std::string &text,
                  const std::map<std::string, int64_t> &variables = {}) {
  StatusOr<int64_t> value = evaluateSizeExpression(text, variables);
  return value ? "no error" : value.message();
}

TEST(SizeExpression, ArithmeticAndPrecedence) {
  EXPECT_EQ(eval("1 + 2 * 3"), 7);
  EXPECT_EQ(eval("(1 + 2) * 3"), 9);
  EXPECT_EQ(eval("7LL - 10LL - 2LL"), -5);
  EXPECT_EQ(eval("-3 * -4"), 12);
  EXPECT_EQ(eval("max(2, 5) + min(-1, 4)"), 4);
}

TEST(SizeExpression, RoundsDivisionsTowardTheRightInfinity) {
  EXPECT_EQ(eval("deconv_ceildiv(7, 2)"), 4);
  EXPECT_EQ(eval("deconv_ceildiv(-7, 2)"), -3);
  EXPECT_EQ(eval("deconv_ceildiv(6, 2)"), 3);
  EXPECT_EQ(eval("deconv_floordiv(7, 2)"), 3);
  EXPECT_EQ(eval("deconv_floordiv(-7, 2)"), -4);
  EXPECT_EQ(eval("deconv_floordiv(-7, -2)"), 3);
}

TEST(SizeExpression, EvaluatesWhatTheEmitterWrites) {
  // The thread count of a dynamic f16 kernel (see test/Target/CUDA).
  EXPECT_EQ(eval("(DECONV_INPUT_DIM0 * 2LL * 4LL * 2LL * "
                 "deconv_ceildiv((((DECONV_INPUT_DIM3 + -1LL) * 2LL) + 2LL), "
                 "2LL))",
                 {{"DECONV_INPUT_DIM0", 3}, {"DECONV_INPUT_DIM3", 5}}),
            3 * 2 * 4 * 2 * 5);
}

TEST(SizeExpression, EveryErrorIsOneLine) {
  EXPECT_EQ(error("N + 1"),
            "size expression 'N + 1': unbound name 'N' at offset 0");
  EXPECT_EQ(error("deconv_ceildiv(1, 0)"),
            "size expression 'deconv_ceildiv(1, 0)': division by zero at "
            "offset 20");
  EXPECT_NE(error("9223372036854775807 + 1").find("overflow"),
            std::string::npos);
  EXPECT_NE(error("4294967296 * 4294967296").find("overflow"),
            std::string::npos);
  EXPECT_NE(error("99999999999999999999").find("literal overflows"),
            std::string::npos);
  EXPECT_NE(error("(1 + 2").find("expected ')'"), std::string::npos);
  EXPECT_NE(error("1 +").find("expected a number"), std::string::npos);
  EXPECT_NE(error("pow(2, 3)").find("unknown function 'pow'"),
            std::string::npos);
  EXPECT_NE(error("1 2").find("unexpected '2'"), std::string::npos);
}

TEST(SizeExpression, DeepNestingIsAnErrorNotAStackOverflow) {
  // 50,000 brackets, minus signs or calls deep: one line each.
  const std::string brackets =
      std::string(50000, '(') + "1" + std::string(50000, ')');
  EXPECT_NE(error(brackets).find("nests deeper than 200"), std::string::npos);
  EXPECT_NE(error(std::string(50000, '-') + "1").find("nests deeper than 200"),
            std::string::npos);
  std::string calls;
  for (int i = 0; i < 50000; ++i)
    calls += "max(1, ";
  calls += "1" + std::string(50000, ')');
  EXPECT_NE(error(calls).find("nests deeper than 200"), std::string::npos);
  // What the emitter writes nests a few levels; 100 is still fine.
  EXPECT_EQ(eval(std::string(100, '(') + "7" + std::string(100, ')')), 7);
}

} // namespace
