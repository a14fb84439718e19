//===- OnnxImportFuzzer.cpp - bytes through the ONNX importer -------------===//
//
// Any bytes as an ONNX model: parsed and checked by ONNX's library, then
// imported to deconv IR (which the importer verifies), or refused with one
// line, never a crash. The seed corpus holds ONNX's own ConvTranspose and
// quantization models, so mutants reach the importer's attribute checks.
//
//===----------------------------------------------------------------------===//

#include "deconv/Import/OnnxImporter.h"

#include "mlir/IR/MLIRContext.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  ::deconv::onnx_import::OnnxGraph graph;
  std::string error;
  if (!::deconv::onnx_import::parseOnnxModel(bytes, graph, error))
    return 0;
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  mlir::deconv::OnnxImportOptions options;
  (void)mlir::deconv::importOnnxGraph(context, graph, options, error);
  return 0;
}
