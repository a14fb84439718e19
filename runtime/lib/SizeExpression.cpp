//===- SizeExpression.cpp - sizes that depend on run-time shapes ----------===//
//
// A recursive-descent evaluator:
//   sum     := product (('+' | '-') product)*
//   product := unary ('*' unary)*
//   unary   := '-' unary | primary
//   primary := integer ['LL'] | name | name '(' sum ',' sum ')' | '(' sum ')'
//
// Nesting (brackets, calls, unary minus) is bounded, so no text, however
// deep, overflows the stack.
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/SizeExpression.h"

#include <cctype>
#include <string>

using namespace deconv;

namespace {

class Evaluator {
public:
  Evaluator(std::string_view text,
            const std::map<std::string, int64_t> &variables)
      : text(text), variables(variables) {}

  StatusOr<int64_t> run() {
    StatusOr<int64_t> value = sum();
    if (!value)
      return value;
    skipSpaces();
    if (pos != text.size())
      return fail("unexpected '" + std::string(text.substr(pos, 1)) + "'");
    return value;
  }

private:
  Status fail(const std::string &message) { return fail(message, pos); }
  Status fail(const std::string &message, size_t at) {
    // A long text is cut, so the message stays a readable line.
    std::string shown(text.substr(0, 80));
    if (text.size() > 80)
      shown += "...";
    return Status::error("size expression '" + shown + "': " + message +
                         " at offset " + std::to_string(at));
  }
  void skipSpaces() {
    while (pos < text.size() &&
           std::isspace(static_cast<unsigned char>(text[pos])))
      ++pos;
  }
  bool consume(char c) {
    skipSpaces();
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }

  /// Counts one level of nesting for as long as it lives.
  struct Nesting {
    explicit Nesting(int &depth) : depth(depth) { ++depth; }
    ~Nesting() { --depth; }
    int &depth;
  };
  static constexpr int kMaxDepth = 200;

  StatusOr<int64_t> sum() {
    Nesting nesting(depth);
    if (depth > kMaxDepth)
      return fail("nests deeper than " + std::to_string(kMaxDepth));
    StatusOr<int64_t> left = product();
    while (left) {
      bool add = consume('+');
      if (!add && !consume('-'))
        break;
      StatusOr<int64_t> right = product();
      if (!right)
        return right;
      int64_t result;
      if (add ? __builtin_add_overflow(*left, *right, &result)
              : __builtin_sub_overflow(*left, *right, &result))
        return fail("overflow");
      left = result;
    }
    return left;
  }

  StatusOr<int64_t> product() {
    StatusOr<int64_t> left = unary();
    while (left && consume('*')) {
      StatusOr<int64_t> right = unary();
      if (!right)
        return right;
      int64_t result;
      if (__builtin_mul_overflow(*left, *right, &result))
        return fail("overflow");
      left = result;
    }
    return left;
  }

  StatusOr<int64_t> unary() {
    if (consume('-')) {
      Nesting nesting(depth);
      if (depth > kMaxDepth)
        return fail("nests deeper than " + std::to_string(kMaxDepth));
      StatusOr<int64_t> value = unary();
      if (!value)
        return value;
      if (*value == INT64_MIN)
        return fail("overflow");
      return -*value;
    }
    return primary();
  }

  StatusOr<int64_t> primary() {
    skipSpaces();
    if (consume('(')) {
      StatusOr<int64_t> value = sum();
      if (value && !consume(')'))
        return fail("expected ')'");
      return value;
    }
    if (pos < text.size() &&
        std::isdigit(static_cast<unsigned char>(text[pos]))) {
      int64_t value = 0;
      while (pos < text.size() &&
             std::isdigit(static_cast<unsigned char>(text[pos]))) {
        if (__builtin_mul_overflow(value, 10, &value) ||
            __builtin_add_overflow(value, text[pos] - '0', &value))
          return fail("literal overflows 64 bits");
        ++pos;
      }
      if (text.substr(pos, 2) == "LL")
        pos += 2;
      return value;
    }
    size_t start = pos;
    while (pos < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[pos])) ||
            text[pos] == '_'))
      ++pos;
    std::string name(text.substr(start, pos - start));
    if (name.empty())
      return fail("expected a number, a name or '('");
    if (!consume('(')) {
      auto found = variables.find(name);
      if (found == variables.end())
        return fail("unbound name '" + name + "'", start);
      return found->second;
    }
    StatusOr<int64_t> a = sum();
    if (!a)
      return a;
    if (!consume(','))
      return fail("expected ',' in " + name + "()");
    StatusOr<int64_t> b = sum();
    if (!b)
      return b;
    if (!consume(')'))
      return fail("expected ')' after " + name + "()");
    if (name == "max")
      return std::max(*a, *b);
    if (name == "min")
      return std::min(*a, *b);
    if (name != "deconv_ceildiv" && name != "deconv_floordiv")
      return fail("unknown function '" + name + "'", start);
    if (*b == 0)
      return fail("division by zero");
    if (*a == INT64_MIN && *b == -1)
      return fail("overflow");
    int64_t quotient = *a / *b, remainder = *a % *b;
    bool signsDiffer = (*a < 0) != (*b < 0);
    if (name == "deconv_floordiv")
      return remainder != 0 && signsDiffer ? quotient - 1 : quotient;
    return remainder != 0 && !signsDiffer ? quotient + 1 : quotient;
  }

  std::string_view text;
  const std::map<std::string, int64_t> &variables;
  size_t pos = 0;
  int depth = 0;
};

} // namespace

StatusOr<int64_t> deconv::evaluateSizeExpression(
    std::string_view expression,
    const std::map<std::string, int64_t> &variables) {
  return Evaluator(expression, variables).run();
}
