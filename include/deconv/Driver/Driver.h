//===- Driver.h - what every entry point does first -------------*- C++ -*-===//
//
// The steps deconv-run, deconv-compile and the C++ API share before they
// plan or compile anything: parse a module (refusing text nested too deep
// for MLIR's recursive parser, reporting the first error as one line), and
// pick the function to run (the one named, else @main, else the only one).
// One implementation, so the tools and the API cannot drift apart.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DRIVER_DRIVER_H
#define DECONV_DRIVER_DRIVER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>

namespace mlir::deconv {

/// How a caller names the source in parseModule's messages.
struct ParseWords {
  /// Put before the nesting-depth message: `'graph.mlir'`.
  std::string nestingPrefix;
  /// The message when the parser reports nothing: `cannot parse 'x.mlir'`.
  std::string fallback;
};

/// Parses `buffer` in `context`. On failure returns null and sets `error` to
/// one line: the first diagnostic with its `file:line:col: `.
OwningOpRef<ModuleOp> parseModule(MLIRContext &context,
                                  std::unique_ptr<llvm::MemoryBuffer> buffer,
                                  const ParseWords &words, std::string &error);

/// How a caller names things in selectFunction's messages.
struct FunctionSelectionWords {
  /// The module as the subject of a sentence: `'graph.mlir'`, `the module`.
  std::string module;
  /// How the user names a function: `name one with --function`.
  std::string howToName;
};

/// The function to compile: `requested` when not empty, else @main, else
/// the only function. Fails (null, with `error`) when the requested one is
/// missing, the choice is ambiguous, or the function has no body.
func::FuncOp selectFunction(ModuleOp module, StringRef requested,
                            const FunctionSelectionWords &words,
                            std::string &error);

/// A tool's source file parsed and its function picked, the messages naming
/// the file and `--function`.
struct LoadedFunction {
  OwningOpRef<ModuleOp> module;
  func::FuncOp function;
};
FailureOr<LoadedFunction>
loadFunctionFromFile(MLIRContext &context,
                     std::unique_ptr<llvm::MemoryBuffer> buffer, StringRef path,
                     StringRef requested, std::string &error);

} // namespace mlir::deconv

#endif // DECONV_DRIVER_DRIVER_H
