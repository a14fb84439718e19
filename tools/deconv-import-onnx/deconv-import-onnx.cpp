//===- deconv-import-onnx.cpp - ONNX models to deconv IR ------------------===//
//
// deconv-import-onnx MODEL.onnx [-o OUT.mlir] [--function=NAME]
//                    [--freeze-input=NAME=TENSOR.pb ...]
// deconv-import-onnx --tensor=TENSOR.pb -o OUT.npy
//
// The first form writes the model's graph as deconv IR (docs/Onnx.md), or
// one line naming the node, its op type and why it cannot be imported, and
// no output file. The second converts one serialized ONNX TensorProto (the
// inputs and outputs of ONNX's test cases) into a NumPy file for deconv-run.
//
//===----------------------------------------------------------------------===//

#include "deconv/Import/OnnxImporter.h"
#include "deconv/Runtime/HostTensor.h"
#include "deconv/Runtime/Npy.h"
#include "deconv/Support/ToolOptions.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using ::deconv::onnx_import::OnnxTensor;

static llvm::cl::opt<std::string> modelFilename(llvm::cl::Positional,
                                                llvm::cl::desc("<MODEL.onnx>"));
static llvm::cl::opt<std::string>
    outputFilename("o", llvm::cl::desc("Output file (default: stdout)"),
                   llvm::cl::value_desc("FILE"), llvm::cl::init("-"));
static llvm::cl::opt<std::string>
    functionName("function", llvm::cl::desc("Name of the imported function"),
                 llvm::cl::init("main"));
static llvm::cl::list<std::string> freezeInputs(
    "freeze-input",
    llvm::cl::desc("Give graph input NAME the value of a serialized ONNX "
                   "TensorProto: it becomes a constant, not an argument"),
    llvm::cl::value_desc("NAME=TENSOR.pb"));
static llvm::cl::opt<std::string> tensorFilename(
    "tensor",
    llvm::cl::desc("Convert a serialized ONNX TensorProto to a .npy file "
                   "(-o) instead of importing a model"),
    llvm::cl::value_desc("TENSOR.pb"));

/// `text` for a `//` comment: control characters (a line break in a name
/// would end the comment and put the rest into the IR) become '?'.
static std::string printable(std::string text) {
  for (char &c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = '?';
  return text;
}

static int fail(const std::string &message) {
  llvm::errs() << "deconv-import-onnx: " << message << "\n";
  return 1;
}

static int convertTensor() {
  if (!modelFilename.empty())
    return fail("--tensor takes no model");
  if (outputFilename == "-")
    return fail("name the .npy file with -o");
  OnnxTensor tensor;
  std::string error;
  if (!::deconv::onnx_import::readOnnxTensor(tensorFilename, tensor, error))
    return fail(tensorFilename + ": " + error);
  std::optional<::deconv::ElementType> type =
      ::deconv::onnx_import::toElementType(tensor.dataType);
  if (!type)
    return fail(tensorFilename + ": a tensor of type " +
                ::deconv::onnx_import::getDataTypeName(tensor.dataType) +
                " cannot be written: deconv's .npy files hold FLOAT, "
                "FLOAT16, BFLOAT16, INT8 and UINT8");
  ::deconv::HostTensor host(*type, tensor.dims);
  std::memcpy(host.data(), tensor.bytes.data(), tensor.bytes.size());
  if (::deconv::Status status = ::deconv::writeNpyFile(outputFilename, host);
      !status)
    return fail(status.message());
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::deconv::showOnlyOptions(
      {std::addressof(outputFilename), std::addressof(functionName),
       std::addressof(freezeInputs), std::addressof(tensorFilename)});
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "deconv-import-onnx: ONNX models to deconv IR\n\n"
      "Imports ConvTranspose, QuantizeLinear, DequantizeLinear, Identity and "
      "Constant nodes\n(ONNX opsets 1 to " +
          std::to_string(::deconv::onnx_import::getNewestOpsetVersion()) +
          "); initializers become dense_resource constants.\n");
  if (!tensorFilename.empty())
    return convertTensor();
  if (modelFilename.empty())
    return fail("name an ONNX model (or a tensor with --tensor)");

  mlir::deconv::OnnxImportOptions options;
  options.functionName = functionName;
  options.warn = [](const std::string &message) {
    llvm::errs() << "deconv-import-onnx: warning: " << message << "\n";
  };
  for (const std::string &entry : freezeInputs) {
    size_t equals = entry.find('=');
    if (equals == std::string::npos || equals == 0 ||
        equals + 1 == entry.size())
      return fail("--freeze-input takes NAME=TENSOR.pb, not '" + entry + "'");
    std::string name = entry.substr(0, equals);
    std::string path = entry.substr(equals + 1);
    OnnxTensor tensor;
    std::string error;
    if (!::deconv::onnx_import::readOnnxTensor(path, tensor, error))
      return fail(path + ": " + error);
    if (!options.frozenInputs.emplace(name, std::move(tensor)).second)
      return fail("--freeze-input names '" + name + "' twice");
  }

  ::deconv::onnx_import::OnnxGraph graph;
  std::string error;
  if (!::deconv::onnx_import::readOnnxModel(modelFilename, graph, error))
    return fail(modelFilename + ": " + error);
  MLIRContext context;
  FailureOr<OwningOpRef<ModuleOp>> module =
      mlir::deconv::importOnnxGraph(context, graph, options, error);
  if (failed(module))
    return fail(modelFilename + ": " + error);

  // Only a complete import writes the output file.
  std::string openError;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &openError);
  if (!output)
    return fail(openError);
  llvm::raw_ostream &os = output->os();
  os << "// Imported from " << printable(modelFilename) << " (opset "
     << graph.opsetVersion;
  if (!graph.producer.empty())
    os << ", written by " << printable(graph.producer);
  os << ").\n// Arguments:";
  size_t frozen = 0;
  for (const auto &input : graph.inputs)
    if (!options.frozenInputs.count(input.name))
      os << " " << printable(input.name);
    else
      ++frozen;
  os << (graph.inputs.size() == frozen ? " none" : "") << "; results:";
  for (const auto &result : graph.outputs)
    os << " " << printable(result.name);
  os << ".\n";
  (*module)->print(os);
  output->keep();
  return 0;
}
