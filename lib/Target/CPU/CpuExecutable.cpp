//===- CpuExecutable.cpp - the CPU target's JIT executable ---------------===//
//
// The module, lowered by the CPU pipeline (CpuPipeline.cpp), compiled by
// MLIR's ORC-based ExecutionEngine, and called per run with checked shapes.
// Calls go through the function's C interface: each memref is a descriptor
// {allocated, aligned, offset, sizes[R], strides[R]} passed by pointer, and
// results come back as descriptors of buffers the function allocated, which
// the caller owns (ownership-based deallocation guarantees it) and frees.
//
//===----------------------------------------------------------------------===//

#include "deconv/Target/CPU/CpuTarget.h"
#include "deconv/Target/RuntimeTypes.h"

#include "deconv/Dialect/Deconv/Transforms/LayoutRewrites.h"
#include "deconv/Dialect/Deconv/Transforms/SpecializeShapes.h"
#include "deconv/Support/FirstError.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/TargetSelect.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace mlir;
using namespace mlir::deconv;
using ::deconv::ElementType;
using ::deconv::HostTensor;
using ::deconv::Status;
using ::deconv::StatusOr;

namespace {

/// A memref descriptor for a rank-R buffer: 3 + 2R 64-bit words.
std::vector<int64_t> makeDescriptor(const HostTensor &tensor) {
  const std::vector<int64_t> &shape = tensor.getShape();
  const int64_t rank = shape.size();
  std::vector<int64_t> descriptor(3 + 2 * rank);
  auto address = reinterpret_cast<int64_t>(tensor.data());
  descriptor[0] = address;
  descriptor[1] = address;
  descriptor[2] = 0;
  int64_t stride = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    descriptor[3 + d] = shape[d];
    descriptor[3 + rank + d] = stride;
    stride *= shape[d];
  }
  return descriptor;
}

std::string typeString(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

std::once_flag nativeTargetOnce;

/// LLVM's X86 backend converts f32 to bf16 through __truncsfbf2 where the CPU
/// has no native instruction (it does so even for constants), and libgcc has
/// it only from GCC 13 on: the JIT gets ours. __bf16 and _Float16 are both
/// returned in %xmm0, so a _Float16 carries the bits.
_Float16 truncateFloatToBfloat16(float value) {
  uint16_t bits = ::deconv::floatToBfloat16(value);
  _Float16 result;
  std::memcpy(&result, &bits, sizeof(result));
  return result;
}

/// OpenMP's team size per application thread. A run sets its calling
/// thread's team size (an OpenMP setting of that thread alone) before the
/// compiled code starts its parallel loops: the threads asked for, else the
/// cores divided by the runs in progress, so runs that overlap share the
/// cores instead of each starting a team as large as the machine.
class RunningCall {
public:
  explicit RunningCall(int threads) {
    int running = ++runningCalls;
    static const OpenMP openMP;
    if (!openMP.setNumThreads)
      return;
    // The caller's own setting comes back after the run.
    restore = openMP.getMaxThreads();
    openMP.setNumThreads(threads > 0 ? threads
                                     : std::max(1, openMP.cores / running));
    setNumThreads = openMP.setNumThreads;
  }
  ~RunningCall() {
    if (setNumThreads)
      setNumThreads(restore);
    --runningCalls;
  }
  RunningCall(const RunningCall &) = delete;
  RunningCall &operator=(const RunningCall &) = delete;

private:
  /// The entry points of the OpenMP runtime the JIT loads (none without),
  /// looked up in that library, not in whatever else the process holds.
  struct OpenMP {
    OpenMP() {
#ifdef DECONV_LIBOMP_PATH
      auto library =
          llvm::sys::DynamicLibrary::getPermanentLibrary(DECONV_LIBOMP_PATH);
      if (!library.isValid())
        return;
      getMaxThreads = reinterpret_cast<int (*)()>(
          library.getAddressOfSymbol("omp_get_max_threads"));
      setNumThreads = reinterpret_cast<void (*)(int)>(
          library.getAddressOfSymbol("omp_set_num_threads"));
      if (!getMaxThreads)
        setNumThreads = nullptr;
#endif
      // OMP_NUM_THREADS (its first level), else the cores: not the setting
      // of whichever thread runs first.
      const char *variable = std::getenv("OMP_NUM_THREADS");
      int fromVariable = variable ? std::atoi(variable) : 0;
      cores = fromVariable > 0
                  ? fromVariable
                  : std::max(1u, std::thread::hardware_concurrency());
    }
    int (*getMaxThreads)() = nullptr;
    void (*setNumThreads)(int) = nullptr;
    int cores = 1;
  };
  static std::atomic<int> runningCalls;
  void (*setNumThreads)(int) = nullptr;
  int restore = 1;
};
std::atomic<int> RunningCall::runningCalls{0};

} // namespace

CpuExecutable::CpuExecutable(std::unique_ptr<ExecutionEngine> engine,
                             std::string function, Signature signature,
                             OwningOpRef<Operation *> original,
                             const CpuTargetOptions &options)
    : engine(std::move(engine)), function(std::move(function)),
      signature(std::move(signature)), original(std::move(original)),
      threads(options.threads), maxMemoryBytes(options.maxMemoryBytes) {
  if (maxMemoryBytes == 0) {
    long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
    maxMemoryBytes = pages > 0 && pageSize > 0
                         ? int64_t(pages) / 2 * int64_t(pageSize)
                         : std::numeric_limits<int64_t>::max();
  }
}

std::string mlir::deconv::parseByteSize(StringRef text, int64_t &bytes) {
  StringRef digits = text;
  int64_t scale = 1;
  if (!digits.empty()) {
    size_t power = StringRef("KMGT").find(digits.back());
    if (power != StringRef::npos) {
      scale = int64_t(1) << (10 * (power + 1));
      digits = digits.drop_back();
    }
  }
  uint64_t value = 0;
  if (digits.getAsInteger(10, value) || value == 0 ||
      value > uint64_t(std::numeric_limits<int64_t>::max()) ||
      __builtin_mul_overflow(int64_t(value), scale, &bytes))
    return "a memory size is a positive number of bytes with an optional K, "
           "M, G or T, not '" +
           text.str() + "'";
  return "";
}

std::string mlir::deconv::formatByteSize(int64_t bytes) {
  const char *units[] = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
  double value = double(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 6) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), unit == 0 ? "%.0f %s" : "%.1f %s", value,
                units[unit]);
  return text;
}

bool CpuExecutable::runsOnThreads() {
#ifdef DECONV_LIBOMP_PATH
  return true;
#else
  return false;
#endif
}

CpuExecutable::~CpuExecutable() = default;

StatusOr<std::unique_ptr<CpuExecutable>>
CpuExecutable::compile(ModuleOp module, StringRef functionName,
                       const CpuTargetOptions &options) {
  if (options.threads < 0)
    return Status::error("a CPU run's threads must be >= 0 (0: the cores), "
                         "not " +
                         std::to_string(options.threads));
  if (options.maxMemoryBytes < 0)
    return Status::error("a CPU run's memory budget must be >= 0 bytes (0: "
                         "half the physical memory), not " +
                         std::to_string(options.maxMemoryBytes));
  auto function = module.lookupSymbol<func::FuncOp>(functionName);
  if (!function || function.isExternal())
    return Status::error("no function @" + functionName.str() +
                         " in the module");

  Signature signature;
  auto describe = [&](Type type, StringRef what)
      -> StatusOr<std::pair<ElementType, RankedTensorType>> {
    auto tensor = dyn_cast<RankedTensorType>(type);
    std::optional<ElementType> element =
        tensor ? toRuntimeElementType(tensor.getElementType()) : std::nullopt;
    if (!element)
      return Status::error(what.str() + " type " + typeString(type) + " of @" +
                           functionName.str() +
                           " is not a ranked f32, f16, bf16, i8 or ui8 tensor");
    return std::make_pair(*element, tensor);
  };
  bool dynamic = false;
  auto runtimeShape = [&](RankedTensorType type) {
    std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
    for (int64_t &size : shape)
      if (ShapedType::isDynamic(size)) {
        size = -1;
        dynamic = true;
      }
    return shape;
  };
  for (Type type : function.getArgumentTypes()) {
    auto entry = describe(type, "argument");
    if (!entry)
      return entry.status();
    signature.inputs.emplace_back(entry->first, runtimeShape(entry->second));
  }
  for (Type type : function.getResultTypes()) {
    auto entry = describe(type, "result");
    if (!entry)
      return entry.status();
    signature.results.emplace_back(entry->first, runtimeShape(entry->second));
  }
  OwningOpRef<Operation *> original;
  if (dynamic)
    original = function->clone();
  function->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                    UnitAttr::get(module.getContext()));

  FirstError diagnostics(module.getContext());
  // A blob that disagrees with its type is named here, not deep in the
  // translation to LLVM.
  if (module
          .walk([](arith::ConstantOp constant) {
            return failed(checkResourceBlob(constant)) ? WalkResult::interrupt()
                                                       : WalkResult::advance();
          })
          .wasInterrupted())
    return Status::error(diagnostics.take("a constant cannot be read"));
  PassManager pm(module.getContext());
  buildCpuLoweringPipeline(pm, options);
  if (failed(pm.run(module)))
    return Status::error(diagnostics.take("lowering to the CPU failed"));

  std::call_once(nativeTargetOnce, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return Status::error("no native target: " +
                         llvm::toString(machineBuilder.takeError()));
  machineBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto machine = machineBuilder->createTargetMachine();
  if (!machine)
    return Status::error("no native target machine: " +
                         llvm::toString(machine.takeError()));
  ExecutionEngineOptions engineOptions;
  auto transformer = makeOptimizingTransformer(3, 0, machine->get());
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
#ifdef DECONV_LIBOMP_PATH
  const llvm::StringRef sharedLibraries[] = {DECONV_LIBOMP_PATH};
  engineOptions.sharedLibPaths = sharedLibraries;
#endif
  auto engine =
      ExecutionEngine::create(module, engineOptions, std::move(*machine));
  if (!engine)
    return Status::error(diagnostics.take("JIT compilation failed: " +
                                          llvm::toString(engine.takeError())));
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("__truncsfbf2")] = {
        llvm::orc::ExecutorAddr::fromPtr(&truncateFloatToBfloat16),
        llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  return std::unique_ptr<CpuExecutable>(
      new CpuExecutable(std::move(*engine), functionName.str(),
                        std::move(signature), std::move(original), options));
}

StatusOr<std::vector<HostTensor>>
CpuExecutable::run(const std::vector<const HostTensor *> &inputs) {
  // The compiled code trusts every size: check them all first.
  std::vector<::deconv::TensorShape> given;
  for (const HostTensor *input : inputs)
    given.push_back({input->getElementType(), input->getShape()});
  auto checked = getOutputShapes(given);
  if (!checked)
    return checked.status();
  // The results are allocated by the compiled code, which cannot report a
  // failed allocation: refuse what the budget does not hold first.
  int64_t resultBytes = 0;
  for (size_t r = 0; r < checked->size(); ++r) {
    int64_t bytes = ::deconv::getElementSize(signature.results[r].first);
    for (int64_t size : (*checked)[r])
      if (__builtin_mul_overflow(bytes, size, &bytes))
        bytes = std::numeric_limits<int64_t>::max();
    if (__builtin_add_overflow(resultBytes, bytes, &resultBytes))
      resultBytes = std::numeric_limits<int64_t>::max();
  }
  if (resultBytes > maxMemoryBytes)
    return Status::error(
        "the results of @" + function + " take " + formatByteSize(resultBytes) +
        ", more than the memory budget of " + formatByteSize(maxMemoryBytes));
  std::vector<std::vector<int64_t>> descriptors;
  for (const HostTensor *input : inputs)
    descriptors.push_back(makeDescriptor(*input));

  // Results: one descriptor each, laid out back to back (they are structs of
  // 64-bit words, so a struct of them has no padding).
  size_t resultWords = 0;
  for (const auto &result : signature.results)
    resultWords += 3 + 2 * result.second.size();
  std::vector<int64_t> results(std::max<size_t>(resultWords, 1));

  std::vector<void *> pointers;
  void *resultPointer = results.data();
  if (!signature.results.empty())
    pointers.push_back(&resultPointer);
  std::vector<void *> descriptorPointers;
  for (auto &descriptor : descriptors)
    descriptorPointers.push_back(descriptor.data());
  for (void *&pointer : descriptorPointers)
    pointers.push_back(&pointer);
  llvm::Error error = [&] {
    RunningCall running(threads);
    return engine->invokePacked("_mlir_ciface_" + function, pointers);
  }();
  if (error)
    return Status::error("invoking @" + function +
                         " failed: " + llvm::toString(std::move(error)));

  // Each result's buffer becomes its tensor when it is row-major; a strided
  // view is copied out, and a buffer returned twice is handed over once.
  std::vector<HostTensor> outputs;
  // Addresses of the buffers already handed over or freed.
  std::vector<uintptr_t> handedOver;
  size_t word = 0;
  for (const auto &[type, declared] : signature.results) {
    const int64_t rank = declared.size();
    const int64_t *descriptor = results.data() + word;
    word += 3 + 2 * rank;
    std::vector<int64_t> shape(descriptor + 3, descriptor + 3 + rank);
    const size_t elementSize = ::deconv::getElementSize(type);
    void *allocation = reinterpret_cast<void *>(descriptor[0]);
    auto *aligned = reinterpret_cast<std::byte *>(descriptor[1]);
    const int64_t offset = descriptor[2];
    const int64_t *strides = descriptor + 3 + rank;
    bool rowMajor = true;
    for (int64_t d = rank - 1, stride = 1; d >= 0; stride *= shape[d], --d)
      rowMajor &= shape[d] == 1 || strides[d] == stride;
    const auto address = reinterpret_cast<uintptr_t>(allocation);
    const bool owned = llvm::is_contained(handedOver, address);
    if (rowMajor && !owned) {
      outputs.push_back(HostTensor::adopt(type, shape, allocation,
                                          aligned + offset * elementSize));
      handedOver.push_back(address);
      continue;
    }
    HostTensor output(type, shape);
    std::vector<int64_t> index(rank, 0);
    for (int64_t linear = 0, e = output.getNumElements(); linear < e;
         ++linear) {
      int64_t source = offset;
      for (int64_t d = 0; d < rank; ++d)
        source += index[d] * strides[d];
      std::memcpy(output.data() + linear * elementSize,
                  aligned + source * elementSize, elementSize);
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < shape[d])
          break;
        index[d] = 0;
      }
    }
    if (!owned) {
      handedOver.push_back(address);
      std::free(allocation);
    }
    outputs.push_back(std::move(output));
  }
  return outputs;
}

StatusOr<std::vector<std::vector<int64_t>>> CpuExecutable::getOutputShapes(
    const std::vector<::deconv::TensorShape> &inputs) const {
  if (inputs.size() != signature.inputs.size())
    return Status::error("@" + function + " takes " +
                         std::to_string(signature.inputs.size()) +
                         " inputs, got " + std::to_string(inputs.size()));
  SmallVector<SmallVector<int64_t>> shapes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto &[type, shape] = signature.inputs[i];
    const std::vector<int64_t> &given = inputs[i].shape;
    bool agrees = inputs[i].type == type && given.size() == shape.size();
    for (size_t d = 0; agrees && d < shape.size(); ++d)
      agrees = given[d] >= 0 && (shape[d] < 0 || shape[d] == given[d]);
    if (!agrees)
      return Status::error("input " + std::to_string(i) + " is " +
                           ::deconv::formatTensorType(inputs[i].type, given) +
                           " but @" + function + " wants " +
                           ::deconv::formatShape(shape) + "x" +
                           std::string(::deconv::getElementTypeName(type)));
    shapes.emplace_back(given.begin(), given.end());
  }
  std::vector<std::vector<int64_t>> results;
  if (!original) {
    for (const auto &result : signature.results)
      results.push_back(result.second);
    return results;
  }
  OwningOpRef<func::FuncOp> copy = cast<func::FuncOp>(original.get()->clone());
  if (llvm::Error error = specializeShapes(*copy, shapes))
    return Status::error(llvm::toString(std::move(error)));
  for (Type type : copy->getResultTypes()) {
    ArrayRef<int64_t> shape = cast<RankedTensorType>(type).getShape();
    results.emplace_back(shape.begin(), shape.end());
  }
  return results;
}
