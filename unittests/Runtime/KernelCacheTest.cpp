//===- KernelCacheTest.cpp - the kernel cache and its hash ----------------===//

#include "deconv/Runtime/KernelCache.h"
#include "deconv/Runtime/Nvrtc.h"
#include "deconv/Runtime/Sha256.h"

#include "gtest/gtest.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace deconv;

namespace {

TEST(Sha256, MatchesTheStandardVectors) {
  // FIPS 180-4 examples.
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4"
                           "95991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9"
                              "cb410ff61f20015ad");
  EXPECT_EQ(
      sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

class KernelCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (!isNvrtcAvailable())
      GTEST_SKIP() << "NVRTC is not available here";
    char pattern[] = "/tmp/deconv-cache-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    directory = pattern;
  }
  void TearDown() override {
    if (!directory.empty())
      std::filesystem::remove_all(directory);
  }
  std::string directory;
  const std::string source =
      "extern \"C\" __global__ void k(float *p) { p[threadIdx.x] = N; }";
};

TEST_F(KernelCacheTest, CompilesThenHitsMemoryThenDisk) {
  KernelSource origin;
  KernelCache first(directory);
  StatusOr<std::string> compiled = first.getOrCompile(
      source, "k", "sm_80", {"-DN=1.0f"}, CudaBackend::Gpu, &origin);
  ASSERT_TRUE(compiled) << compiled.message();
  EXPECT_EQ(origin, KernelSource::Compiled);
  StatusOr<std::string> again = first.getOrCompile(
      source, "k", "sm_80", {"-DN=1.0f"}, CudaBackend::Gpu, &origin);
  ASSERT_TRUE(again);
  EXPECT_EQ(origin, KernelSource::Memory);
  EXPECT_EQ(*again, *compiled);

  // A second cache over the same directory (a new process) reads the disk.
  KernelCache second(directory);
  auto start = std::chrono::steady_clock::now();
  StatusOr<std::string> loaded = second.getOrCompile(
      source, "k", "sm_80", {"-DN=1.0f"}, CudaBackend::Gpu, &origin);
  double milliseconds = std::chrono::duration<double, std::milli>(
                            std::chrono::steady_clock::now() - start)
                            .count();
  ASSERT_TRUE(loaded);
  EXPECT_EQ(origin, KernelSource::Disk);
  EXPECT_EQ(*loaded, *compiled);
  RecordProperty("disk_hit_ms", std::to_string(milliseconds));
  std::printf("disk-cache hit: %.3f ms\n", milliseconds);
}

TEST_F(KernelCacheTest, EverythingThatChangesTheCubinChangesTheKey) {
  StatusOr<std::string> base = KernelCache::key(source, "sm_80", {"-DN=1.0f"});
  ASSERT_TRUE(base);
  EXPECT_NE(*base, *KernelCache::key(source + " ", "sm_80", {"-DN=1.0f"}));
  EXPECT_NE(*base, *KernelCache::key(source, "sm_90", {"-DN=1.0f"}));
  EXPECT_NE(*base, *KernelCache::key(source, "sm_80", {"-DN=2.0f"}));
  EXPECT_NE(*base, *KernelCache::key(source, "sm_80", {}));
  EXPECT_EQ(*base, *KernelCache::key(source, "sm_80", {"-DN=1.0f"}));
  // The emulator's kernel objects never stand in for CUBINs.
  EXPECT_NE(*base, *KernelCache::key(source, "sm_80", {"-DN=1.0f"},
                                     CudaBackend::Emulator));
}

TEST_F(KernelCacheTest, ACorruptEntryIsRecompiledNotUsed) {
  KernelCache first(directory);
  ASSERT_TRUE(first.getOrCompile(source, "k", "sm_90", {"-DN=1.0f"}));
  std::string key = *KernelCache::key(source, "sm_90", {"-DN=1.0f"});
  std::string path = directory + "/" + key + ".cubin";
  ASSERT_TRUE(std::filesystem::exists(path));
  // Flip a byte of the CUBIN; then truncate.
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-1, std::ios::end);
    file.put('\x5a');
  }
  KernelSource origin;
  KernelCache second(directory);
  ASSERT_TRUE(second.getOrCompile(source, "k", "sm_90", {"-DN=1.0f"},
                                  CudaBackend::Gpu, &origin));
  EXPECT_EQ(origin, KernelSource::Compiled);
  std::filesystem::resize_file(path, 40);
  KernelCache third(directory);
  ASSERT_TRUE(third.getOrCompile(source, "k", "sm_90", {"-DN=1.0f"},
                                 CudaBackend::Gpu, &origin));
  EXPECT_EQ(origin, KernelSource::Compiled);
  // No temporary files are left behind.
  for (const auto &entry : std::filesystem::directory_iterator(directory))
    EXPECT_EQ(entry.path().extension(), ".cubin") << entry.path();
}

TEST_F(KernelCacheTest, MemoryOnlyWritesNothing) {
  KernelCache memoryOnly("");
  KernelSource origin;
  ASSERT_TRUE(memoryOnly.getOrCompile(source, "k", "sm_80", {"-DN=3.0f"}));
  ASSERT_TRUE(memoryOnly.getOrCompile(source, "k", "sm_80", {"-DN=3.0f"},
                                      CudaBackend::Gpu, &origin));
  EXPECT_EQ(origin, KernelSource::Memory);
  EXPECT_TRUE(std::filesystem::is_empty(directory));
}

TEST_F(KernelCacheTest, ConcurrentCompilesAgree) {
  KernelCache cache(directory);
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      StatusOr<std::string> cubin =
          cache.getOrCompile(source, "k", "sm_80", {"-DN=4.0f"});
      if (cubin)
        results[i] = *cubin;
    });
  for (std::thread &thread : threads)
    thread.join();
  for (const std::string &result : results) {
    EXPECT_FALSE(result.empty());
    EXPECT_EQ(result, results.front());
  }
}

TEST_F(KernelCacheTest, CompileErrorsAreNotCached) {
  KernelCache cache(directory);
  StatusOr<std::string> bad =
      cache.getOrCompile("this is not CUDA", "bad", "sm_80", {});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.message().find("NVRTC failed to compile bad for sm_80"),
            std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(directory));
}

} // namespace
