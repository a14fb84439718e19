//===- CudaDriverTest.cpp - the driver with and without a GPU -------------===//
//
// Without a GPU the driver must say so in one clear status; with one, a
// kernel compiled by NVRTC must run and give the values worked out here.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/CudaDriver.h"
#include "deconv/Runtime/Nvrtc.h"

#include "gtest/gtest.h"

#include <vector>

using namespace deconv;

namespace {

TEST(CudaDriver, OpensADeviceOrSaysWhyNot) {
  StatusOr<std::shared_ptr<CudaDevice>> device = CudaDevice::open();
  if (!device) {
    EXPECT_EQ(device.message().rfind("no usable CUDA device: ", 0), 0u)
        << device.message();
    return;
  }
  EXPECT_EQ((*device)->getArch().rfind("sm_", 0), 0u);
  EXPECT_FALSE((*device)->getName().empty());
}

TEST(CudaDriver, RefusesAMissingOrdinal) {
  StatusOr<std::shared_ptr<CudaDevice>> device = CudaDevice::open(4096);
  ASSERT_FALSE(device);
  EXPECT_EQ(device.message().rfind("no usable CUDA device: ", 0), 0u);
}

TEST(CudaDriver, RunsAnNvrtcKernel) {
  StatusOr<std::shared_ptr<CudaDevice>> opened = CudaDevice::open();
  if (!opened || !isNvrtcAvailable())
    GTEST_SKIP() << "needs a GPU and NVRTC";
  CudaDevice &device = **opened;
  StatusOr<std::string> cubin = compileToCubin(
      "extern \"C\" __global__ void axpy(float a, const float *x, float *y, "
      "int n) { int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) "
      "y[i] = a * x[i] + y[i]; }",
      "axpy.cu", device.getArch(), {});
  ASSERT_TRUE(cubin) << cubin.message();
  StatusOr<CudaModule> module = device.loadModule(*cubin);
  ASSERT_TRUE(module) << module.message();
  StatusOr<void *> function = module->getFunction("axpy");
  ASSERT_TRUE(function) << function.message();

  const int n = 1000;
  std::vector<float> x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = i;
    y[i] = 1;
  }
  StatusOr<DeviceBuffer> dx = device.allocate(n * sizeof(float));
  StatusOr<DeviceBuffer> dy = device.allocate(n * sizeof(float));
  ASSERT_TRUE(dx && dy);
  ASSERT_TRUE(device.copyToDevice(*dx, x.data(), n * sizeof(float)));
  ASSERT_TRUE(device.copyToDevice(*dy, y.data(), n * sizeof(float)));
  float a = 2;
  uint64_t px = dx->address(), py = dy->address();
  int count = n;
  // On a stream, between two events.
  StatusOr<CudaStream> stream = device.createStream();
  StatusOr<CudaEvent> start = device.createEvent();
  StatusOr<CudaEvent> end = device.createEvent();
  ASSERT_TRUE(stream && start && end);
  ASSERT_TRUE(device.record(*start, *stream));
  ASSERT_TRUE(device.launch(*function, (n + 255) / 256, 256,
                            {&a, &px, &py, &count}, &*stream));
  ASSERT_TRUE(device.record(*end, *stream));
  StatusOr<float> milliseconds = device.elapsedMilliseconds(*start, *end);
  ASSERT_TRUE(milliseconds) << milliseconds.message();
  EXPECT_GE(*milliseconds, 0.0f);
  ASSERT_TRUE(device.synchronize(*stream));
  ASSERT_TRUE(device.copyToHost(y.data(), *dy, n * sizeof(float)));
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(y[i], 2.0f * i + 1) << i;
  // Copies are bounded by the buffer.
  EXPECT_FALSE(device.copyToHost(y.data(), *dy, (n + 1) * sizeof(float)));
}

} // namespace
