//===- PlanExecutorTest.cpp - plans run on the emulator, with graphs ------===//
//
// A hand-written two-step plan run through PlanExecutor on the host
// emulator: results against a plain reference, and when the executor
// launches kernel by kernel, captures a CUDA graph or replays one (a binding
// that repeats gets a graph; a new size or address launches directly).
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/PlanExecutor.h"
#include "deconv/Runtime/Emulator.h"

#include "gtest/gtest.h"

#include <cstring>
#include <vector>

using namespace deconv;

namespace {

// t = x * w[0]; y[i] = t[i] - 2 t[N-1-i]. The second step reads what other
// blocks of the first wrote, so it must run after all of it.
const char *const kScale = R"(#include "deconv_device.h"
extern "C" __global__ void scale(DECONV_GLOBAL(const float) x,
                                 DECONV_GLOBAL(const float) w,
                                 DECONV_GLOBAL(float) t) {
  long long i = blockIdx.x * 64 + threadIdx.x;
  if (i < DECONV_N)
    t[i] = x[i] * w[0];
})";
const char *const kCombine = R"(#include "deconv_device.h"
extern "C" __global__ void combine(DECONV_GLOBAL(const float) t,
                                   DECONV_GLOBAL(float) y) {
  long long i = blockIdx.x * 64 + threadIdx.x;
  if (i < DECONV_N)
    y[i] = t[i] - 2.0f * t[DECONV_N - 1 - i];
})";

/// x: f32[?] -> y: f32[N] with w = 0.5, so y[i] = x[i] / 2 - x[N-1-i].
Plan twoStepPlan() {
  Plan plan;
  plan.function = "main";
  plan.inputs.push_back({ElementType::F32, {"?"}});
  PlanBuffer x, w, t, y;
  x.kind = PlanBuffer::Kind::Input;
  x.shape = {"IN0_D0"};
  w.kind = PlanBuffer::Kind::Constant;
  w.shape = {"1"};
  float half = 0.5f;
  w.data.assign(reinterpret_cast<const char *>(&half), sizeof(half));
  t.shape = y.shape = {"IN0_D0"};
  plan.buffers = {x, w, t, y};
  for (auto [name, source] :
       {std::pair{"scale", kScale}, std::pair{"combine", kCombine}}) {
    PlanKernel kernel;
    kernel.name = name;
    kernel.source = source;
    kernel.strategy = "direct";
    kernel.block = {64, 1, 1};
    kernel.grid = {"deconv_ceildiv(DECONV_N, 64)", "1", "1"};
    kernel.macros = {{"DECONV_N", "IN0_D0"}};
    plan.kernels.push_back(kernel);
  }
  plan.steps = {{0, {0, 1, 2}}, {1, {2, 3}}};
  plan.outputs = {{3, {"IN0_D0"}}};
  return plan;
}

/// The plan's result computed plainly on the host.
std::vector<float> reference(const std::vector<float> &x) {
  size_t n = x.size();
  std::vector<float> y(n);
  for (size_t i = 0; i < n; ++i)
    y[i] = x[i] * 0.5f - 2.0f * (x[n - 1 - i] * 0.5f);
  return y;
}

std::vector<float> ramp(size_t n, float scale) {
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i)
    x[i] = scale * static_cast<float>((i * 7) % 11) - 3.0f;
  return x;
}

class PlanExecutorTest : public testing::Test {
protected:
  void SetUp() override {
    auto created =
        PlanExecutor::create(twoStepPlan(), nullptr, CudaBackend::Emulator);
    ASSERT_TRUE(created) << created.message();
    executor = std::move(*created);
  }

  /// Runs the plan on host tensors and returns output 0.
  std::vector<float> run(const std::vector<float> &values) {
    HostTensor x(ElementType::F32, {static_cast<int64_t>(values.size())});
    std::memcpy(x.data(), values.data(), values.size() * sizeof(float));
    StatusOr<std::vector<HostTensor>> results = executor->run({&x});
    EXPECT_TRUE(results) << results.message();
    if (!results)
      return {};
    std::vector<float> y(values.size());
    std::memcpy(y.data(), (*results)[0].data(), y.size() * sizeof(float));
    return y;
  }

  /// Direct runs, captures and graph runs since the executor was made.
  std::vector<uint64_t> counts() const {
    const GraphStatistics &stats = executor->getGraphStatistics();
    return {stats.directRuns, stats.captures, stats.graphRuns};
  }

  std::unique_ptr<PlanExecutor> executor;
};

TEST_F(PlanExecutorTest, TheReferenceIsRight) {
  // By hand, x = [1, 4, 9]: t = [0.5, 2, 4.5], y = [0.5 - 9, 2 - 4, 4.5 - 1].
  EXPECT_EQ(reference({1, 4, 9}), (std::vector<float>{-8.5f, -2, 3.5f}));
  EXPECT_EQ(run({1, 4, 9}), (std::vector<float>{-8.5f, -2, 3.5f}));
}

TEST_F(PlanExecutorTest, ARepeatedHostRunIsCapturedOnceThenReplayed) {
  EmulatorStatistics before = getEmulatorStatistics();
  std::vector<float> x = ramp(100, 1.0f);
  EXPECT_EQ(run(x), reference(x));
  EXPECT_FALSE(executor->lastRunUsedGraph());
  size_t warmAllocations = getEmulatorStatistics().liveAllocations;
  EXPECT_EQ(run(x), reference(x)); // Captured, then launched as a graph.
  EXPECT_TRUE(executor->lastRunUsedGraph());
  // New values in the same staging buffer: the graph reads them.
  std::vector<float> other = ramp(100, -2.5f);
  EXPECT_EQ(run(other), reference(other));
  EXPECT_TRUE(executor->lastRunUsedGraph());
  EXPECT_EQ(counts(), (std::vector<uint64_t>{1, 1, 2}));
  EmulatorStatistics after = getEmulatorStatistics();
  EXPECT_EQ(after.graphLaunches - before.graphLaunches, 2u);
  EXPECT_EQ(after.launches - before.launches, 6u); // Two steps, three runs.
  // Warm runs allocate nothing (a capture would refuse it anyway).
  EXPECT_EQ(after.liveAllocations, warmAllocations);
}

TEST_F(PlanExecutorTest, ANewSizeLaunchesDirectlyThenIsCapturedToo) {
  std::vector<float> large = ramp(100, 1.0f), small = {1, 4, 9};
  EXPECT_EQ(run(large), reference(large));
  EXPECT_EQ(run(large), reference(large));
  EXPECT_EQ(counts(), (std::vector<uint64_t>{1, 1, 1}));
  // Same buffers (the pool is big enough), other kernels and grids.
  EXPECT_EQ(run(small), (std::vector<float>{-8.5f, -2, 3.5f}));
  EXPECT_FALSE(executor->lastRunUsedGraph());
  EXPECT_EQ(run(small), (std::vector<float>{-8.5f, -2, 3.5f}));
  EXPECT_TRUE(executor->lastRunUsedGraph());
  EXPECT_EQ(counts(), (std::vector<uint64_t>{2, 2, 2}));
  // The first size's graph is still held: replayed, not captured again.
  EXPECT_EQ(run(large), reference(large));
  EXPECT_TRUE(executor->lastRunUsedGraph());
  EXPECT_EQ(counts(), (std::vector<uint64_t>{2, 2, 3}));
}

TEST_F(PlanExecutorTest, WithGraphsOffEveryRunLaunchesDirectly) {
  executor->setUseGraphs(false);
  EmulatorStatistics before = getEmulatorStatistics();
  std::vector<float> x = ramp(100, 0.75f);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(run(x), reference(x)) << i;
    EXPECT_FALSE(executor->lastRunUsedGraph());
  }
  EXPECT_EQ(counts(), (std::vector<uint64_t>{3, 0, 0}));
  EXPECT_EQ(getEmulatorStatistics().graphLaunches, before.graphLaunches);
  // On again: the binding repeats from here.
  executor->setUseGraphs(true);
  EXPECT_EQ(run(x), reference(x));
  EXPECT_EQ(run(x), reference(x));
  EXPECT_TRUE(executor->lastRunUsedGraph());
}

TEST_F(PlanExecutorTest, DeviceRunsReplayOnlyForTheSamePointersAndStream) {
  CudaDevice &device = executor->getDevice();
  StatusOr<CudaStream> stream = device.createStream();
  ASSERT_TRUE(stream);
  void *s = stream->get();
  const int64_t n = 100;
  const size_t bytes = n * sizeof(float);
  std::vector<DeviceBuffer> memory;
  for (int i = 0; i < 4; ++i) {
    StatusOr<DeviceBuffer> buffer = device.allocate(bytes);
    ASSERT_TRUE(buffer);
    memory.push_back(std::move(*buffer));
  }
  TensorShape shape{ElementType::F32, {n}};
  auto tensor = [&](int i) {
    return DeviceTensorRef{memory[i].address(), shape};
  };
  auto runOn = [&](int input, int output, void *on,
                   const std::vector<float> &x) {
    EXPECT_TRUE(
        device.copyToDeviceAsync(memory[input].address(), x.data(), bytes, on));
    Status status =
        executor->runOnDevice({tensor(input)}, {tensor(output)}, on);
    EXPECT_TRUE(status) << status.message();
    std::vector<float> y(n);
    EXPECT_TRUE(device.synchronize(on));
    EXPECT_TRUE(device.copyToHost(y.data(), memory[output].address(), bytes));
    return y;
  };
  std::vector<float> a = ramp(n, 1.0f), b = ramp(n, -0.5f);
  EXPECT_EQ(runOn(0, 1, s, a), reference(a));
  EXPECT_EQ(runOn(0, 1, s, a), reference(a));
  EXPECT_EQ(counts(), (std::vector<uint64_t>{1, 1, 1}));
  // Other pointers: direct, then captured.
  EXPECT_EQ(runOn(2, 3, s, b), reference(b));
  EXPECT_FALSE(executor->lastRunUsedGraph());
  EXPECT_EQ(runOn(2, 3, s, b), reference(b));
  EXPECT_TRUE(executor->lastRunUsedGraph());
  EXPECT_EQ(counts(), (std::vector<uint64_t>{2, 2, 2}));
  // The first pointers again, with new values: replayed.
  EXPECT_EQ(runOn(0, 1, s, b), reference(b));
  EXPECT_TRUE(executor->lastRunUsedGraph());
  EXPECT_EQ(counts(), (std::vector<uint64_t>{2, 2, 3}));
  // The legacy default stream cannot be captured: always direct.
  EXPECT_EQ(runOn(0, 1, nullptr, a), reference(a));
  EXPECT_EQ(runOn(0, 1, nullptr, a), reference(a));
  EXPECT_FALSE(executor->lastRunUsedGraph());
  EXPECT_EQ(counts(), (std::vector<uint64_t>{4, 2, 3}));
}

TEST_F(PlanExecutorTest, OnlyTheLastFewBindingsKeepTheirGraphs) {
  // One more size than graphs kept, each run twice, then the first again:
  // its graph was dropped, so it launches directly.
  std::vector<std::vector<float>> inputs;
  for (size_t k = 0; k <= PlanExecutor::kMaxGraphs; ++k)
    inputs.push_back(ramp(10 + k, 1.0f + k));
  for (const std::vector<float> &x : inputs) {
    EXPECT_EQ(run(x), reference(x));
    EXPECT_EQ(run(x), reference(x));
    EXPECT_TRUE(executor->lastRunUsedGraph());
  }
  EXPECT_EQ(run(inputs[0]), reference(inputs[0]));
  EXPECT_FALSE(executor->lastRunUsedGraph());
  EXPECT_EQ(run(inputs.back()), reference(inputs.back()));
  EXPECT_TRUE(executor->lastRunUsedGraph());
}

} // namespace
