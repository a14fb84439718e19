//===- Status.h - errors as values for the runtime --------------*- C++ -*-===//
//
// The runtime builds without LLVM and without exceptions, so errors travel as
// values: a Status holds a one-line message or nothing; StatusOr<T> holds a
// value or a message.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_STATUS_H
#define DECONV_RUNTIME_STATUS_H

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

namespace deconv {

/// Success, or a one-line message naming the problem.
class [[nodiscard]] Status {
public:
  static Status ok() { return Status(); }
  /// Control characters in `message` (an input it quotes may hold any) are
  /// written as \n, \t or \xHH, so it stays one line.
  static Status error(std::string message) {
    Status status;
    status.message_ = escapeControlCharacters(std::move(message));
    return status;
  }
  /// The one-line `message`, then lines of `details` as they are (a
  /// compiler's log); no details: just the message.
  static Status errorWithDetails(std::string message,
                                 const std::string &details) {
    Status status = error(std::move(message));
    if (!details.empty())
      *status.message_ += "\n" + details;
    return status;
  }

  bool isOk() const { return !message_.has_value(); }
  explicit operator bool() const { return isOk(); }
  const std::string &message() const { return *message_; }

private:
  static std::string escapeControlCharacters(std::string text) {
    static const char digits[] = "0123456789abcdef";
    if (std::none_of(text.begin(), text.end(), isControl))
      return text;
    std::string escaped;
    for (char c : text) {
      if (c == '\n')
        escaped += "\\n";
      else if (c == '\t')
        escaped += "\\t";
      else if (isControl(c))
        escaped += std::string("\\x") + digits[(c >> 4) & 15] + digits[c & 15];
      else
        escaped += c;
    }
    return escaped;
  }
  static bool isControl(char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  }

  std::optional<std::string> message_;
};

/// A value of type T, or the Status that explains why there is none.
template <typename T> class [[nodiscard]] StatusOr {
public:
  StatusOr(T value) : value_(std::move(value)) {}
  StatusOr(Status status) : status_(std::move(status)) {}

  bool isOk() const { return value_.has_value(); }
  explicit operator bool() const { return isOk(); }
  const Status &status() const { return status_; }
  const std::string &message() const { return status_.message(); }

  T &operator*() { return *value_; }
  const T &operator*() const { return *value_; }
  T *operator->() { return &*value_; }
  const T *operator->() const { return &*value_; }

private:
  std::optional<T> value_;
  Status status_;
};

} // namespace deconv

#endif // DECONV_RUNTIME_STATUS_H
