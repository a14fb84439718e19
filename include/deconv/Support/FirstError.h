//===- FirstError.h - the first error diagnostic as one line ----*- C++ -*-===//
//
// Tools and the C++ API report one line per failure. While in scope, a
// FirstError takes the context's error diagnostics and keeps the first,
// prefixed with where it happened: `file:line:col: ` for parsed IR, or
// `layer 'name': ` for ops built by the network builder (a NameLoc).
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_SUPPORT_FIRSTERROR_H
#define DECONV_SUPPORT_FIRSTERROR_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::deconv {

class FirstError {
public:
  explicit FirstError(MLIRContext *context)
      : handler(context, [this](Diagnostic &diagnostic) {
          if (diagnostic.getSeverity() != DiagnosticSeverity::Error ||
              !message.empty())
            return success();
          llvm::raw_string_ostream os(message);
          Location location = diagnostic.getLocation();
          if (auto file = dyn_cast<FileLineColLoc>(location))
            os << file.getFilename().getValue() << ":" << file.getLine() << ":"
               << file.getColumn() << ": ";
          else if (auto name = dyn_cast<NameLoc>(location))
            os << "layer '" << name.getName().getValue() << "': ";
          os << diagnostic.str();
          return success();
        }) {}

  /// The first error, or `fallback` when none was reported.
  std::string take(const std::string &fallback) const {
    return message.empty() ? fallback : message;
  }

private:
  std::string message;
  ScopedDiagnosticHandler handler;
};

} // namespace mlir::deconv

#endif // DECONV_SUPPORT_FIRSTERROR_H
