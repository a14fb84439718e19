//===- OnnxImporter.h - ONNX graphs to deconv IR ----------------*- C++ -*-===//
//
// Turns an ONNX graph (read by OnnxModel.h) into one `func.func` of deconv
// IR: graph inputs become the arguments in order, ConvTranspose becomes
// `deconv.deconv` with ONNX's attributes spelled as the IR contract's,
// QuantizeLinear/DequantizeLinear become `deconv.quantize`/`dequantize`,
// initializers and Constant nodes become `dense_resource` constants, and
// Identity forwards its value. Anything else is refused with one line that
// names the node, its op type and why.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_IMPORT_ONNXIMPORTER_H
#define DECONV_IMPORT_ONNXIMPORTER_H

#include "deconv/Import/OnnxModel.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <functional>
#include <map>
#include <string>

namespace mlir::deconv {

struct OnnxImportOptions {
  /// The name of the function the graph becomes.
  std::string functionName = "main";
  /// Graph inputs given a value at import time, by name: they become
  /// constants instead of arguments (for example quantization scales a
  /// model takes as inputs, which deconv needs at compile time).
  std::map<std::string, ::deconv::onnx_import::OnnxTensor> frozenInputs;
  /// Told, one line each, where the IR's meaning differs from what ONNX's
  /// reference implementation would compute (see docs/Onnx.md).
  std::function<void(const std::string &)> warn;
};

/// Registers and loads the dialects the imported IR uses.
void loadOnnxImportDialects(MLIRContext &context);

/// Builds the module, or fails with one line in `error`.
FailureOr<OwningOpRef<ModuleOp>>
importOnnxGraph(MLIRContext &context,
                const ::deconv::onnx_import::OnnxGraph &graph,
                const OnnxImportOptions &options, std::string &error);

} // namespace mlir::deconv

#endif // DECONV_IMPORT_ONNXIMPORTER_H
