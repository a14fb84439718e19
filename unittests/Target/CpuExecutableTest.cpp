//===- CpuExecutableTest.cpp - the CPU executable as a library ------------===//
//
// run() is an API: it must refuse every input the compiled code cannot take,
// before that code runs. Expected values are worked by hand.
//
//===----------------------------------------------------------------------===//

#include "deconv/Target/CPU/CpuTarget.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <dirent.h>
#include <thread>

using namespace mlir;
using ::deconv::ElementType;
using ::deconv::HostTensor;

namespace {

// x (1, 1, W) with a 3-tap ones kernel, padding 2: O = W + 2 - 4 = W - 2.
constexpr const char *kDynamic = R"mlir(
func.func @main(%x: tensor<1x1x?xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x?xf32> {
  %y = deconv.deconv %x, %w {padding = array<i64: 2>}
      : (tensor<1x1x?xf32>, tensor<1x1x3xf32>) -> tensor<1x1x?xf32>
  return %y : tensor<1x1x?xf32>
}
)mlir";

class CpuExecutableTest : public ::testing::Test {
protected:
  void SetUp() override {
    mlir::deconv::registerCpuTargetDialects(registry);
    context = std::make_unique<MLIRContext>(registry);
    module = parseSourceString<ModuleOp>(kDynamic, context.get());
    ASSERT_TRUE(module);
    auto compiled = mlir::deconv::CpuExecutable::compile(*module, "main");
    ASSERT_TRUE(compiled) << compiled.message();
    executable = std::move(*compiled);
  }

  static HostTensor tensor(std::vector<int64_t> shape,
                           std::vector<double> values,
                           ElementType type = ElementType::F32) {
    HostTensor result(type, std::move(shape));
    for (size_t i = 0; i < values.size(); ++i)
      result.setFromDouble(i, values[i]);
    return result;
  }

  DialectRegistry registry;
  std::unique_ptr<MLIRContext> context;
  OwningOpRef<ModuleOp> module;
  std::unique_ptr<mlir::deconv::CpuExecutable> executable;
};

TEST_F(CpuExecutableTest, RunsDynamicSizes) {
  // Full scatter of [1 2 3 4] with ones(3): [1 3 6 9 7 4]; crop 2 each side.
  HostTensor x = tensor({1, 1, 4}, {1, 2, 3, 4});
  HostTensor w = tensor({1, 1, 3}, {1, 1, 1});
  auto results = executable->run({&x, &w});
  ASSERT_TRUE(results) << results.message();
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ(results->front().getShape(), (std::vector<int64_t>{1, 1, 2}));
  EXPECT_EQ(results->front().getAsDouble(0), 6.0);
  EXPECT_EQ(results->front().getAsDouble(1), 9.0);
  // The same executable, another width.
  HostTensor wide = tensor({1, 1, 5}, {1, 1, 1, 1, 1});
  results = executable->run({&wide, &w});
  ASSERT_TRUE(results) << results.message();
  EXPECT_EQ(results->front().getShape(), (std::vector<int64_t>{1, 1, 3}));
  EXPECT_EQ(results->front().getAsDouble(1), 3.0);
}

TEST_F(CpuExecutableTest, RefusesWhatTheCodeCannotTake) {
  HostTensor w = tensor({1, 1, 3}, {1, 1, 1});
  // A width that empties the output: O = 2 - 2 = 0.
  HostTensor narrow = tensor({1, 1, 2}, {1, 2});
  auto empty = executable->run({&narrow, &w});
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.message().find("output size on spatial axis 0 would be 0"),
            std::string::npos)
      << empty.message();
  // A static size that disagrees.
  HostTensor x = tensor({1, 1, 4}, {1, 2, 3, 4});
  HostTensor wideKernel = tensor({1, 1, 4}, {1, 1, 1, 1});
  auto mismatch = executable->run({&x, &wideKernel});
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.message(),
            "input 1 is tensor<1x1x4xf32> but @main wants 1x1x3xf32");
  // The wrong element type, the wrong rank, the wrong count.
  HostTensor half = tensor({1, 1, 4}, {1, 2, 3, 4}, ElementType::F16);
  EXPECT_FALSE(executable->run({&half, &w}));
  HostTensor flat = tensor({4}, {1, 2, 3, 4});
  EXPECT_FALSE(executable->run({&flat, &w}));
  auto count = executable->run({&x});
  ASSERT_FALSE(count);
  EXPECT_EQ(count.message(), "@main takes 2 inputs, got 1");
}

/// Threads of this process.
int countThreads() {
  int count = 0;
  if (DIR *tasks = opendir("/proc/self/task")) {
    while (dirent *entry = readdir(tasks))
      count += entry->d_name[0] != '.';
    closedir(tasks);
  }
  return count;
}

/// kDynamic compiled with `options`, with the context and module the
/// executable's dynamic sizes need kept alive beside it.
struct CompiledDynamic {
  explicit CompiledDynamic(const mlir::deconv::CpuTargetOptions &options)
      : context(std::make_unique<MLIRContext>(makeRegistry())),
        module(parseSourceString<ModuleOp>(kDynamic, context.get())),
        executable(
            mlir::deconv::CpuExecutable::compile(*module, "main", options)) {}
  static DialectRegistry makeRegistry() {
    DialectRegistry registry;
    mlir::deconv::registerCpuTargetDialects(registry);
    return registry;
  }
  std::unique_ptr<MLIRContext> context;
  OwningOpRef<ModuleOp> module;
  ::deconv::StatusOr<std::unique_ptr<mlir::deconv::CpuExecutable>> executable;
};

/// Options of `threads` threads and a budget of `budget` bytes.
mlir::deconv::CpuTargetOptions withLimits(int threads, int64_t budget) {
  mlir::deconv::CpuTargetOptions options;
  options.threads = threads;
  options.maxMemoryBytes = budget;
  return options;
}

/// In a fresh process: compiles kDynamic for one thread and for three, runs
/// each once, and exits 0 when the first run started no thread and the
/// second two (a team of three is its caller and two workers).
[[noreturn]] void runWithGivenThreads() {
  CompiledDynamic single(withLimits(1, 0)), three(withLimits(3, 0));
  for (CompiledDynamic *compiled : {&single, &three})
    if (!compiled->executable) {
      std::fprintf(stderr, "%s\n", compiled->executable.message().c_str());
      std::exit(2);
    }
  HostTensor x(ElementType::F32, {1, 1, 64}), w(ElementType::F32, {1, 1, 3});
  const int before = countThreads();
  if (!(*single.executable)->run({&x, &w}) || countThreads() != before) {
    std::fprintf(stderr, "one thread: %d threads, %d before\n", countThreads(),
                 before);
    std::exit(1);
  }
  if (!(*three.executable)->run({&x, &w}) || countThreads() != before + 2) {
    std::fprintf(stderr, "three threads: %d threads, %d before\n",
                 countThreads(), before);
    std::exit(1);
  }
  std::exit(0);
}

TEST(CpuExecutableThreads, ARunStartsTheThreadsItIsGiven) {
  if (!mlir::deconv::CpuExecutable::runsOnThreads())
    GTEST_SKIP() << "built without an OpenMP runtime";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(runWithGivenThreads(), ::testing::ExitedWithCode(0), "");
}

TEST(CpuExecutableThreads, RefusesNegativeThreads) {
  CompiledDynamic negative(withLimits(-1, 0));
  ASSERT_FALSE(negative.executable);
  EXPECT_EQ(negative.executable.message(),
            "a CPU run's threads must be >= 0 (0: the cores), not -1");
}

// Runs on several application threads at once all give the right numbers
// (each sets only its own thread's team size).
TEST_F(CpuExecutableTest, RunsOnSeveralThreadsAtOnce) {
  HostTensor x = tensor({1, 1, 4}, {1, 2, 3, 4});
  HostTensor w = tensor({1, 1, 3}, {1, 1, 1});
  std::vector<std::thread> callers;
  std::vector<int> right(8, 0);
  for (int t = 0; t < 8; ++t)
    callers.emplace_back([&, t] {
      for (int run = 0; run < 20; ++run) {
        auto results = executable->run({&x, &w});
        right[t] += results && results->front().getAsDouble(0) == 6.0 &&
                    results->front().getAsDouble(1) == 9.0;
      }
    });
  for (std::thread &caller : callers)
    caller.join();
  for (int t = 0; t < 8; ++t)
    EXPECT_EQ(right[t], 20) << "caller " << t;
}

TEST(CpuExecutableMemory, RefusesResultsPastTheBudget) {
  // x (1, 1, 4): a result of 1 x 1 x 2 f32, 8 bytes.
  HostTensor x(ElementType::F32, {1, 1, 4}), w(ElementType::F32, {1, 1, 3});
  CompiledDynamic tight(withLimits(0, 7));
  ASSERT_TRUE(tight.executable) << tight.executable.message();
  auto refused = (*tight.executable)->run({&x, &w});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.message(), "the results of @main take 8 bytes, more than "
                               "the memory budget of 7 bytes");
  CompiledDynamic enough(withLimits(0, 8));
  ASSERT_TRUE(enough.executable) << enough.executable.message();
  EXPECT_TRUE((*enough.executable)->run({&x, &w}));
  CompiledDynamic negative(withLimits(0, -1));
  ASSERT_FALSE(negative.executable);
  EXPECT_EQ(negative.executable.message(),
            "a CPU run's memory budget must be >= 0 bytes (0: half the "
            "physical memory), not -1");
}

} // namespace
