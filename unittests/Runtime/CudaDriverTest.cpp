//===- CudaDriverTest.cpp - the driver on a GPU and on the emulator -------===//
//
// Without a GPU the driver must say so in one clear status; with one, and
// always on the host emulator behind the same entry points, a kernel
// compiled for the device must run and give the values worked out here.
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
  for (CudaBackend backend : {CudaBackend::Gpu, CudaBackend::Emulator}) {
    StatusOr<std::shared_ptr<CudaDevice>> device =
        CudaDevice::open(4096, backend);
    ASSERT_FALSE(device);
    EXPECT_EQ(device.message().rfind("no usable CUDA device: ", 0), 0u);
  }
}

class CudaDriverOn : public testing::TestWithParam<CudaBackend> {};

TEST_P(CudaDriverOn, RunsACompiledKernel) {
  StatusOr<std::shared_ptr<CudaDevice>> opened =
      CudaDevice::open(0, GetParam());
  if (!opened || !isNvrtcAvailable(GetParam()))
    GTEST_SKIP() << "needs a GPU and NVRTC";
  CudaDevice &device = **opened;
  StatusOr<std::string> cubin = compileToCubin(
      "#include \"deconv_device.h\"\n"
      "extern \"C\" __global__ void axpy(float a, DECONV_GLOBAL(const float) "
      "x, DECONV_GLOBAL(float) y, int n) { int i = blockIdx.x * blockDim.x + "
      "threadIdx.x; if (i < n) y[i] = a * x[i] + y[i]; }",
      "axpy.cu", device.getArch(), {}, GetParam());
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
  float a = 2;
  uint64_t px = dx->address(), py = dy->address();
  int count = n;
  // Copies, launch and events on one stream.
  StatusOr<CudaStream> stream = device.createStream();
  StatusOr<CudaEvent> start = device.createEvent();
  StatusOr<CudaEvent> end = device.createEvent();
  ASSERT_TRUE(stream && start && end);
  ASSERT_TRUE(
      device.copyToDeviceAsync(px, x.data(), n * sizeof(float), stream->get()));
  ASSERT_TRUE(
      device.copyToDeviceAsync(py, y.data(), n * sizeof(float), stream->get()));
  ASSERT_TRUE(device.record(*start, stream->get()));
  Status launched =
      device.launch(*function, {(n + 255) / 256, 1, 1}, {256, 1, 1}, 0,
                    {&a, &px, &py, &count}, stream->get());
  ASSERT_TRUE(launched) << launched.message();
  ASSERT_TRUE(device.record(*end, stream->get()));
  StatusOr<float> milliseconds = device.elapsedMilliseconds(*start, *end);
  ASSERT_TRUE(milliseconds) << milliseconds.message();
  EXPECT_GE(*milliseconds, 0.0f);
  ASSERT_TRUE(
      device.copyToHostAsync(y.data(), py, n * sizeof(float), stream->get()));
  ASSERT_TRUE(device.synchronize(stream->get()));
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(y[i], 2.0f * i + 1) << i;
  // Grids beyond the limits are refused before the driver sees them.
  Status tooBig = device.launch(*function, {1, 70000, 1}, {256, 1, 1}, 0,
                                {&a, &px, &py, &count}, stream->get());
  EXPECT_NE(tooBig.message().find("exceeds the limits"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, CudaDriverOn,
                         testing::Values(CudaBackend::Gpu,
                                         CudaBackend::Emulator),
                         [](const auto &info) {
                           return info.param == CudaBackend::Gpu
                                      ? std::string("Gpu")
                                      : std::string("Emulator");
                         });

} // namespace
