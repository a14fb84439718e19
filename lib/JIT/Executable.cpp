//===- Executable.cpp - compile a graph and run it ------------------------===//
//
// The JIT API runs the compiler and the runtime in one process: the CPU
// target keeps its MLIR context and LLVM JIT alive for as long as the
// executable; the CUDA target keeps only the plan (the MLIR context is gone
// once it is built) and opens the GPU on the first run, so a CUDA executable
// compiles and saves on machines without one.
//
//===----------------------------------------------------------------------===//

#include "deconv/Executable.h"

#include "NetworkBuilder.h"

#include "deconv/Dialect/Deconv/Transforms/SpecializeShapes.h"
#include "deconv/Driver/Driver.h"
#include "deconv/Driver/InitAllDialects.h"
#include "deconv/Runtime/KernelCache.h"
#include "deconv/Runtime/Plan.h"
#include "deconv/Runtime/PlanExecutor.h"
#include "deconv/Runtime/RunTool.h"
#include "deconv/Support/FirstError.h"
#include "deconv/Target/CPU/CpuTarget.h"
#include "deconv/Target/CUDA/PlanBuilder.h"
#include "deconv/Target/RuntimeTypes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Parser/Parser.h"

#include <mutex>

using namespace ::deconv;
using mlir::deconv::FirstError;

struct Executable::Impl {
  Target target = Target::Cpu;
  TargetChoice choice;
  std::string function;
  std::vector<TensorInfo> inputs, outputs;
  /// Runs are serialized: the JIT's and the plan executor's state is shared.
  std::mutex runMutex;

  // Target::Cpu. Declared in this order so the JIT goes before its module
  // and the module before its context.
  std::unique_ptr<mlir::MLIRContext> context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<mlir::deconv::CpuExecutable> cpu;

  // Target::Cuda: the plan until the first run, then the executor that
  // holds it (and uses the cache).
  std::optional<Plan> plan;
  std::unique_ptr<KernelCache> cache;
  std::unique_ptr<PlanExecutor> gpu;

  const Plan &getPlan() const { return gpu ? gpu->getPlan() : *plan; }

  CudaBackend getBackend() const {
    return target == Target::CudaEmulator ? CudaBackend::Emulator
                                          : CudaBackend::Gpu;
  }

  Status openGpu() {
    if (gpu)
      return Status::ok();
    StatusOr<std::unique_ptr<PlanExecutor>> executor =
        PlanExecutor::create(*plan, cache.get(), getBackend());
    if (!executor)
      return executor.status();
    gpu = std::move(*executor);
    plan.reset();
    return Status::ok();
  }
};

namespace deconv {

/// Builds executables for the compile entry points.
struct ExecutableFactory {
  static Executable make(std::unique_ptr<Executable::Impl> impl) {
    return Executable(std::move(impl));
  }
};

} // namespace deconv

namespace {

/// A context with everything the CPU and CUDA pipelines use. Each compile
/// has its own, which is what makes concurrent compiles safe; it runs its
/// passes on the calling thread rather than starting a pool per compile.
std::unique_ptr<mlir::MLIRContext> makeContext() {
  mlir::DialectRegistry registry;
  mlir::deconv::registerAllDialects(registry);
  auto context = std::make_unique<mlir::MLIRContext>(
      registry, mlir::MLIRContext::Threading::DISABLED);
  context->loadAllAvailableDialects();
  return context;
}

/// Name, element type and dims of each argument or result of `function`.
StatusOr<std::vector<TensorInfo>> describe(mlir::func::FuncOp function,
                                           bool results) {
  std::vector<TensorInfo> infos;
  llvm::ArrayRef<mlir::Type> types =
      results ? function.getResultTypes() : function.getArgumentTypes();
  for (auto [index, type] : llvm::enumerate(types)) {
    auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(type);
    std::optional<ElementType> element =
        tensor ? mlir::deconv::toRuntimeElementType(tensor.getElementType())
               : std::nullopt;
    if (!element) {
      std::string text;
      llvm::raw_string_ostream os(text);
      type.print(os);
      return Status::error(std::string(results ? "result " : "argument ") +
                           std::to_string(index) + " of @" +
                           function.getName().str() + " is " + text +
                           ", not a ranked f32, f16, bf16, i8 or ui8 tensor");
    }
    auto name =
        results
            ? function.getResultAttrOfType<mlir::StringAttr>(index,
                                                             "deconv.name")
            : function.getArgAttrOfType<mlir::StringAttr>(index, "deconv.name");
    infos.push_back({name
                         ? name.getValue().str()
                         : (results ? "result" : "arg") + std::to_string(index),
                     *element, mlir::deconv::toPublicDims(tensor.getShape())});
  }
  return infos;
}

/// Input and output descriptions of a plan (names as the IR path's
/// defaults: plans do not keep names).
void describePlanTensors(const Plan &plan, Executable::Impl &impl) {
  auto toDims = [](const std::vector<std::string> &shape) {
    Dims dims;
    for (const std::string &size : shape) {
      bool literal = !size.empty() &&
                     size.find_first_not_of("0123456789") == std::string::npos;
      dims.push_back(literal ? std::stoll(size) : -1);
    }
    return dims;
  };
  impl.inputs.clear();
  impl.outputs.clear();
  for (size_t i = 0; i < plan.inputs.size(); ++i)
    impl.inputs.push_back({"arg" + std::to_string(i), plan.inputs[i].type,
                           toDims(plan.inputs[i].shape)});
  for (size_t i = 0; i < plan.outputs.size(); ++i)
    impl.outputs.push_back({"result" + std::to_string(i),
                            plan.buffers[plan.outputs[i].buffer].type,
                            toDims(plan.outputs[i].shape)});
}

/// Options only the CUDA targets honour.
bool hasCudaOnlyOptions(const CompileOptions &options) {
  return options.cudaStrategy != "auto" || options.cudaTile != "auto" ||
         options.precision == Precision::Tf32 || options.tune;
}

/// Options only the CPU target honours.
bool hasCpuOnlyOptions(const CompileOptions &options) {
  return options.cpuKernel != "auto" || options.cpuTile != "auto" ||
         options.cpuThreads != 0 || options.cpuMaxMemoryBytes != 0;
}

/// The CPU target's options from the API's (checked by checkCompileOptions).
mlir::deconv::CpuTargetOptions getCpuOptions(const CompileOptions &options) {
  mlir::deconv::CpuTargetOptions cpu;
  cpu.threads = options.cpuThreads;
  cpu.maxMemoryBytes = options.cpuMaxMemoryBytes;
  cpu.kernelForm = options.cpuKernel;
  if (options.cpuTile != "auto")
    (void)mlir::deconv::parseCpuTile(options.cpuTile, cpu);
  return cpu;
}

/// `function` specialized to `dims`: every size static, checked with the
/// verifier's rules.
Status specialize(mlir::func::FuncOp function, const std::vector<Dims> &dims) {
  llvm::SmallVector<llvm::SmallVector<int64_t>> shapes;
  for (const Dims &input : dims)
    shapes.emplace_back(input.begin(), input.end());
  if (llvm::Error error = mlir::deconv::specializeShapes(function, shapes))
    return Status::error(llvm::toString(std::move(error)));
  return Status::ok();
}

std::unique_ptr<KernelCache> makeCache(const std::string &directory) {
  return directory.empty() ? nullptr : std::make_unique<KernelCache>(directory);
}

/// Compiles `name` of `module` (both in `context`) for the options' target.
StatusOr<Executable>
compileModule(std::unique_ptr<mlir::MLIRContext> contextArgument,
              mlir::OwningOpRef<mlir::ModuleOp> moduleArgument,
              const std::string &name, const CompileOptions &options) {
  // Locals, so that whatever is not handed to the executable is destroyed
  // module first, context second (parameters go in no fixed order).
  std::unique_ptr<mlir::MLIRContext> context = std::move(contextArgument);
  mlir::OwningOpRef<mlir::ModuleOp> module = std::move(moduleArgument);
  auto function = module->lookupSymbol<mlir::func::FuncOp>(name);
  if (!function || function.isExternal())
    return Status::error("no function @" + name + " in the module");
  if (Status status = checkCompileOptions(options); !status)
    return status;
  auto impl = std::make_unique<Executable::Impl>();
  impl->choice.target = options.target;
  if (options.target == Target::Auto) {
    StatusOr<TargetChoice> choice = chooseTarget(Target::Auto);
    if (!choice)
      return choice.status();
    // What only the other target honours is not dropped quietly.
    if (choice->target == Target::Cpu && hasCudaOnlyOptions(options))
      return Status::error(choice->reason);
    if (choice->target != Target::Cpu && hasCpuOnlyOptions(options))
      return Status::error("cpuKernel, cpuTile, cpuThreads and "
                           "cpuMaxMemoryBytes need Target::Cpu (Target::Auto "
                           "found a GPU: " +
                           choice->reason + ")");
    impl->choice = std::move(*choice);
  }
  const Target target = impl->choice.target;
  impl->target = target;
  impl->function = name;
  if (!options.staticInputDims.empty())
    if (Status status = specialize(function, options.staticInputDims); !status)
      return status;
  StatusOr<std::vector<TensorInfo>> inputs = describe(function, false);
  if (!inputs)
    return inputs.status();
  StatusOr<std::vector<TensorInfo>> outputs = describe(function, true);
  if (!outputs)
    return outputs.status();
  impl->inputs = std::move(*inputs);
  impl->outputs = std::move(*outputs);
  // The names are read; the pipeline has no use for them.
  for (unsigned i = 0; i < function.getNumArguments(); ++i)
    function.removeArgAttr(i, "deconv.name");
  for (unsigned i = 0; i < function.getNumResults(); ++i)
    function.removeResultAttr(
        i, mlir::StringAttr::get(function.getContext(), "deconv.name"));

  if (target == Target::Cpu) {
    auto cpu = mlir::deconv::CpuExecutable::compile(*module, name,
                                                    getCpuOptions(options));
    if (!cpu)
      return cpu.status();
    impl->cpu = std::move(*cpu);
    impl->module = std::move(module);
    impl->context = std::move(context);
    return ExecutableFactory::make(std::move(impl));
  }

  mlir::deconv::CudaTargetOptions cuda;
  if (!options.arch.empty())
    cuda.archs.push_back(options.arch);
  else if (target == Target::Cuda)
    if (auto device = CudaDevice::open())
      cuda.archs.push_back((*device)->getArch());
  if (target == Target::CudaEmulator)
    if (auto device = CudaDevice::open(0, CudaBackend::Emulator))
      cuda.targetArch = (*device)->getArch();
  cuda.strategy = options.cudaStrategy;
  cuda.tile = options.cudaTile;
  cuda.warn = options.onWarning;
  cuda.precision = options.precision == Precision::Tf32
                       ? mlir::deconv::CudaPrecision::Tf32
                       : mlir::deconv::CudaPrecision::Exact;
  if (options.tune) {
    cuda.tune = true;
    cuda.tuningBackend = target == Target::CudaEmulator ? CudaBackend::Emulator
                                                        : CudaBackend::Gpu;
    if (!options.kernelCacheDirectory.empty())
      cuda.tuningDirectory = options.kernelCacheDirectory + "/tuning";
  }
  FirstError error(context.get());
  mlir::FailureOr<Plan> plan = mlir::deconv::buildPlan(*module, name, cuda);
  if (mlir::failed(plan))
    return Status::error(
        error.take("cannot compile @" + name + " for the CUDA target"));
  impl->plan = std::move(*plan);
  impl->cache = makeCache(options.kernelCacheDirectory);
  return ExecutableFactory::make(std::move(impl));
}

} // namespace

//===----------------------------------------------------------------------===//
// Compile entry points
//===----------------------------------------------------------------------===//

Status deconv::checkCompileOptions(const CompileOptions &options) {
  if (std::string error =
          mlir::deconv::checkKernelStrategyName(options.cudaStrategy);
      !error.empty())
    return Status::error(error);
  if (options.cpuKernel != "auto" && options.cpuKernel != "phases" &&
      options.cpuKernel != "columns")
    return Status::error("the CPU kernel form (CompileOptions::cpuKernel) is "
                         "auto, phases or columns, not '" +
                         options.cpuKernel + "'");
  if (options.cpuTile != "auto") {
    mlir::deconv::CpuTargetOptions cpu;
    if (std::string error = mlir::deconv::parseCpuTile(options.cpuTile, cpu);
        !error.empty())
      return Status::error(error);
  }
  if (options.tune && options.target == Target::Cpu)
    return Status::error("tuning (CompileOptions::tune) needs a CUDA target");
  return Status::ok();
}

StatusOr<TargetChoice> deconv::chooseTarget(Target requested) {
  if (requested == Target::Cpu)
    return TargetChoice{Target::Cpu, ""};
  auto device = CudaDevice::open(0, requested == Target::CudaEmulator
                                        ? CudaBackend::Emulator
                                        : CudaBackend::Gpu);
  if (!device) {
    if (requested != Target::Auto)
      return device.status();
    return TargetChoice{Target::Cpu, device.message()};
  }
  return TargetChoice{requested == Target::Auto ? Target::Cuda : requested,
                      (*device)->getName() + ", " + (*device)->getArch()};
}

StatusOr<Executable> deconv::compileNetwork(const NetworkDefinition &network,
                                            const CompileOptions &options) {
  std::unique_ptr<mlir::MLIRContext> context = makeContext();
  StatusOr<mlir::OwningOpRef<mlir::ModuleOp>> module =
      mlir::deconv::buildNetworkModule(network, *context);
  if (!module)
    return module.status();
  return compileModule(std::move(context), std::move(*module),
                       mlir::deconv::kNetworkFunctionName, options);
}

StatusOr<Executable> deconv::compileSource(std::string_view source,
                                           const CompileOptions &options) {
  std::unique_ptr<mlir::MLIRContext> context = makeContext();
  std::string error;
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::deconv::parseModule(
      *context,
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(source.data(), source.size()),
          options.sourceName.empty() ? "<source>" : options.sourceName),
      {"the source does not parse", "the source does not parse"}, error);
  if (!module)
    return Status::error(error);
  mlir::func::FuncOp function = mlir::deconv::selectFunction(
      *module, options.function,
      {"the module", "name one in CompileOptions::function"}, error);
  if (!function)
    return Status::error(error);
  std::string name = function.getName().str();
  return compileModule(std::move(context), std::move(module), name, options);
}

StatusOr<Executable> deconv::loadPlan(const std::string &path,
                                      const std::string &kernelCacheDirectory,
                                      Target target) {
  if (target == Target::Cpu || target == Target::Auto)
    return Status::error("plans hold CUDA kernels: load them for "
                         "Target::Cuda or Target::CudaEmulator");
  // The message names the file.
  StatusOr<Plan> plan = readPlanFile(path);
  if (!plan)
    return plan.status();
  auto impl = std::make_unique<Executable::Impl>();
  impl->target = target;
  impl->choice.target = target;
  impl->function = plan->function;
  describePlanTensors(*plan, *impl);
  impl->plan = std::move(*plan);
  impl->cache = makeCache(kernelCacheDirectory);
  return ExecutableFactory::make(std::move(impl));
}

//===----------------------------------------------------------------------===//
// Executable
//===----------------------------------------------------------------------===//

Executable::Executable(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
Executable::Executable(Executable &&) noexcept = default;
Executable &Executable::operator=(Executable &&) noexcept = default;
Executable::~Executable() = default;

Target Executable::getTarget() const { return impl->target; }
const TargetChoice &Executable::getTargetChoice() const { return impl->choice; }
const std::string &Executable::getFunctionName() const {
  return impl->function;
}
const std::vector<TensorInfo> &Executable::getInputs() const {
  return impl->inputs;
}
const std::vector<TensorInfo> &Executable::getOutputs() const {
  return impl->outputs;
}

StatusOr<std::vector<Dims>>
Executable::getOutputDimensions(const std::vector<Dims> &inputDims) const {
  if (inputDims.size() != impl->inputs.size())
    return Status::error("@" + impl->function + " takes " +
                         std::to_string(impl->inputs.size()) + " inputs, got " +
                         std::to_string(inputDims.size()));
  std::vector<TensorShape> shapes;
  for (size_t i = 0; i < inputDims.size(); ++i)
    shapes.push_back({impl->inputs[i].type, inputDims[i]});
  std::lock_guard<std::mutex> lock(impl->runMutex);
  if (impl->cpu)
    return impl->cpu->getOutputShapes(shapes);
  StatusOr<PlanBinding> binding = bindPlan(impl->getPlan(), shapes);
  if (!binding)
    return binding.status();
  return std::move(binding->outputShapes);
}

StatusOr<std::vector<HostTensor>>
Executable::run(const std::vector<const HostTensor *> &inputs) {
  for (size_t i = 0; i < inputs.size(); ++i)
    if (!inputs[i])
      return Status::error("input " + std::to_string(i) + " is null");
  std::lock_guard<std::mutex> lock(impl->runMutex);
  if (impl->cpu)
    return impl->cpu->run(inputs);
  if (Status status = impl->openGpu(); !status)
    return status;
  return impl->gpu->run(inputs);
}

StatusOr<std::vector<HostTensor>>
Executable::runOverDeviceMemory(const std::vector<const HostTensor *> &inputs) {
  if (impl->target == Target::Cpu)
    return Status::error("runOverDeviceMemory needs an executable compiled "
                         "for Target::Cuda; this one runs on the CPU");
  for (size_t i = 0; i < inputs.size(); ++i)
    if (!inputs[i])
      return Status::error("input " + std::to_string(i) + " is null");
  std::lock_guard<std::mutex> lock(impl->runMutex);
  if (Status status = impl->openGpu(); !status)
    return status;
  return ::deconv::runOverDeviceMemory(*impl->gpu, inputs);
}

std::vector<std::string> Executable::takeNotes() {
  std::lock_guard<std::mutex> lock(impl->runMutex);
  return impl->gpu ? impl->gpu->takeNotes() : std::vector<std::string>();
}

Status Executable::runOnDevice(const std::vector<DeviceTensor> &inputs,
                               const std::vector<DeviceTensor> &outputs,
                               void *stream) {
  if (impl->target == Target::Cpu)
    return Status::error("runOnDevice needs an executable compiled for "
                         "Target::Cuda; this one runs on the CPU");
  auto toReferences = [](const std::vector<DeviceTensor> &tensors) {
    std::vector<DeviceTensorRef> references;
    for (const DeviceTensor &tensor : tensors)
      references.push_back({tensor.address, {tensor.type, tensor.dims}});
    return references;
  };
  std::vector<DeviceTensorRef> inputReferences = toReferences(inputs),
                               outputReferences = toReferences(outputs);
  std::lock_guard<std::mutex> lock(impl->runMutex);
  // Misuse is reported the same with or without a GPU.
  if (auto checked = PlanExecutor::checkDeviceTensors(
          impl->getPlan(), inputReferences, outputReferences);
      !checked)
    return checked.status();
  if (Status status = impl->openGpu(); !status)
    return status;
  return impl->gpu->runOnDevice(inputReferences, outputReferences, stream);
}

Status Executable::savePlan(const std::string &path) const {
  if (impl->target == Target::Cpu)
    return Status::error("plans hold CUDA kernels: compile with Target::Cuda "
                         "to save one; this executable runs on the CPU");
  std::lock_guard<std::mutex> lock(impl->runMutex);
  return writePlanFile(path, impl->getPlan());
}
