//===- NvrtcTest.cpp - NVRTC loaded at run time ---------------------------===//
//
// Skipped where NVRTC cannot be loaded; the CUDA toolkit (and so NVRTC) is
// part of the build machines' image, where these run.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/Nvrtc.h"

#include "gtest/gtest.h"

using namespace deconv;

namespace {

TEST(Nvrtc, CompilesToAnElfCubinWithoutAGpu) {
  if (!isNvrtcAvailable())
    GTEST_SKIP() << "NVRTC is not available here";
  StatusOr<std::string> cubin = compileToCubin(
      "extern \"C\" __global__ void k(float *p) { p[threadIdx.x] = N; }",
      "k.cu", "sm_80", {"-DN=2.0f"});
  ASSERT_TRUE(cubin) << cubin.message();
  EXPECT_EQ(cubin->substr(0, 4), "\x7f" "ELF");
  StatusOr<int> version = getNvrtcVersion();
  ASSERT_TRUE(version) << version.message();
  EXPECT_GE(*version, 12000);
}

TEST(Nvrtc, ReportsTheCompileLog) {
  if (!isNvrtcAvailable())
    GTEST_SKIP() << "NVRTC is not available here";
  StatusOr<std::string> cubin = compileToCubin(
      "extern \"C\" __global__ void k() { undeclared_name = 1; }", "bad.cu",
      "sm_90", {});
  ASSERT_FALSE(cubin);
  EXPECT_NE(cubin.message().find("NVRTC failed to compile bad.cu for sm_90"),
            std::string::npos);
  EXPECT_NE(cubin.message().find("undeclared_name"), std::string::npos);
}

TEST(Nvrtc, RejectsAnUnknownArchitecture) {
  if (!isNvrtcAvailable())
    GTEST_SKIP() << "NVRTC is not available here";
  StatusOr<std::string> cubin = compileToCubin(
      "extern \"C\" __global__ void k() {}", "k.cu", "sm_1", {});
  EXPECT_FALSE(cubin);
}

} // namespace
