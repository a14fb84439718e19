//===- ExecutableTest.cpp - compile, run, save and load
//--------------------===//
//
// The compile entry points and executables on both targets: text sources
// and their errors, target misuse, a round trip through a saved plan,
// concurrent compiles, and (with a GPU) host and device runs on CUDA
// against the CPU. Tests that need a GPU skip without one.
//
//===----------------------------------------------------------------------===//

#include "deconv/Executable.h"
#include "deconv/Runtime/CudaDriver.h"
#include "deconv/Runtime/Emulator.h"
#include "deconv/Runtime/Nvrtc.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

using namespace deconv;

namespace {

/// IR.md's example: stride 2 over the cookbook's data.
constexpr const char *kStrideSource = R"(
func.func @main(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x7x7xf32> {
  %w = arith.constant dense<[[[[1.0e+04, 1.0e+03, 1.0e+02], [1.0e+01, 1.0e+00, 1.0e-01], [1.0e-02, 1.0e-03, 1.0e-04]]]]> : tensor<1x1x3x3xf32>
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}
)";

/// A dynamic batch and height, for output-dimension queries.
constexpr const char *kDynamicSource = R"(
func.func @dynamic(%x: tensor<?x2x?x4xf32>, %w: tensor<2x3x3x3xf32>)
    -> tensor<?x3x?x9xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 2, 2>}
      : (tensor<?x2x?x4xf32>, tensor<2x3x3x3xf32>) -> tensor<?x3x?x9xf32>
  return %y : tensor<?x3x?x9xf32>
}
)";

HostTensor iota(std::vector<int64_t> shape) {
  HostTensor tensor(ElementType::F32, std::move(shape));
  for (int64_t i = 0; i < tensor.getNumElements(); ++i)
    tensor.setFromDouble(i, i + 1);
  return tensor;
}

bool haveGpu() { return static_cast<bool>(CudaDevice::open()); }
bool haveNvrtc() { return static_cast<bool>(getNvrtcVersion()); }

CompileOptions cudaOptions(std::string arch = "") {
  CompileOptions options;
  options.target = Target::Cuda;
  options.arch = std::move(arch);
  return options;
}

std::string temporaryPath(const std::string &name) {
  return (std::filesystem::temp_directory_path() /
          ("deconv-executable-test-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

void expectSameValues(const HostTensor &actual, const HostTensor &expected) {
  ASSERT_EQ(actual.getShape(), expected.getShape());
  for (int64_t i = 0; i < expected.getNumElements(); ++i)
    EXPECT_NEAR(actual.getAsDouble(i), expected.getAsDouble(i),
                1e-6 * std::abs(expected.getAsDouble(i)) + 1e-6)
        << "at " << i;
}

} // namespace

TEST(Executable, CompilesAndRunsTextOnTheCpu) {
  StatusOr<Executable> executable = compileSource(kStrideSource);
  ASSERT_TRUE(executable) << executable.message();
  EXPECT_EQ(executable->getTarget(), Target::Cpu);
  EXPECT_EQ(executable->getFunctionName(), "main");
  ASSERT_EQ(executable->getInputs().size(), 1u);
  EXPECT_EQ(executable->getInputs()[0].name, "arg0");
  EXPECT_EQ(executable->getInputs()[0].dims, (Dims{1, 1, 3, 3}));
  EXPECT_EQ(executable->getOutputs()[0].dims, (Dims{1, 1, 7, 7}));
  HostTensor x = iota({1, 1, 3, 3});
  auto y = executable->run({&x});
  ASSERT_TRUE(y) << y.message();
  // The cookbook's stride-2 matrix: (0,2) = 20100, (2,2) = 50400.02.
  EXPECT_FLOAT_EQ(y->front().getAsDouble(2), 20100.0f);
  EXPECT_FLOAT_EQ(y->front().getAsDouble(2 * 7 + 2), 50400.02f);
}

TEST(Executable, OutputDimensionsOfDynamicInputs) {
  CompileOptions options;
  options.function = "dynamic";
  StatusOr<Executable> executable = compileSource(kDynamicSource, options);
  ASSERT_TRUE(executable) << executable.message();
  EXPECT_EQ(executable->getOutputs()[0].dims, (Dims{-1, 3, -1, 9}));
  auto dims = executable->getOutputDimensions({{3, 2, 5, 4}, {2, 3, 3, 3}});
  ASSERT_TRUE(dims) << dims.message();
  EXPECT_EQ(dims->front(), (Dims{3, 3, 11, 9}));
  auto wrong = executable->getOutputDimensions({{3, 2, 5, 5}, {2, 3, 3, 3}});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.message(),
            "input 0 is tensor<3x2x5x5xf32> but @dynamic wants ?x2x?x4xf32");
  auto count = executable->getOutputDimensions({{3, 2, 5, 4}});
  ASSERT_FALSE(count);
  EXPECT_EQ(count.message(), "@dynamic takes 2 inputs, got 1");
}

TEST(Executable, SourceErrors) {
  auto garbage = compileSource("func.func @main(");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.message().rfind("<source>:1:", 0), 0u) << garbage.message();

  auto invalid = compileSource(R"(
func.func @main(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>)
    -> tensor<1x1x5x5xf32> {
  %y = deconv.deconv %x, %w {stride = array<i64: 0, 1>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
})");
  ASSERT_FALSE(invalid);
  EXPECT_NE(invalid.message().find("<source>:4:8: 'deconv.deconv' op "),
            std::string::npos)
      << invalid.message();

  std::string two = std::string(kStrideSource) + kDynamicSource;
  size_t main = two.find("@main");
  two.replace(main, 5, "@other");
  auto ambiguous = compileSource(two);
  ASSERT_FALSE(ambiguous);
  EXPECT_EQ(ambiguous.message(), "the module has 2 functions and no @main; "
                                 "name one in CompileOptions::function");
  auto integer = compileSource(R"(
func.func @main(%x: tensor<2xi32>) -> tensor<2xi32> {
  return %x : tensor<2xi32>
})");
  ASSERT_FALSE(integer);
  EXPECT_EQ(integer.message(), "argument 0 of @main is tensor<2xi32>, not a "
                               "ranked f32, f16, bf16, i8 or ui8 tensor");
  CompileOptions missing;
  missing.function = "absent";
  auto absent = compileSource(kStrideSource, missing);
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.message(), "no function @absent in the module");
}

TEST(Executable, RunChecksItsInputs) {
  StatusOr<Executable> executable = compileSource(kStrideSource);
  ASSERT_TRUE(executable) << executable.message();
  HostTensor wrong = iota({1, 1, 3, 4});
  auto shape = executable->run({&wrong});
  ASSERT_FALSE(shape);
  EXPECT_EQ(shape.message(),
            "input 0 is tensor<1x1x3x4xf32> but @main wants 1x1x3x3xf32");
  auto none = executable->run({});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.message(), "@main takes 1 inputs, got 0");
  auto null = executable->run({nullptr});
  ASSERT_FALSE(null);
  EXPECT_EQ(null.message(), "input 0 is null");
}

TEST(Executable, CpuExecutablesNeitherRunOnDevicesNorSavePlans) {
  StatusOr<Executable> executable = compileSource(kStrideSource);
  ASSERT_TRUE(executable) << executable.message();
  Status device = executable->runOnDevice({}, {});
  ASSERT_FALSE(device);
  EXPECT_EQ(device.message(), "runOnDevice needs an executable compiled for "
                              "Target::Cuda; this one runs on the CPU");
  Status plan = executable->savePlan(temporaryPath("cpu.plan"));
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.message(), "plans hold CUDA kernels: compile with "
                            "Target::Cuda to save one; this executable runs "
                            "on the CPU");
}

TEST(Executable, MovedExecutableRuns) {
  StatusOr<Executable> compiled = compileSource(kStrideSource);
  ASSERT_TRUE(compiled) << compiled.message();
  Executable executable = std::move(*compiled);
  Executable other = std::move(executable);
  HostTensor x = iota({1, 1, 3, 3});
  auto y = other.run({&x});
  ASSERT_TRUE(y) << y.message();
  EXPECT_FLOAT_EQ(y->front().getAsDouble(0), 10000.0f);
}

TEST(Executable, PlanRoundTrip) {
  if (!haveNvrtc())
    GTEST_SKIP() << "NVRTC is not available";
  CompileOptions options = cudaOptions("sm_80");
  options.function = "dynamic";
  StatusOr<Executable> executable = compileSource(kDynamicSource, options);
  ASSERT_TRUE(executable) << executable.message();
  EXPECT_EQ(executable->getTarget(), Target::Cuda);
  Status unwritable = executable->savePlan(temporaryPath("absent/x.plan"));
  ASSERT_FALSE(unwritable);
  EXPECT_NE(unwritable.message().find("absent/x.plan"), std::string::npos)
      << unwritable.message();
  std::string path = temporaryPath("round-trip.plan");
  ASSERT_TRUE(executable->savePlan(path));
  StatusOr<Executable> loaded = loadPlan(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(loaded) << loaded.message();
  EXPECT_EQ(loaded->getTarget(), Target::Cuda);
  EXPECT_EQ(loaded->getFunctionName(), "dynamic");
  ASSERT_EQ(loaded->getInputs().size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(loaded->getInputs()[i].type, executable->getInputs()[i].type);
    EXPECT_EQ(loaded->getInputs()[i].dims, executable->getInputs()[i].dims);
  }
  EXPECT_EQ(loaded->getOutputs()[0].dims, (Dims{-1, 3, -1, 9}));
  auto dims = loaded->getOutputDimensions({{3, 2, 5, 4}, {2, 3, 3, 3}});
  ASSERT_TRUE(dims) << dims.message();
  EXPECT_EQ(dims->front(), (Dims{3, 3, 11, 9}));

  // Run the loaded plan: on a GPU it must match the CPU.
  HostTensor x = iota({2, 2, 3, 4});
  HostTensor w = iota({2, 3, 3, 3});
  auto gpu = loaded->run({&x, &w});
  if (!haveGpu()) {
    ASSERT_FALSE(gpu);
    EXPECT_EQ(gpu.message().rfind("no usable CUDA device: ", 0), 0u)
        << gpu.message();
    return;
  }
  ASSERT_TRUE(gpu) << gpu.message();
  CompileOptions cpuOptions;
  cpuOptions.function = "dynamic";
  StatusOr<Executable> cpu = compileSource(kDynamicSource, cpuOptions);
  ASSERT_TRUE(cpu) << cpu.message();
  auto expected = cpu->run({&x, &w});
  ASSERT_TRUE(expected) << expected.message();
  expectSameValues(gpu->front(), expected->front());
}

TEST(Executable, LoadPlanErrors) {
  auto missing = loadPlan(temporaryPath("absent.plan"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.message().find("absent.plan"), std::string::npos);
  std::string path = temporaryPath("garbage.plan");
  { std::ofstream(path) << "DECONV-PLAN\nnot really"; }
  auto garbage = loadPlan(path);
  std::filesystem::remove(path);
  EXPECT_FALSE(garbage);
}

TEST(Executable, NvrtcLogOnABadArchitecture) {
  if (!haveNvrtc())
    GTEST_SKIP() << "NVRTC is not available";
  auto executable = compileSource(kStrideSource, cudaOptions("sm_1"));
  ASSERT_FALSE(executable);
  EXPECT_NE(executable.message().find("sm_1"), std::string::npos)
      << executable.message();
}

TEST(Executable, DeviceRunMisuseIsCheckedWithoutAGpu) {
  auto executable = compileSource(kStrideSource, cudaOptions());
  ASSERT_TRUE(executable) << executable.message();
  DeviceTensor input{0x1000, ElementType::F32, {1, 1, 3, 3}};
  DeviceTensor output{0x2000, ElementType::F32, {1, 1, 7, 7}};
  Status shape = executable->runOnDevice(
      {input}, {{0x2000, ElementType::F32, {1, 1, 7, 6}}});
  ASSERT_FALSE(shape);
  EXPECT_EQ(shape.message(),
            "output 0 is tensor<1x1x7x6xf32> but @main produces "
            "tensor<1x1x7x7xf32> for these inputs");
  Status count = executable->runOnDevice({input}, {});
  ASSERT_FALSE(count);
  EXPECT_EQ(count.message(), "@main has 1 outputs, got 0");
  Status null =
      executable->runOnDevice({{0, ElementType::F32, {1, 1, 3, 3}}}, {output});
  ASSERT_FALSE(null);
  EXPECT_EQ(null.message(), "input 0 has a null device address");
  Status type = executable->runOnDevice(
      {{0x1000, ElementType::F16, {1, 1, 3, 3}}}, {output});
  ASSERT_FALSE(type);
  EXPECT_EQ(type.message(),
            "input 0 is tensor<1x1x3x3xf16> but @main wants 1x1x3x3xf32");
}

TEST(Executable, ConcurrentCompilesOnBothTargets) {
  // Eight threads compile differently strided networks at once (half for
  // CUDA, through NVRTC when it is there); each result must be its own.
  constexpr int kThreads = 8;
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([t, &failures] {
      int64_t stride = 1 + t % 4;
      std::vector<float> weight = {1.0f, 2.0f, 3.0f};
      NetworkDefinition network;
      Tensor *input = network.addInput("x", ElementType::F32, {1, 1, 4});
      DeconvolutionLayer *layer = network.addDeconvolutionNd(
          *input, 1, {3}, {ElementType::F32, weight.data(), 3});
      layer->setStrideNd({stride});
      network.markOutput(*layer->getOutput(0));
      bool cuda = t >= kThreads / 2;
      StatusOr<Executable> executable =
          compileNetwork(network, cuda ? cudaOptions(haveNvrtc() ? "sm_90" : "")
                                       : CompileOptions());
      if (!executable) {
        failures[t] = executable.message();
        return;
      }
      int64_t expected = 3 * stride + 3; // (4-1)*S + 3
      if (executable->getOutputs()[0].dims != Dims{1, 1, expected}) {
        failures[t] = "wrong output dimensions";
        return;
      }
      if (cuda)
        return;
      HostTensor x = iota({1, 1, 4});
      auto y = executable->run({&x});
      if (!y) {
        failures[t] = y.message();
        return;
      }
      // y[S] = x[1]*w[0] + (S == 1: x[0]*w[1]; S == 2: nothing at k=... )
      // checked simply: the last output is x[3] * w[2] = 12.
      if (y->front().getAsDouble(expected - 1) != 12.0)
        failures[t] = "wrong last value";
    });
  for (std::thread &thread : threads)
    thread.join();
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(failures[t], "") << "thread " << t;
}

//===----------------------------------------------------------------------===//
// On a GPU, and always on the host emulator
//===----------------------------------------------------------------------===//

class ExecutableOn : public testing::TestWithParam<Target> {
protected:
  void SetUp() override {
    if (GetParam() == Target::Cuda && !haveGpu())
      GTEST_SKIP() << "no usable CUDA device";
  }
  CompileOptions options() const {
    CompileOptions options = cudaOptions();
    options.target = GetParam();
    return options;
  }
  CudaBackend backend() const {
    return GetParam() == Target::Cuda ? CudaBackend::Gpu
                                      : CudaBackend::Emulator;
  }
};

TEST_P(ExecutableOn, HostRunMatchesTheCpu) {
  std::string cacheDirectory = temporaryPath("kernel-cache");
  CompileOptions options = this->options();
  options.function = "dynamic";
  options.kernelCacheDirectory = cacheDirectory;
  auto gpu = compileSource(kDynamicSource, options);
  ASSERT_TRUE(gpu) << gpu.message();
  CompileOptions cpuOptions;
  cpuOptions.function = "dynamic";
  auto cpu = compileSource(kDynamicSource, cpuOptions);
  ASSERT_TRUE(cpu) << cpu.message();
  HostTensor x = iota({2, 2, 3, 4}), w = iota({2, 3, 3, 3});
  for (int run = 0; run < 2; ++run) { // Again with the buffers kept.
    auto actual = gpu->run({&x, &w});
    ASSERT_TRUE(actual) << actual.message();
    auto expected = cpu->run({&x, &w});
    ASSERT_TRUE(expected) << expected.message();
    expectSameValues(actual->front(), expected->front());
  }
  // A larger input grows the kept buffers.
  HostTensor bigger = iota({3, 2, 5, 4});
  auto grown = gpu->run({&bigger, &w});
  ASSERT_TRUE(grown) << grown.message();
  auto expected = cpu->run({&bigger, &w});
  ASSERT_TRUE(expected) << expected.message();
  expectSameValues(grown->front(), expected->front());
  // The dynamic kernel was specialized through the executable's cache.
  EXPECT_FALSE(std::filesystem::is_empty(cacheDirectory));
  std::filesystem::remove_all(cacheDirectory);
}

TEST_P(ExecutableOn, DeviceRunOnTheDefaultStream) {
  auto executable = compileSource(kStrideSource, options());
  ASSERT_TRUE(executable) << executable.message();
  auto device = CudaDevice::open(0, backend());
  ASSERT_TRUE(device) << device.message();
  HostTensor x = iota({1, 1, 3, 3});
  HostTensor y(ElementType::F32, {1, 1, 7, 7});
  auto input = (*device)->allocate(x.getSizeInBytes());
  auto output = (*device)->allocate(y.getSizeInBytes());
  ASSERT_TRUE(input && output);
  ASSERT_TRUE((*device)->copyToDevice(*input, x.data(), x.getSizeInBytes()));
  Status status = executable->runOnDevice(
      {{input->address(), ElementType::F32, {1, 1, 3, 3}}},
      {{output->address(), ElementType::F32, {1, 1, 7, 7}}});
  ASSERT_TRUE(status) << status.message();
  ASSERT_TRUE((*device)->synchronize());
  ASSERT_TRUE(
      (*device)->copyToHost(y.data(), output->address(), y.getSizeInBytes()));
  auto cpu = compileSource(kStrideSource);
  ASSERT_TRUE(cpu) << cpu.message();
  auto expected = cpu->run({&x});
  ASSERT_TRUE(expected) << expected.message();
  expectSameValues(y, expected->front());
}

TEST_P(ExecutableOn, RefusesOverlappingAndMisalignedDeviceTensors) {
  auto executable = compileSource(kStrideSource, options());
  ASSERT_TRUE(executable) << executable.message();
  auto device = CudaDevice::open(0, backend());
  ASSERT_TRUE(device) << device.message();
  auto memory = (*device)->allocate(4096);
  ASSERT_TRUE(memory);
  uint64_t base = memory->address();
  auto run = [&](uint64_t in, uint64_t out) {
    return executable
        ->runOnDevice({{in, ElementType::F32, {1, 1, 3, 3}}},
                      {{out, ElementType::F32, {1, 1, 7, 7}}})
        .message();
  };
  // The output (196 bytes) would cover the input's first bytes.
  EXPECT_EQ(run(base + 160, base),
            "output 0 overlaps input 0 in device memory (outputs must not "
            "share bytes with any other tensor of the call)");
  EXPECT_EQ(run(base + 4, base + 1024), "input 0 at device address " +
                                            std::to_string(base + 4) +
                                            " is not 16-byte aligned");
  EXPECT_EQ(run(base, base + 1032), "output 0 at device address " +
                                        std::to_string(base + 1032) +
                                        " is not 16-byte aligned");
}

TEST_P(ExecutableOn, ReleasesEverythingOnAnotherThread) {
  if (GetParam() != Target::CudaEmulator)
    GTEST_SKIP() << "counts allocations through the emulator";
  size_t before = getEmulatorStatistics().liveAllocations;
  {
    auto executable = compileSource(kStrideSource, options());
    ASSERT_TRUE(executable) << executable.message();
    HostTensor x = iota({1, 1, 3, 3});
    ASSERT_TRUE(executable->run({&x}));
    EXPECT_GT(getEmulatorStatistics().liveAllocations, before);
    // Destroyed on a thread where no context was ever made current.
    std::thread([&] { Executable gone = std::move(*executable); }).join();
  }
  EXPECT_EQ(getEmulatorStatistics().liveAllocations, before);
}

TEST_P(ExecutableOn, RunsAgainWithoutAllocating) {
  if (GetParam() != Target::CudaEmulator)
    GTEST_SKIP() << "counts allocations through the emulator";
  auto executable = compileSource(kStrideSource, options());
  ASSERT_TRUE(executable) << executable.message();
  HostTensor x = iota({1, 1, 3, 3});
  ASSERT_TRUE(executable->run({&x}));
  size_t held = getEmulatorStatistics().liveAllocations;
  for (int run = 0; run < 3; ++run)
    ASSERT_TRUE(executable->run({&x}));
  // Inputs, constants and intermediates stay where the first run put them.
  EXPECT_EQ(getEmulatorStatistics().liveAllocations, held);
}

TEST_P(ExecutableOn, TunedChoiceIsRecordedReusedAndReplacedWhenDamaged) {
  std::string cacheDirectory = temporaryPath("tuning-cache");
  CompileOptions options = this->options();
  options.kernelCacheDirectory = cacheDirectory;
  options.tune = true;
  auto tuned = compileSource(kStrideSource, options);
  ASSERT_TRUE(tuned) << tuned.message();
  HostTensor x = iota({1, 1, 3, 3});
  auto y = tuned->run({&x});
  ASSERT_TRUE(y) << y.message();
  auto cpu = compileSource(kStrideSource);
  ASSERT_TRUE(cpu) << cpu.message();
  auto expected = cpu->run({&x});
  ASSERT_TRUE(expected) << expected.message();
  expectSameValues(y->front(), expected->front());

  // One record, for the one op, under the executable's cache directory.
  std::vector<std::filesystem::path> records;
  for (const auto &entry : std::filesystem::directory_iterator(
           std::filesystem::path(cacheDirectory) / "tuning"))
    records.push_back(entry.path());
  ASSERT_EQ(records.size(), 1u);
  auto read = [&] {
    std::ifstream in(records.front());
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string record = read();
  EXPECT_EQ(record.rfind("deconv tuning record 1\nkey ", 0), 0u) << record;
  // Compiled again: the record is read, not timed and rewritten.
  auto modified = std::filesystem::last_write_time(records.front());
  ASSERT_TRUE(compileSource(kStrideSource, options));
  EXPECT_EQ(std::filesystem::last_write_time(records.front()), modified);
  EXPECT_EQ(read(), record);
  // A damaged record is not trusted: the op is timed again and the record
  // replaced.
  std::ofstream(records.front()) << "deconv tuning record 1\nkey nonsense\n";
  auto retuned = compileSource(kStrideSource, options);
  ASSERT_TRUE(retuned) << retuned.message();
  EXPECT_EQ(read().rfind("deconv tuning record 1\nkey ", 0), 0u);
  EXPECT_EQ(read().find("key nonsense"), std::string::npos);
  y = retuned->run({&x});
  ASSERT_TRUE(y) << y.message();
  expectSameValues(y->front(), expected->front());
  std::filesystem::remove_all(cacheDirectory);
}

TEST(Executable, RefusesSourceNestedTooDeep) {
  // MLIR's parser recurses per bracket: 100,000 levels would overflow it.
  std::string deep =
      "func.func @main() attributes {a = " + std::string(100000, '[') +
      std::string(100000, ']') + "} { return }";
  auto executable = compileSource(deep);
  ASSERT_FALSE(executable);
  EXPECT_EQ(executable.message(), "the source does not parse: brackets nest "
                                  "deeper than 1000 levels at line 1");
}

TEST(Executable, TuningNeedsACudaTarget) {
  CompileOptions options;
  options.tune = true;
  auto executable = compileSource(kStrideSource, options);
  ASSERT_FALSE(executable);
  EXPECT_EQ(executable.message(),
            "tuning (CompileOptions::tune) needs a CUDA target");
}

TEST(Executable, ChecksOptionsBeforeParsing) {
  CompileOptions options;
  options.cudaStrategy = "fastest";
  EXPECT_NE(checkCompileOptions(options).message().find(
                "unknown CUDA strategy 'fastest'"),
            std::string::npos);
  options = {};
  options.cpuKernel = "rows";
  EXPECT_EQ(checkCompileOptions(options).message(),
            "the CPU kernel form (CompileOptions::cpuKernel) is auto, phases "
            "or columns, not 'rows'");
  options = {};
  options.cpuTile = "8x6";
  EXPECT_NE(checkCompileOptions(options).message().find(
                "a CPU tile is LANESxROWSxVECTORS"),
            std::string::npos);
  // The same checks fail a compile, before the source is read.
  EXPECT_FALSE(compileSource("not IR", options));
  EXPECT_TRUE(checkCompileOptions({}));
}

TEST(Executable, CpuKernelFormAndTileGiveTheSameNumbers) {
  HostTensor x = iota({1, 1, 3, 3});
  auto reference = compileSource(kStrideSource);
  ASSERT_TRUE(reference) << reference.message();
  auto expected = reference->run({&x});
  ASSERT_TRUE(expected) << expected.message();
  for (const char *form : {"phases", "columns"}) {
    CompileOptions options;
    options.cpuKernel = form;
    options.cpuTile = "4x2x1";
    auto executable = compileSource(kStrideSource, options);
    ASSERT_TRUE(executable) << executable.message();
    auto results = executable->run({&x});
    ASSERT_TRUE(results) << results.message();
    for (int64_t i = 0; i < (*expected)[0].getNumElements(); ++i)
      EXPECT_EQ((*results)[0].getAsDouble(i), (*expected)[0].getAsDouble(i))
          << form;
  }
}

TEST(Executable, AutoTargetSaysWhatItChose) {
  auto choice = chooseTarget(Target::Auto);
  ASSERT_TRUE(choice) << choice.message();
  auto executable = compileSource(kStrideSource, {Target::Auto});
  ASSERT_TRUE(executable) << executable.message();
  EXPECT_EQ(executable->getTarget(), choice->target);
  EXPECT_EQ(executable->getTargetChoice().target, choice->target);
  EXPECT_FALSE(executable->getTargetChoice().reason.empty());
  if (choice->target == Target::Cpu) {
    EXPECT_NE(choice->reason.find("no usable CUDA device"), std::string::npos);
    // A CUDA-only option does not fall back to the CPU quietly.
    CompileOptions options{Target::Auto};
    options.cudaTile = "64x64";
    auto refused = compileSource(kStrideSource, options);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.message(), choice->reason);
  } else {
    CompileOptions options{Target::Auto};
    options.cpuKernel = "phases";
    EXPECT_FALSE(compileSource(kStrideSource, options));
  }
  // An explicit target has no reason to give.
  auto cpu = compileSource(kStrideSource);
  ASSERT_TRUE(cpu);
  EXPECT_EQ(cpu->getTargetChoice().target, Target::Cpu);
  EXPECT_TRUE(cpu->getTargetChoice().reason.empty());
  EXPECT_TRUE(cpu->takeNotes().empty());
  HostTensor x = iota({1, 1, 3, 3});
  auto device = cpu->runOverDeviceMemory({&x});
  ASSERT_FALSE(device);
  EXPECT_NE(device.message().find("runs on the CPU"), std::string::npos);
}

TEST(Executable, StaticInputDimsSpecializeTheFunction) {
  CompileOptions options;
  options.staticInputDims = {{2, 2, 5, 4}, {2, 3, 3, 3}};
  auto executable = compileSource(kDynamicSource, options);
  ASSERT_TRUE(executable) << executable.message();
  EXPECT_EQ(executable->getInputs()[0].dims, (Dims{2, 2, 5, 4}));
  EXPECT_EQ(executable->getOutputs()[0].dims, (Dims{2, 3, 11, 9}));
  options.staticInputDims = {{2, 2, 5, 5}, {2, 3, 3, 3}};
  auto refused = compileSource(kDynamicSource, options);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.message(),
            "input 0 has shape 2x2x5x5 but the signature wants ?x2x?x4");
}

TEST(Executable, SourceNameNamesTheTextInMessages) {
  CompileOptions options;
  options.sourceName = "graph.mlir";
  auto executable = compileSource("func.func @main(", options);
  ASSERT_FALSE(executable);
  EXPECT_EQ(executable.message().rfind("graph.mlir:1:", 0), 0u)
      << executable.message();
}

INSTANTIATE_TEST_SUITE_P(Targets, ExecutableOn,
                         testing::Values(Target::Cuda, Target::CudaEmulator),
                         [](const auto &info) {
                           return info.param == Target::Cuda
                                      ? std::string("Gpu")
                                      : std::string("Emulator");
                         });
