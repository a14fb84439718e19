//===- CExpressionMath.h - phase formulas as CUDA C expressions -*- C++ -*-===//
//
// The arithmetic DeconvPhases.h's formulas are generic over, producing CUDA C
// expressions (in `long long`) instead of numbers or IR: a strategy names its
// run-time values ("p0", "DECONV_INPUT_DIM3", ...) and gets the phase's
// first tap, tap count, input shift and positions as expressions, so kernels
// use the one derivation the loop nests use. Literals fold.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_LIB_TARGET_CUDA_CEXPRESSIONMATH_H
#define DECONV_LIB_TARGET_CUDA_CEXPRESSIONMATH_H

#include "deconv/Dialect/Deconv/IR/DeconvPhases.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::deconv {

struct CExpressionMath {
  using Value = std::string;
  using Bool = std::string;

  static std::string constant(int64_t value) {
    return std::to_string(value) + "LL";
  }
  static std::optional<int64_t> literal(const std::string &value) {
    if (value.size() < 3 || value.substr(value.size() - 2) != "LL")
      return std::nullopt;
    std::string digits = value.substr(0, value.size() - 2);
    size_t start = digits[0] == '-' ? 1 : 0;
    if (start == digits.size() ||
        digits.find_first_not_of("0123456789", start) != std::string::npos)
      return std::nullopt;
    return std::stoll(digits);
  }
  std::string add(const std::string &x, const std::string &y) {
    auto a = literal(x), b = literal(y);
    if (a && b)
      return constant(*a + *b);
    if (a == 0)
      return y;
    if (b == 0)
      return x;
    return "(" + x + " + " + y + ")";
  }
  std::string add(const std::string &x, int64_t y) {
    return add(x, constant(y));
  }
  std::string sub(const std::string &x, const std::string &y) {
    auto a = literal(x), b = literal(y);
    if (a && b)
      return constant(*a - *b);
    if (b == 0)
      return x;
    return "(" + x + " - " + y + ")";
  }
  std::string mul(const std::string &x, int64_t y) {
    if (auto a = literal(x))
      return constant(*a * y);
    if (y == 0)
      return constant(0);
    if (y == 1)
      return x;
    return "(" + x + " * " + constant(y) + ")";
  }
  /// x * y, x / y and x mod y of two run-time values (x >= 0, y > 0 for the
  /// last two): what a formula needs beyond DeconvPhases.h's, where a phase
  /// is known only at run time.
  std::string mul(const std::string &x, const std::string &y) {
    if (auto b = literal(y))
      return mul(x, *b);
    if (auto a = literal(x))
      return mul(y, *a);
    return "(" + x + " * " + y + ")";
  }
  std::string floorDiv(const std::string &x, const std::string &y) {
    if (auto b = literal(y); b && *b > 0)
      return floorDiv(x, *b);
    return "(" + x + " / " + y + ")";
  }
  std::string rem(const std::string &x, const std::string &y) {
    if (auto b = literal(y); b && *b > 0)
      return rem(x, *b);
    return "(" + x + " % " + y + ")";
  }
  std::string floorDiv(const std::string &x, int64_t y) {
    if (y == 1)
      return x;
    if (auto a = literal(x))
      return constant(IntegerMath::floorDiv(*a, y));
    return "deconv_floordiv(" + x + ", " + constant(y) + ")";
  }
  std::string ceilDiv(const std::string &x, int64_t y) {
    if (y == 1)
      return x;
    if (auto a = literal(x))
      return constant(IntegerMath::ceilDiv(*a, y));
    return "deconv_ceildiv(" + x + ", " + constant(y) + ")";
  }
  /// x mod y for x >= 0.
  std::string rem(const std::string &x, int64_t y) {
    if (y == 1)
      return constant(0);
    if (auto a = literal(x))
      return constant(*a % y);
    return "(" + x + " % " + constant(y) + ")";
  }
  std::string max(const std::string &x, const std::string &y) {
    return "max(" + x + ", " + y + ")";
  }
  std::string min(const std::string &x, const std::string &y) {
    return "min(" + x + ", " + y + ")";
  }
  std::string lessThan(const std::string &x, const std::string &y) {
    return "(" + x + " < " + y + ")";
  }
  std::string equal(const std::string &x, const std::string &y) {
    return "(" + x + " == " + y + ")";
  }
  std::string both(const std::string &x, const std::string &y) {
    return "(" + x + " && " + y + ")";
  }
  std::string select(const std::string &condition, const std::string &x,
                     const std::string &y) {
    if (x == y)
      return x;
    return "(" + condition + " ? " + x + " : " + y + ")";
  }
};

} // namespace mlir::deconv

#endif // DECONV_LIB_TARGET_CUDA_CEXPRESSIONMATH_H
