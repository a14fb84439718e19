//===- ToolOptions.h - a tool's --help lists its own options ----*- C++ -*-===//
//
// Linking libLLVM registers hundreds of LLVM's own command-line options, and
// `--help` would list them all with the tool's few buried among them. The
// tools hide every option but their own (`--help-hidden` still shows all).
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_SUPPORT_TOOLOPTIONS_H
#define DECONV_SUPPORT_TOOLOPTIONS_H

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"

#include <initializer_list>
#include <memory>

namespace mlir::deconv {

/// Hides from `--help` every registered option except `ours` and the
/// generic ones (`--help`, `--version`). Call before parsing.
inline void showOnlyOptions(std::initializer_list<llvm::cl::Option *> ours) {
  for (auto &entry : llvm::cl::getRegisteredOptions()) {
    llvm::cl::Option *option = entry.second;
    if (llvm::is_contained(ours, option) || option->ArgStr == "help" ||
        option->ArgStr == "version" ||
        option->getOptionHiddenFlag() != llvm::cl::NotHidden)
      continue;
    option->setHiddenFlag(llvm::cl::Hidden);
  }
}

} // namespace mlir::deconv

#endif // DECONV_SUPPORT_TOOLOPTIONS_H
