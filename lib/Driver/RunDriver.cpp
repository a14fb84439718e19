//===- RunDriver.cpp - what deconv-run does around the C++ API -----------===//
//
// The checks deconv-run makes before it compiles: on a copy of the function
// in a context of its own, so that the compile (through the API, in its
// context) starts from the file's text as written.
//
//===----------------------------------------------------------------------===//

#include "deconv/Driver/RunDriver.h"

#include "deconv/Dialect/Deconv/Transforms/SpecializeShapes.h"
#include "deconv/Driver/Driver.h"
#include "deconv/Driver/InitAllDialects.h"
#include "deconv/Runtime/Plan.h"
#include "deconv/Target/CPU/CpuTarget.h"
#include "deconv/Target/RuntimeTypes.h"

#include "mlir/IR/MLIRContext.h"

using ::deconv::HostTensor;
using ::deconv::Status;
using ::deconv::StatusOr;

bool mlir::deconv::isPlanFile(llvm::StringRef contents) {
  return ::deconv::looksLikePlan(contents);
}

std::string mlir::deconv::parseMemorySize(llvm::StringRef text,
                                          int64_t &bytes) {
  return parseByteSize(text, bytes);
}

StatusOr<mlir::deconv::CheckedRun>
mlir::deconv::checkRunInputs(const llvm::MemoryBuffer &file,
                             llvm::StringRef path, llvm::StringRef requested,
                             const ::deconv::RunOptions &run) {
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  std::string error;
  FailureOr<LoadedFunction> source = loadFunctionFromFile(
      context, llvm::MemoryBuffer::getMemBuffer(file.getMemBufferRef()), path,
      requested, error);
  if (failed(source))
    return Status::error(error);
  func::FuncOp function = source->function;
  CheckedRun checked;
  checked.function = function.getName().str();
  const std::string &name = checked.function;

  if (run.inputs.size() != function.getNumArguments())
    return Status::error(
        "@" + name + " takes " + std::to_string(function.getNumArguments()) +
        " inputs, got " + std::to_string(run.inputs.size()) + " --input");
  if (!run.outputs.empty() && run.outputs.size() != function.getNumResults())
    return Status::error(
        "@" + name + " has " + std::to_string(function.getNumResults()) +
        " results, got " + std::to_string(run.outputs.size()) + " --output");

  StatusOr<std::vector<HostTensor>> loaded = ::deconv::loadInputs(run);
  if (!loaded)
    return loaded.status();
  checked.inputs = std::move(*loaded);
  SmallVector<SmallVector<int64_t>> inputShapes;
  for (auto [index, tensor] : llvm::enumerate(checked.inputs)) {
    Type expected = function.getArgumentTypes()[index];
    auto tensorType = dyn_cast<RankedTensorType>(expected);
    std::optional<::deconv::ElementType> type =
        tensorType ? toRuntimeElementType(tensorType.getElementType())
                   : std::nullopt;
    if (!type || *type != tensor.getElementType()) {
      std::string expectedText;
      llvm::raw_string_ostream os(expectedText);
      expected.print(os);
      return Status::error("input " + std::to_string(index) + " is " +
                           tensor.getTypeString() + " but argument " +
                           std::to_string(index) + " of @" + name + " is " +
                           expectedText);
    }
    inputShapes.emplace_back(tensor.getShape().begin(),
                             tensor.getShape().end());
  }

  // The concrete shapes, checked with the verifier's rules on a copy.
  OwningOpRef<func::FuncOp> specialized = function.clone();
  if (llvm::Error specializeError = specializeShapes(*specialized, inputShapes))
    return Status::error(llvm::toString(std::move(specializeError)));
  checked.multiplyAdds = countFunctionMacs(*specialized);
  return checked;
}
