//===- EmulatorTest.cpp - the host emulator runs and checks kernels -------===//
//
// Kernels written against deconv_device.h, compiled by the emulator's
// compiler and launched through the runtime's own driver classes: results
// worked out by hand, and every rule the emulator enforces broken once, with
// the message it must give.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/Emulator.h"
#include "deconv/Runtime/CudaDriver.h"
#include "deconv/Runtime/Nvrtc.h"

#include "../../runtime/lib/DriverApi.h"
#include "../../runtime/lib/Emulator/Emulator.h"

#include "gtest/gtest.h"

#include <numeric>
#include <thread>
#include <vector>

using namespace deconv;

namespace {

/// A device of the emulator with helpers to build and launch test kernels.
class EmulatorTest : public testing::Test {
protected:
  void SetUp() override {
    auto opened = CudaDevice::open(0, CudaBackend::Emulator);
    ASSERT_TRUE(opened) << opened.message();
    device = *opened;
  }

  /// Compiles `body` (after the prelude's include) and loads kernel `name`.
  void *build(const std::string &body, const std::string &name = "k") {
    StatusOr<std::string> object =
        compileToCubin("#include \"deconv_device.h\"\n" + body, name + ".cu",
                       device->getArch(), {}, CudaBackend::Emulator);
    EXPECT_TRUE(object) << object.message();
    if (!object)
      return nullptr;
    StatusOr<CudaModule> module = device->loadModule(*object);
    EXPECT_TRUE(module) << module.message();
    if (!module)
      return nullptr;
    modules.push_back(std::move(*module));
    StatusOr<void *> function = modules.back().getFunction(name);
    EXPECT_TRUE(function) << function.message();
    return function ? *function : nullptr;
  }

  /// The compile error of `body`.
  std::string compileError(const std::string &body) {
    StatusOr<std::string> object =
        compileToCubin("#include \"deconv_device.h\"\n" + body, "bad.cu",
                       device->getArch(), {}, CudaBackend::Emulator);
    return object ? std::string("compiled") : object.message();
  }

  /// A device buffer holding `values`.
  uint64_t upload(const std::vector<float> &values) {
    StatusOr<DeviceBuffer> buffer =
        device->allocate(values.size() * sizeof(float));
    EXPECT_TRUE(buffer);
    EXPECT_TRUE(device->copyToDevice(*buffer, values.data(),
                                     values.size() * sizeof(float)));
    buffers.push_back(std::move(*buffer));
    return buffers.back().address();
  }
  uint64_t allocate(size_t bytes) {
    StatusOr<DeviceBuffer> buffer = device->allocate(bytes);
    EXPECT_TRUE(buffer);
    buffers.push_back(std::move(*buffer));
    return buffers.back().address();
  }
  std::vector<float> download(uint64_t address, size_t count) {
    std::vector<float> values(count);
    Status status =
        device->copyToHost(values.data(), address, count * sizeof(float));
    EXPECT_TRUE(status) << status.message();
    return values;
  }

  /// Launches on the legacy stream; "" or the failure.
  std::string launch(void *function, LaunchDims grid, LaunchDims block,
                     std::vector<void *> arguments, uint32_t shared = 0,
                     void *stream = nullptr) {
    Status status =
        device->launch(function, grid, block, shared, arguments, stream);
    return status ? "" : status.message();
  }

  std::shared_ptr<CudaDevice> device;
  std::vector<CudaModule> modules;
  std::vector<DeviceBuffer> buffers;
};

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

const char *const kRotate = R"(
extern "C" __global__ void __launch_bounds__(64)
k(DECONV_GLOBAL(float) out) {
  DECONV_SHARED_ARRAY(float, tile, 64);
  unsigned t = threadIdx.x;
  tile[t] = blockIdx.x * 100.0f + t;
  __syncthreads();
  out[blockIdx.x * 64 + t] = tile[(t + 1) % 64];
})";

TEST_F(EmulatorTest, SharedMemoryAndBarriersGiveEachBlockItsOwnTile) {
  void *kernel = build(kRotate);
  uint64_t out = allocate(3 * 64 * sizeof(float));
  ASSERT_EQ(launch(kernel, {3, 1, 1}, {64, 1, 1}, {&out}), "");
  std::vector<float> values = download(out, 3 * 64);
  for (int b = 0; b < 3; ++b)
    for (int t = 0; t < 64; ++t)
      ASSERT_EQ(values[b * 64 + t], b * 100.0f + (t + 1) % 64) << b << " " << t;
}

TEST_F(EmulatorTest, LaunchBoundsAndLimitsAreEnforced) {
  void *kernel = build(kRotate);
  uint64_t out = allocate(128 * sizeof(float));
  EXPECT_TRUE(contains(launch(kernel, {1, 1, 1}, {128, 1, 1}, {&out}),
                       "a block of 128 threads exceeds its __launch_bounds__ "
                       "of 64"));
  const DriverApi &api = getDriverApi(CudaBackend::Emulator);
  void *context = nullptr;
  api.primaryCtxRetain(&context, 0);
  api.ctxPushCurrent(context);
  void *arguments[] = {&out};
  EXPECT_EQ(api.launchKernel(kernel, 1, 70000, 1, 64, 1, 1, 0, nullptr,
                             arguments, nullptr),
            kCudaErrorInvalidValue);
  EXPECT_EQ(api.launchKernel(kernel, 1, 1, 1, 32, 32, 2, 0, nullptr, arguments,
                             nullptr),
            kCudaErrorInvalidValue);
  api.ctxPopCurrent(nullptr);
  api.primaryCtxRelease(0);
}

TEST_F(EmulatorTest, AMissingBarrierIsARace) {
  void *kernel = build(R"(
extern "C" __global__ void k(DECONV_GLOBAL(float) out) {
  DECONV_SHARED_ARRAY(float, tile, 64);
  unsigned t = threadIdx.x;
  tile[t] = 0.0f;
  __syncthreads();
  tile[t] = t;
  out[t] = tile[t ^ 1];  // Needs a barrier before it.
})");
  uint64_t out = allocate(64 * sizeof(float));
  std::string error = launch(kernel, {1, 1, 1}, {64, 1, 1}, {&out});
  EXPECT_TRUE(contains(error, "race: thread 1 writes shared byte 4 that "
                              "another thread read with no barrier between"))
      << error;
  EXPECT_TRUE(contains(error, "thread (1,0,0) of block (0,0,0) in k")) << error;
}

TEST_F(EmulatorTest, OutOfBoundsMisalignedAndUninitializedAccessesFault) {
  void *past = build(R"(
extern "C" __global__ void k(DECONV_GLOBAL(const float) x, DECONV_GLOBAL(float) y) {
  y[threadIdx.x] = x[threadIdx.x + 1];
})");
  uint64_t x = upload({1, 2, 3, 4}), y = allocate(4 * sizeof(float));
  std::string error = launch(past, {1, 1, 1}, {4, 1, 1}, {&x, &y});
  EXPECT_TRUE(contains(error, "out-of-bounds read of 4 bytes at byte offset "
                              "16 of a buffer of 16 bytes (thread (3,0,0)"))
      << error;

  void *misaligned = build(R"(
extern "C" __global__ void k(DECONV_GLOBAL(const float) x, DECONV_GLOBAL(float) y) {
  struct __attribute__((aligned(8))) Pair { float a, b; };
  Pair p = deconv_pointer_cast<const Pair>(x + 1)[0];
  y[0] = p.a + p.b;
})");
  error = launch(misaligned, {1, 1, 1}, {1, 1, 1}, {&x, &y});
  EXPECT_TRUE(contains(error, "misaligned read of 8 bytes at byte offset 4 "
                              "(needs 8-byte alignment)"))
      << error;

  void *reader = build(R"(
extern "C" __global__ void k(DECONV_GLOBAL(const float) x, DECONV_GLOBAL(float) y) {
  y[threadIdx.x] = x[threadIdx.x];
})");
  uint64_t unwritten = allocate(4 * sizeof(float));
  error = launch(reader, {1, 1, 1}, {4, 1, 1}, {&unwritten, &y});
  EXPECT_TRUE(contains(error, "read of never-written device memory: byte 0 "
                              "of a buffer of 16 bytes"))
      << error;
}

TEST_F(EmulatorTest, TwoThreadsWritingOneElementConflict) {
  void *kernel = build(R"(
extern "C" __global__ void k(DECONV_GLOBAL(float) y) {
  y[(blockIdx.x * blockDim.x + threadIdx.x) / 2] = 1.0f;
})");
  uint64_t y = allocate(64 * sizeof(float));
  // One block: its threads run in order, so the first conflict found is
  // byte 0 (with two blocks it could be either block's, by scheduling).
  std::string error = launch(kernel, {1, 1, 1}, {64, 1, 1}, {&y});
  EXPECT_TRUE(contains(error, "conflicting writes: two threads of one launch "
                              "write byte 0 of a buffer of 256 bytes"))
      << error;
}

TEST_F(EmulatorTest, BarriersNotAllThreadsReachAreErrors) {
  void *kernel = build(R"(
extern "C" __global__ void k(DECONV_GLOBAL(float) y) {
  if (threadIdx.x == 5)
    return;
  __syncthreads();
  y[threadIdx.x] = 1.0f;
})");
  uint64_t y = allocate(32 * sizeof(float));
  std::string error = launch(kernel, {1, 1, 1}, {32, 1, 1}, {&y});
  EXPECT_TRUE(contains(error, "exited while 5 threads of its block wait at "
                              "__syncthreads"))
      << error;

  void *deadlock = build(R"(
extern "C" __global__ void k(DECONV_GLOBAL(float) y) {
  float v = threadIdx.x;
  if (threadIdx.x == 0)
    __syncthreads();
  else
    v = __shfl_xor_sync(0xffffffffu, v, 1);
  y[threadIdx.x] = v;
})");
  error = launch(deadlock, {1, 1, 1}, {32, 1, 1}, {&y});
  EXPECT_TRUE(contains(error, "deadlock: 1 threads wait at __syncthreads and "
                              "31 at warp operations"))
      << error;
}

TEST_F(EmulatorTest, ShufflesWorkInAPartialWarp) {
  void *kernel = build(R"(
extern "C" __global__ void k(DECONV_GLOBAL(float) y) {
  float v = threadIdx.x;
  y[threadIdx.x] = __shfl_xor_sync(0xffffffffu, v, 1) +
                   __shfl_down_sync(0xffffffffu, v, 2, 16);
})");
  uint64_t y = allocate(48 * sizeof(float));
  ASSERT_EQ(launch(kernel, {1, 1, 1}, {48, 1, 1}, {&y}), "");
  std::vector<float> values = download(y, 48);
  for (int t = 0; t < 48; ++t) {
    // Shifts stay within segments of 16 lanes; a lane whose source is
    // beyond its segment keeps its own value.
    float down = t % 16 + 2 < 16 ? t + 2 : t;
    ASSERT_EQ(values[t], (t ^ 1) + down) << t;
  }
  // Reading a lane the partial warp lacks is undefined, so an error.
  void *beyond = build(R"(
extern "C" __global__ void k2(DECONV_GLOBAL(float) y) {
  y[threadIdx.x] = __shfl_down_sync(0xffffffffu, (float)threadIdx.x, 2);
})",
                       "k2");
  EXPECT_TRUE(contains(launch(beyond, {1, 1, 1}, {48, 1, 1}, {&y}),
                       "lane 14 reads lane 16"));
}

TEST_F(EmulatorTest, CpAsyncLandsAtTheWaitAndNotBefore) {
  const char *pipeline = R"(
extern "C" __global__ void k(DECONV_GLOBAL(const float) x, DECONV_GLOBAL(float) y) {
  DECONV_SHARED_ARRAY(float, tile, 128);
  unsigned t = threadIdx.x;
  deconv_cp_async(tile + 4 * t, x + 4 * t, 16, t == 31 ? 8 : 16);
  deconv_cp_async_commit();
  WAIT
  __syncthreads();
  for (int i = 0; i < 4; ++i)
    y[4 * t + i] = tile[(4 * t + i + 4) % 128];
})";
  std::vector<float> input(128);
  std::iota(input.begin(), input.end(), 1.0f);
  uint64_t x = upload(input), y = allocate(128 * sizeof(float));
  std::string source = pipeline;
  source.replace(source.find("WAIT"), 4, "deconv_cp_async_wait<0>();");
  void *kernel = build(source);
  ASSERT_EQ(launch(kernel, {1, 1, 1}, {32, 1, 1}, {&x, &y}), "");
  std::vector<float> values = download(y, 128);
  for (int i = 0; i < 128; ++i) {
    int from = (i + 4) % 128;
    // The last thread's copy reads 8 of its 16 bytes and zero-fills.
    float expected = from >= 126 ? 0.0f : input[from];
    ASSERT_EQ(values[i], expected) << i;
  }
  source = pipeline;
  source.replace(source.find("WAIT"), 4, "");
  void *early = build(source);
  std::string error = launch(early, {1, 1, 1}, {32, 1, 1}, {&x, &y});
  EXPECT_TRUE(contains(error, "while a cp.async still writes it")) << error;
}

// Each block writes its own element, then reads the other's: whichever read
// comes last, in any order of the blocks, finds the other block's write of
// this launch, which nothing orders before it.
TEST_F(EmulatorTest, ReadingWhatAnotherBlockWroteIsARace) {
  void *kernel = build(R"(
extern "C" __global__ void k(DECONV_GLOBAL(float) x, DECONV_GLOBAL(float) y) {
  x[blockIdx.x] = 1.0f;
  y[blockIdx.x] = x[1 - blockIdx.x];
})");
  uint64_t x = upload({0, 0}), y = allocate(2 * sizeof(float));
  std::string error = launch(kernel, {2, 1, 1}, {1, 1, 1}, {&x, &y});
  EXPECT_TRUE(contains(error, "race: reads byte ")) << error;
  EXPECT_TRUE(contains(error, " of a buffer of 8 bytes that another block of "
                              "this launch wrote"))
      << error;

  // The same read through cp.async.
  void *copying = build(R"(
extern "C" __global__ void k2(DECONV_GLOBAL(float) x, DECONV_GLOBAL(float) y) {
  DECONV_SHARED_ARRAY(float, tile, 4);
  for (int i = 0; i < 4; ++i)
    x[4 * blockIdx.x + i] = 1.0f;
  deconv_cp_async(tile, x + 4 * (1 - blockIdx.x), 16, 16);
  deconv_cp_async_commit();
  deconv_cp_async_wait<0>();
  y[blockIdx.x] = tile[0];
})",
                        "k2");
  uint64_t x8 = upload(std::vector<float>(8, 0.0f));
  error = launch(copying, {2, 1, 1}, {1, 1, 1}, {&x8, &y});
  EXPECT_TRUE(contains(error, "race: cp.async reads byte ")) << error;
  EXPECT_TRUE(contains(error, " of a buffer of 32 bytes that another block of "
                              "this launch wrote"))
      << error;

  // Reading what the own block wrote, or what an earlier launch wrote, is
  // fine.
  void *own = build(R"(
extern "C" __global__ void k3(DECONV_GLOBAL(float) x, DECONV_GLOBAL(float) y) {
  x[blockIdx.x] = blockIdx.x + 2.0f;
  y[blockIdx.x] = x[blockIdx.x];
})",
                    "k3");
  ASSERT_EQ(launch(own, {2, 1, 1}, {1, 1, 1}, {&x, &y}), "");
  void *later = build(R"(
extern "C" __global__ void k4(DECONV_GLOBAL(float) x, DECONV_GLOBAL(float) y) {
  y[blockIdx.x] = x[1 - blockIdx.x];
})",
                      "k4");
  ASSERT_EQ(launch(later, {2, 1, 1}, {1, 1, 1}, {&x, &y}), "");
  EXPECT_EQ(download(y, 2), (std::vector<float>{3, 2}));
}

TEST_F(EmulatorTest, DynamicSharedMemoryAbove48KbNeedsTheOptIn) {
  void *kernel = build(R"(
extern "C" __global__ void k(DECONV_GLOBAL(float) y, int n) {
  DECONV_DYNAMIC_SHARED(float, big);
  big[n - 1 - threadIdx.x] = threadIdx.x;
  __syncthreads();
  y[threadIdx.x] = big[n - 1 - threadIdx.x];
})");
  uint64_t y = allocate(32 * sizeof(float));
  int n = 64 * 1024 / 4;
  // Through CudaDevice::launch, which opts in above 48 KB.
  ASSERT_EQ(launch(kernel, {1, 1, 1}, {32, 1, 1}, {&y, &n}, 64 * 1024), "");
  EXPECT_EQ(download(y, 32)[31], 31.0f);
  // The raw driver call without the attribute is refused; a fresh kernel
  // has the default limit.
  void *fresh = build(R"(
extern "C" __global__ void k2(DECONV_GLOBAL(float) y) { y[0] = 1.0f; })",
                      "k2");
  const DriverApi &api = getDriverApi(CudaBackend::Emulator);
  void *context = nullptr;
  api.primaryCtxRetain(&context, 0);
  api.ctxPushCurrent(context);
  void *arguments[] = {&y};
  EXPECT_EQ(api.launchKernel(fresh, 1, 1, 1, 1, 1, 1, 64 * 1024, nullptr,
                             arguments, nullptr),
            kCudaErrorInvalidValue);
  EXPECT_TRUE(contains(api.describe(kCudaErrorInvalidValue),
                       "above 48 KB a kernel must opt in"));
  api.ctxPopCurrent(nullptr);
  api.primaryCtxRelease(0);
  // Static arrays have a 48 KB limit of their own.
  void *tooBig = build(R"(
extern "C" __global__ void k3(DECONV_GLOBAL(float) y) {
  DECONV_SHARED_ARRAY(float, a, 13000);
  a[0] = 1.0f;
  y[0] = a[0];
})",
                       "k3");
  EXPECT_TRUE(contains(launch(tooBig, {1, 1, 1}, {1, 1, 1}, {&y}),
                       "static shared memory of 52000 bytes exceeds the 48 "
                       "KB a kernel may declare"));
}

TEST_F(EmulatorTest, ACopyOnTheLegacyStreamIsNotOrderedBeforeAnotherStream) {
  void *kernel = build(R"(
extern "C" __global__ void k(DECONV_GLOBAL(const float) x, DECONV_GLOBAL(float) y) {
  y[threadIdx.x] = 2.0f * x[threadIdx.x];
})");
  StatusOr<CudaStream> stream = device->createStream(); // Non-blocking.
  ASSERT_TRUE(stream);
  StatusOr<DeviceBuffer> x = device->allocate(16);
  ASSERT_TRUE(x);
  uint64_t px = x->address(), y = allocate(16);
  std::vector<float> values = {1, 2, 3, 4};
  ASSERT_TRUE(device->copyToDevice(*x, values.data(), 16));
  std::string error =
      launch(kernel, {1, 1, 1}, {4, 1, 1}, {&px, &y}, 0, stream->get());
  EXPECT_TRUE(contains(error, "stream-order hazard: kernel k on stream"))
      << error;
  EXPECT_TRUE(contains(error, "that cuMemcpyHtoD on the legacy default "
                              "stream wrote"))
      << error;
  // Waiting for the legacy stream orders the copy before the launch.
  ASSERT_TRUE(device->copyToDevice(*x, values.data(), 16));
  ASSERT_TRUE(device->synchronize(nullptr));
  EXPECT_EQ(launch(kernel, {1, 1, 1}, {4, 1, 1}, {&px, &y}, 0, stream->get()),
            "");
  // So does a copy on the launch's own stream.
  ASSERT_TRUE(device->copyToDeviceAsync(px, values.data(), 16, stream->get()));
  EXPECT_EQ(launch(kernel, {1, 1, 1}, {4, 1, 1}, {&px, &y}, 0, stream->get()),
            "");
  ASSERT_TRUE(device->synchronize(stream->get()));
  EXPECT_EQ(download(y, 4)[3], 8.0f);
}

TEST_F(EmulatorTest, TheCallersContextIsRestored) {
  const DriverApi &api = getDriverApi(CudaBackend::Emulator);
  void *current = reinterpret_cast<void *>(1);
  ASSERT_EQ(api.ctxGetCurrent(&current), kCudaSuccess);
  EXPECT_EQ(current, nullptr);
  uint64_t y = allocate(16);
  (void)y;
  buffers.clear(); // Frees through the device's context.
  ASSERT_EQ(api.ctxGetCurrent(&current), kCudaSuccess);
  EXPECT_EQ(current, nullptr);
  // Without the push, the driver refuses: the scope is what makes it work.
  uint64_t address = 0;
  EXPECT_EQ(api.memAlloc(&address, 16), kCudaErrorInvalidContext);
}

TEST_F(EmulatorTest, KernelsMustUseCheckedPointersAndCNames) {
  EXPECT_TRUE(contains(
      compileError("extern \"C\" __global__ void k(float *p) { p[0] = 1; }\n"
                   "void use() { void *a[1]; "
                   "deconv_emu::invoke(&k, a); }"),
      "declare pointer parameters of kernels as DECONV_GLOBAL(T)"));
  EXPECT_TRUE(contains(
      compileError("__global__ void k(DECONV_GLOBAL(float) p) { p[0] = 1; }"),
      "kernel 'k' is not extern \"C\""));
}

TEST_F(EmulatorTest, ACubinForARealGpuIsRefusedAsAnImage) {
  StatusOr<CudaModule> module = device->loadModule(
      std::string("\x7f"
                  "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00",
                  16));
  ASSERT_FALSE(module);
  EXPECT_TRUE(isRefusedImage(module.status())) << module.message();
}

// y = y * a + b, elementwise: two launches of it do not commute, so their
// order shows in the result.
const char *const kAffine = R"(
extern "C" __global__ void k(DECONV_GLOBAL(float) y, float a, float b) {
  y[threadIdx.x] = y[threadIdx.x] * a + b;
})";

TEST_F(EmulatorTest, ACaptureRecordsLaunchesThatTheGraphReplaysInOrder) {
  void *kernel = build(kAffine);
  uint64_t y = upload({1, 2, 3, 4});
  StatusOr<CudaStream> stream = device->createStream();
  ASSERT_TRUE(stream);
  ASSERT_TRUE(device->supportsGraphs());
  EmulatorStatistics before = getEmulatorStatistics();
  ASSERT_TRUE(device->beginCapture(stream->get()));
  // One pair of argument slots for both launches: the capture must copy
  // the values, not remember the slots.
  float a = 2, b = 1;
  ASSERT_EQ(
      launch(kernel, {1, 1, 1}, {4, 1, 1}, {&y, &a, &b}, 0, stream->get()), "");
  a = 3, b = 0;
  ASSERT_EQ(
      launch(kernel, {1, 1, 1}, {4, 1, 1}, {&y, &a, &b}, 0, stream->get()), "");
  StatusOr<CudaGraphExec> graph = device->endCapture(stream->get());
  ASSERT_TRUE(graph) << graph.message();
  a = 100, b = 100;
  // Recorded, not run.
  EXPECT_EQ(getEmulatorStatistics().launches, before.launches);
  EXPECT_EQ(download(y, 4), (std::vector<float>{1, 2, 3, 4}));

  // (y * 2 + 1) * 3 = 6y + 3; the other order would give 6y + 1.
  ASSERT_TRUE(device->launchGraph(*graph, stream->get()));
  ASSERT_TRUE(device->synchronize(stream->get()));
  EXPECT_EQ(download(y, 4), (std::vector<float>{9, 15, 21, 27}));
  // Again: 6 * (6y + 3) + 3.
  ASSERT_TRUE(device->launchGraph(*graph, stream->get()));
  ASSERT_TRUE(device->synchronize(stream->get()));
  EXPECT_EQ(download(y, 4), (std::vector<float>{57, 93, 129, 165}));
  EmulatorStatistics after = getEmulatorStatistics();
  EXPECT_EQ(after.launches - before.launches, 4u);
  EXPECT_EQ(after.graphLaunches - before.graphLaunches, 2u);
}

TEST_F(EmulatorTest, AReplayedLaunchIsCheckedForStreamOrder) {
  void *kernel = build(kAffine);
  uint64_t y = upload({1, 2, 3, 4});
  StatusOr<CudaStream> stream = device->createStream(); // Non-blocking.
  ASSERT_TRUE(stream);
  float a = 1, b = 1;
  ASSERT_TRUE(device->beginCapture(stream->get()));
  ASSERT_EQ(
      launch(kernel, {1, 1, 1}, {4, 1, 1}, {&y, &a, &b}, 0, stream->get()), "");
  StatusOr<CudaGraphExec> graph = device->endCapture(stream->get());
  ASSERT_TRUE(graph) << graph.message();
  // The upload on the legacy stream is not ordered before the stream.
  Status status = device->launchGraph(*graph, stream->get());
  ASSERT_FALSE(status);
  EXPECT_TRUE(contains(status.message(), "stream-order hazard: kernel k on "
                                         "stream"))
      << status.message();
  ASSERT_TRUE(device->synchronize());
  ASSERT_TRUE(device->launchGraph(*graph, stream->get()));
  ASSERT_TRUE(device->synchronize(stream->get()));
  EXPECT_EQ(download(y, 4)[3], 6.0f); // Two replays: 4 + 1 + 1.
}

/// The primary context, current while the object lives, for calls made on
/// the driver table directly.
struct RawContext {
  RawContext() : api(getDriverApi(CudaBackend::Emulator)) {
    api.primaryCtxRetain(&context, 0);
    api.ctxPushCurrent(context);
  }
  ~RawContext() {
    api.ctxPopCurrent(nullptr);
    api.primaryCtxRelease(0);
  }
  const DriverApi &api;
  void *context = nullptr;
};

TEST_F(EmulatorTest, CaptureMisuseGetsTheDriversErrors) {
  void *kernel = build(kAffine);
  uint64_t y = upload({1, 2, 3, 4});
  StatusOr<CudaStream> stream = device->createStream();
  ASSERT_TRUE(stream);
  void *s = stream->get();
  RawContext raw;
  const DriverApi &api = raw.api;
  ASSERT_TRUE(api.hasGraphs());
  void *graph = reinterpret_cast<void *>(1);

  // Ending a capture never begun; capturing the legacy stream; twice.
  EXPECT_EQ(api.streamEndCapture(s, &graph), 903); // ..._UNMATCHED
  EXPECT_EQ(api.streamBeginCapture(nullptr, kStreamCaptureModeThreadLocal),
            900); // ..._UNSUPPORTED
  EXPECT_EQ(api.streamBeginCapture(s, 7), kCudaErrorInvalidValue);
  ASSERT_EQ(api.streamBeginCapture(s, kStreamCaptureModeThreadLocal), 0);
  EXPECT_EQ(api.streamBeginCapture(s, kStreamCaptureModeThreadLocal),
            401); // CUDA_ERROR_ILLEGAL_STATE

  // Synchronizing a capturing stream is unsupported and breaks the capture:
  // later launches fail, and ending it gives no graph.
  EXPECT_EQ(api.streamSynchronize(s), 900);
  float a = 1, b = 0;
  void *arguments[] = {&y, &a, &b};
  EXPECT_EQ(
      api.launchKernel(kernel, 1, 1, 1, 4, 1, 1, 0, s, arguments, nullptr),
      901); // ..._INVALIDATED
  EXPECT_EQ(api.streamEndCapture(s, &graph), 901);
  EXPECT_EQ(graph, nullptr);

  // The stream is usable again; allocating and copying on the capturing
  // thread break a thread-local capture too.
  ASSERT_EQ(api.streamBeginCapture(s, kStreamCaptureModeThreadLocal), 0);
  uint64_t address = 0;
  EXPECT_EQ(api.memAlloc(&address, 16), 900);
  EXPECT_EQ(api.streamEndCapture(s, &graph), 901);
  ASSERT_EQ(api.streamBeginCapture(s, kStreamCaptureModeThreadLocal), 0);
  std::vector<float> host(4);
  EXPECT_EQ(api.memcpyDtoHAsync(host.data(), y, 16, s), 900);
  EXPECT_EQ(api.streamEndCapture(s, &graph), 901);

  // A capture begun on another thread cannot be ended here (not relaxed),
  // and a relaxed one lets this thread allocate.
  std::thread([&] {
    RawContext other;
    EXPECT_EQ(other.api.streamBeginCapture(s, kStreamCaptureModeGlobal), 0);
  }).join();
  EXPECT_EQ(api.streamEndCapture(s, &graph), 908); // ..._WRONG_THREAD
  std::thread([&] {
    RawContext other;
    EXPECT_EQ(other.api.streamEndCapture(s, &graph), 0);
    EXPECT_EQ(other.api.graphDestroy(graph), 0);
  }).join();
  ASSERT_EQ(api.streamBeginCapture(s, kStreamCaptureModeRelaxed), 0);
  ASSERT_EQ(api.memAlloc(&address, 16), 0);
  EXPECT_EQ(api.memFree(address), 0);
  ASSERT_EQ(
      api.launchKernel(kernel, 1, 1, 1, 4, 1, 1, 0, s, arguments, nullptr), 0);
  ASSERT_EQ(api.streamEndCapture(s, &graph), 0);

  // Handles: a graph is not an executable graph, and destroyed ones are
  // refused.
  void *exec = nullptr;
  EXPECT_EQ(api.graphLaunch(graph, s), kCudaErrorInvalidHandle);
  EXPECT_EQ(api.graphInstantiate(&exec, graph, 1), kCudaErrorInvalidValue);
  ASSERT_EQ(api.graphInstantiate(&exec, graph, 0), 0);
  ASSERT_EQ(api.graphDestroy(graph), 0);
  EXPECT_EQ(api.graphDestroy(graph), kCudaErrorInvalidHandle);
  EXPECT_EQ(api.graphLaunch(exec, s), 0); // Outlives its graph.
  ASSERT_EQ(api.graphExecDestroy(exec), 0);
  EXPECT_EQ(api.graphLaunch(exec, s), kCudaErrorInvalidHandle);
  EXPECT_EQ(api.graphExecDestroy(exec), kCudaErrorInvalidHandle);
  EXPECT_EQ(api.streamSynchronize(s), 0);
}

TEST_F(EmulatorTest, TheLegacyStreamMayNotWaitForACapturingBlockingStream) {
  void *kernel = build(kAffine);
  uint64_t y = upload({1, 2, 3, 4});
  RawContext raw;
  const DriverApi &api = raw.api;
  void *blocking = nullptr, *graph = nullptr;
  ASSERT_EQ(api.streamCreate(&blocking, 0), 0);
  ASSERT_EQ(api.streamBeginCapture(blocking, kStreamCaptureModeRelaxed), 0);
  float a = 1, b = 0;
  void *arguments[] = {&y, &a, &b};
  EXPECT_EQ(api.launchKernel(kernel, 1, 1, 1, 4, 1, 1, 0, nullptr, arguments,
                             nullptr),
            906); // CUDA_ERROR_STREAM_CAPTURE_IMPLICIT
  EXPECT_EQ(api.streamEndCapture(blocking, &graph), 901);
  EXPECT_EQ(api.streamDestroy(blocking), 0);
}

TEST(DriverTable, AMissingGraphEntryPointLeavesTheDriverUsableWithoutGraphs) {
  static const char *missing = nullptr;
  auto lookup = [](const char *symbol) -> void * {
    if (missing && std::string(symbol) == missing)
      return nullptr;
    return emulator::lookupDriverSymbol(symbol);
  };
  for (const char *symbol : {"cuStreamBeginCapture", "cuStreamEndCapture",
                             "cuGraphInstantiateWithFlags", "cuGraphLaunch",
                             "cuGraphExecDestroy", "cuGraphDestroy"}) {
    missing = symbol;
    DriverApi api;
    fillDriverApi(api, lookup);
    EXPECT_EQ(api.error, "") << symbol;
    EXPECT_FALSE(api.hasGraphs()) << symbol;
    EXPECT_EQ(api.streamBeginCapture, nullptr) << symbol;
    EXPECT_EQ(api.graphLaunch, nullptr) << symbol;
  }
  missing = "cuLaunchKernel"; // Required: the driver is unusable.
  DriverApi api;
  fillDriverApi(api, lookup);
  EXPECT_EQ(api.error, "the driver lacks cuLaunchKernel");
  missing = nullptr;
  DriverApi full;
  fillDriverApi(full, lookup);
  EXPECT_TRUE(full.hasGraphs());
}

} // namespace
