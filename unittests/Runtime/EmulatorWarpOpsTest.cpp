//===- EmulatorWarpOpsTest.cpp - the emulator's warp-wide instructions ----===//
//
// Expected values come from outside the code under test: each mma is checked
// against a plain triple loop over matrices that the test scatters into the
// lanes' fragments (and gathers D from) with the layout formulas of the PTX
// ISA; ldmatrix and shuffle results are derived by hand from the ISA's and
// CUDA's descriptions; and the ISA's two layout descriptions, ldmatrix's and
// mma's, are checked against each other by composing them into a product.
// The last tests compile the CUDA wrappers with NVRTC.
//
//===----------------------------------------------------------------------===//

#include "../../runtime/lib/Emulator/WarpOps.h"

#include "deconv/Runtime/FileIO.h"
#include "deconv/Runtime/Nvrtc.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <utility>
#include <vector>

using namespace deconv;
using namespace deconv::emulator;
using deconv_emu::kWarpSize;
using deconv_emu::WarpOp;
using deconv_emu::WarpReply;
using deconv_emu::WarpRequest;

namespace {

constexpr uint32_t kAllLanes = 0xffffffffu;

/// Shared memory for ldmatrix: a byte array with bounds checks, recording
/// which lane's address each read used.
class FakeShared : public SharedReader {
public:
  explicit FakeShared(size_t size = 0) : bytes(size, 0) {}

  void store16(uint32_t offset, uint16_t value) {
    std::memcpy(bytes.data() + offset, &value, sizeof(value));
  }

  std::string read(unsigned lane, uint32_t offset, uint32_t begin, uint32_t end,
                   void *out, uint32_t size) override {
    if (offset < begin || offset + size > end || end > bytes.size())
      return "out-of-bounds read of " + std::to_string(size) + " bytes at " +
             std::to_string(offset);
    std::memcpy(out, bytes.data() + offset, size);
    readers.emplace_back(lane, offset);
    return "";
  }

  std::vector<unsigned char> bytes;
  std::vector<std::pair<unsigned, uint32_t>> readers;
};

/// One warp-wide instruction: the 32 requests and replies.
struct Warp {
  explicit Warp(WarpOp op, uint32_t mask = kAllLanes) {
    for (WarpRequest &request : requests) {
      request.op = op;
      request.mask = mask;
    }
  }
  std::string run(uint32_t participants = kAllLanes,
                  uint32_t existing = kAllLanes) {
    FakeShared none;
    return run(none, participants, existing);
  }
  std::string run(SharedReader &shared, uint32_t participants = kAllLanes,
                  uint32_t existing = kAllLanes) {
    return computeWarpOp(requests, replies, participants, existing, shared);
  }

  WarpRequest requests[kWarpSize];
  WarpReply replies[kWarpSize];
};

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

//===----------------------------------------------------------------------===//
// Element encodings (values chosen exactly representable)
//===----------------------------------------------------------------------===//

uint32_t bitsOf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

float floatOf(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

/// IEEE binary16 of an exactly representable value.
uint16_t f16Bits(double value) {
  uint16_t sign = std::signbit(value) ? 0x8000 : 0;
  double magnitude = std::fabs(value);
  if (magnitude < std::ldexp(1.0, -14)) { // Zero or subnormal: m * 2^-24.
    double mantissa = std::ldexp(magnitude, 24);
    EXPECT_EQ(mantissa, std::floor(mantissa)) << value << " is not an f16";
    return sign | static_cast<uint16_t>(mantissa);
  }
  int exponent;
  double fraction = std::frexp(magnitude, &exponent); // [0.5, 1)
  double mantissa = (2 * fraction - 1) * 1024;
  EXPECT_EQ(mantissa, std::floor(mantissa)) << value << " is not an f16";
  return sign | static_cast<uint16_t>((exponent - 1 + 15) << 10) |
         static_cast<uint16_t>(mantissa);
}

/// bfloat16 of a value that is exactly representable: the high half of f32.
uint16_t bf16Bits(double value) {
  uint32_t bits = bitsOf(static_cast<float>(value));
  EXPECT_EQ(bits & 0xffffu, 0u) << value << " is not a bf16";
  return static_cast<uint16_t>(bits >> 16);
}

void setHalf(uint32_t &reg, int index, uint16_t bits) {
  reg &= index ? 0x0000ffffu : 0xffff0000u;
  reg |= static_cast<uint32_t>(bits) << (16 * index);
}

void setByte(uint32_t &reg, int index, int8_t value) {
  reg &= ~(0xffu << (8 * index));
  reg |= static_cast<uint32_t>(static_cast<uint8_t>(value)) << (8 * index);
}

//===----------------------------------------------------------------------===//
// Fragment layouts, transcribed from the PTX ISA's "Matrix Fragments for
// mma.m16n8k16 with floating point type", "... for mma.m16n8k8" (.tf32) and
// "... for mma.m16n8k32" (.s8) sections.
//===----------------------------------------------------------------------===//

using Position = std::pair<int, int>; // (row, col)

int groupOf(unsigned lane) { return lane >> 2; }
int threadInGroupOf(unsigned lane) { return lane % 4; }

Position aF16(unsigned lane, int i) {
  int row = (0 <= i && i < 2) || (4 <= i && i < 6) ? groupOf(lane)
                                                   : groupOf(lane) + 8;
  int col = i < 4 ? threadInGroupOf(lane) * 2 + (i & 0x1)
                  : threadInGroupOf(lane) * 2 + (i & 0x1) + 8;
  return {row, col};
}
Position bF16(unsigned lane, int i) {
  int row = i < 2 ? threadInGroupOf(lane) * 2 + (i & 0x1)
                  : threadInGroupOf(lane) * 2 + (i & 0x1) + 8;
  return {row, groupOf(lane)};
}
Position aTf32(unsigned lane, int i) {
  int row = (i == 0 || i == 2) ? groupOf(lane) : groupOf(lane) + 8;
  int col =
      (i == 0 || i == 1) ? threadInGroupOf(lane) : threadInGroupOf(lane) + 4;
  return {row, col};
}
Position bTf32(unsigned lane, int i) {
  int row = i == 0 ? threadInGroupOf(lane) : threadInGroupOf(lane) + 4;
  return {row, groupOf(lane)};
}
Position aS8(unsigned lane, int i) {
  int row = (0 <= i && i < 4) || (8 <= i && i < 12) ? groupOf(lane)
                                                    : groupOf(lane) + 8;
  int col = i < 8 ? threadInGroupOf(lane) * 4 + (i & 0x3)
                  : threadInGroupOf(lane) * 4 + (i & 0x3) + 16;
  return {row, col};
}
Position bS8(unsigned lane, int i) {
  int row = i < 4 ? threadInGroupOf(lane) * 4 + (i & 0x3)
                  : threadInGroupOf(lane) * 4 + (i & 0x3) + 16;
  return {row, groupOf(lane)};
}
Position accumulator(unsigned lane, int i) {
  int row = i < 2 ? groupOf(lane) : groupOf(lane) + 8;
  return {row, threadInGroupOf(lane) * 2 + (i & 0x1)};
}

/// Checks that a layout visits every element of a rows x cols matrix exactly
/// once over the 32 lanes and `perLane` elements.
template <typename Layout>
void expectBijection(Layout layout, int perLane, int rows, int cols) {
  std::vector<int> seen(rows * cols, 0);
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    for (int i = 0; i < perLane; ++i) {
      auto [row, col] = layout(lane, i);
      ASSERT_TRUE(row >= 0 && row < rows && col >= 0 && col < cols);
      ++seen[row * cols + col];
    }
  for (int count : seen)
    EXPECT_EQ(count, 1);
}

TEST(EmulatorWarpOps, TestEncodersMatchIeee) {
  EXPECT_EQ(f16Bits(1.0), 0x3c00);
  EXPECT_EQ(f16Bits(-2.5), 0xc100);
  EXPECT_EQ(f16Bits(65504.0), 0x7bff);
  EXPECT_EQ(f16Bits(std::ldexp(1.0, -24)), 0x0001);
  EXPECT_EQ(f16Bits(0.0), 0x0000);
  EXPECT_EQ(bf16Bits(1.0), 0x3f80);
  EXPECT_EQ(bf16Bits(-0.125), 0xbe00);
}

TEST(EmulatorWarpOps, FragmentLayoutsCoverEachMatrixOnce) {
  expectBijection(aF16, 8, 16, 16);
  expectBijection(bF16, 4, 16, 8);
  expectBijection(aTf32, 4, 16, 8);
  expectBijection(bTf32, 2, 8, 8);
  expectBijection(aS8, 16, 16, 32);
  expectBijection(bS8, 8, 32, 8);
  expectBijection(accumulator, 4, 16, 8);
}

/// Puts C (f32) into in[6..9] of every lane.
void scatterC(Warp &warp, const float (&c)[16][8]) {
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    for (int i = 0; i < 4; ++i) {
      auto [row, col] = accumulator(lane, i);
      warp.requests[lane].in[6 + i] = bitsOf(c[row][col]);
    }
}

/// D (f32) from out[0..3] of every lane.
void gatherD(const Warp &warp, float (&d)[16][8]) {
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    for (int i = 0; i < 4; ++i) {
      auto [row, col] = accumulator(lane, i);
      d[row][col] = floatOf(warp.replies[lane].out[i]);
    }
}

/// Plain D = A * B + C in double; the test data keeps every sum exact in f32,
/// so the order does not matter.
template <int K>
void referenceProduct(const double (&a)[16][K], const double (&b)[K][8],
                      const float (&c)[16][8], float (&d)[16][8]) {
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 8; ++j) {
      double sum = c[i][j];
      for (int k = 0; k < K; ++k)
        sum += a[i][k] * b[k][j];
      d[i][j] = static_cast<float>(sum);
    }
}

/// Uniform multiples of `step` in [-limit, limit].
double randomMultiple(std::mt19937 &random, double step, int limit) {
  return std::uniform_int_distribution<int>(-limit, limit)(random) * step;
}

template <int K>
void randomOperands(std::mt19937 &random, double step, int limit,
                    double (&a)[16][K], double (&b)[K][8], float (&c)[16][8]) {
  for (auto &row : a)
    for (double &value : row)
      value = randomMultiple(random, step, limit);
  for (auto &row : b)
    for (double &value : row)
      value = randomMultiple(random, step, limit);
  for (auto &row : c)
    for (float &value : row)
      value = static_cast<float>(randomMultiple(random, 1.0, 100));
}

/// An m16n8k16 warp with A and B encoded by `encode` (f16 or bf16).
Warp mmaM16N8K16(WarpOp op, uint16_t (*encode)(double),
                 const double (&a)[16][16], const double (&b)[16][8],
                 const float (&c)[16][8]) {
  Warp warp(op);
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    WarpRequest &request = warp.requests[lane];
    for (int i = 0; i < 8; ++i) {
      auto [row, col] = aF16(lane, i);
      setHalf(request.in[i / 2], i % 2, encode(a[row][col]));
    }
    for (int i = 0; i < 4; ++i) {
      auto [row, col] = bF16(lane, i);
      setHalf(request.in[4 + i / 2], i % 2, encode(b[row][col]));
    }
  }
  scatterC(warp, c);
  return warp;
}

//===----------------------------------------------------------------------===//
// mma
//===----------------------------------------------------------------------===//

TEST(EmulatorWarpOps, MmaF16MatchesATripleLoop) {
  std::mt19937 random(1);
  for (int trial = 0; trial < 4; ++trial) {
    double a[16][16], b[16][8];
    float c[16][8], d[16][8], expected[16][8];
    randomOperands(random, 0.25, 32, a, b, c);
    Warp warp = mmaM16N8K16(WarpOp::MmaF16F32, f16Bits, a, b, c);
    ASSERT_EQ(warp.run(), "");
    gatherD(warp, d);
    referenceProduct(a, b, c, expected);
    for (int i = 0; i < 16; ++i)
      for (int j = 0; j < 8; ++j)
        EXPECT_EQ(d[i][j], expected[i][j]) << "D[" << i << "][" << j << "]";
  }
}

TEST(EmulatorWarpOps, MmaBf16MatchesATripleLoop) {
  std::mt19937 random(2);
  for (int trial = 0; trial < 4; ++trial) {
    double a[16][16], b[16][8];
    float c[16][8], d[16][8], expected[16][8];
    randomOperands(random, 0.125, 128, a, b, c);
    Warp warp = mmaM16N8K16(WarpOp::MmaBf16F32, bf16Bits, a, b, c);
    ASSERT_EQ(warp.run(), "");
    gatherD(warp, d);
    referenceProduct(a, b, c, expected);
    for (int i = 0; i < 16; ++i)
      for (int j = 0; j < 8; ++j)
        EXPECT_EQ(d[i][j], expected[i][j]) << "D[" << i << "][" << j << "]";
  }
}

/// An m16n8k8 .tf32 warp; `dirt` is OR-ed into the low 13 bits of A and B.
Warp mmaTf32(const double (&a)[16][8], const double (&b)[8][8],
             const float (&c)[16][8], uint32_t dirt = 0) {
  Warp warp(WarpOp::MmaTf32F32);
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    WarpRequest &request = warp.requests[lane];
    for (int i = 0; i < 4; ++i) {
      auto [row, col] = aTf32(lane, i);
      request.in[i] = bitsOf(static_cast<float>(a[row][col])) | dirt;
    }
    for (int i = 0; i < 2; ++i) {
      auto [row, col] = bTf32(lane, i);
      request.in[4 + i] = bitsOf(static_cast<float>(b[row][col])) | dirt;
    }
  }
  scatterC(warp, c);
  return warp;
}

TEST(EmulatorWarpOps, MmaTf32MatchesATripleLoop) {
  std::mt19937 random(3);
  for (int trial = 0; trial < 4; ++trial) {
    // Multiples of 1/16 up to 64: 11 significant bits, exactly a tf32.
    double a[16][8], b[8][8];
    float c[16][8], d[16][8], expected[16][8];
    randomOperands(random, 1.0 / 16, 1024, a, b, c);
    for (auto &row : a)
      for (double value : row)
        ASSERT_EQ(bitsOf(static_cast<float>(value)) & 0x1fffu, 0u);
    Warp warp = mmaTf32(a, b, c);
    ASSERT_EQ(warp.run(), "");
    gatherD(warp, d);
    referenceProduct(a, b, c, expected);
    for (int i = 0; i < 16; ++i)
      for (int j = 0; j < 8; ++j)
        EXPECT_EQ(d[i][j], expected[i][j]) << "D[" << i << "][" << j << "]";
  }
}

TEST(EmulatorWarpOps, MmaTf32IgnoresTheLow13Bits) {
  // tf32's layout in a .b32 register is implementation defined and products
  // are formed at tf32 precision: the 13 low bits are not part of the value
  // (sm_80+ tensor cores ignore them, and CUTLASS relies on it).
  std::mt19937 random(4);
  double a[16][8], b[8][8];
  float c[16][8], clean[16][8], dirty[16][8];
  randomOperands(random, 1.0 / 16, 1024, a, b, c);
  Warp reference = mmaTf32(a, b, c);
  ASSERT_EQ(reference.run(), "");
  gatherD(reference, clean);
  Warp warp = mmaTf32(a, b, c, 0x1fffu);
  ASSERT_EQ(warp.run(), "");
  gatherD(warp, dirty);
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 8; ++j)
      EXPECT_EQ(dirty[i][j], clean[i][j]) << "D[" << i << "][" << j << "]";
}

/// An m16n8k32 .s8 warp.
Warp mmaS8(const int (&a)[16][32], const int (&b)[32][8],
           const int32_t (&c)[16][8]) {
  Warp warp(WarpOp::MmaS8S32);
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    WarpRequest &request = warp.requests[lane];
    for (int i = 0; i < 16; ++i) {
      auto [row, col] = aS8(lane, i);
      setByte(request.in[i / 4], i % 4, static_cast<int8_t>(a[row][col]));
    }
    for (int i = 0; i < 8; ++i) {
      auto [row, col] = bS8(lane, i);
      setByte(request.in[4 + i / 4], i % 4, static_cast<int8_t>(b[row][col]));
    }
    for (int i = 0; i < 4; ++i) {
      auto [row, col] = accumulator(lane, i);
      request.in[6 + i] = static_cast<uint32_t>(c[row][col]);
    }
  }
  return warp;
}

void gatherS32(const Warp &warp, int32_t (&d)[16][8]) {
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    for (int i = 0; i < 4; ++i) {
      auto [row, col] = accumulator(lane, i);
      d[row][col] = static_cast<int32_t>(warp.replies[lane].out[i]);
    }
}

TEST(EmulatorWarpOps, MmaS8MatchesATripleLoop) {
  std::mt19937 random(5);
  std::uniform_int_distribution<int> s8(-128, 127);
  std::uniform_int_distribution<int32_t> s32(-1000000, 1000000);
  for (int trial = 0; trial < 4; ++trial) {
    int a[16][32], b[32][8];
    int32_t c[16][8], d[16][8];
    for (auto &row : a)
      for (int &value : row)
        value = s8(random);
    for (auto &row : b)
      for (int &value : row)
        value = s8(random);
    for (auto &row : c)
      for (int32_t &value : row)
        value = s32(random);
    Warp warp = mmaS8(a, b, c);
    ASSERT_EQ(warp.run(), "");
    gatherS32(warp, d);
    for (int i = 0; i < 16; ++i)
      for (int j = 0; j < 8; ++j) {
        int32_t expected = c[i][j];
        for (int k = 0; k < 32; ++k)
          expected += a[i][k] * b[k][j];
        EXPECT_EQ(d[i][j], expected) << "D[" << i << "][" << j << "]";
      }
  }
}

TEST(EmulatorWarpOps, MmaS8WrapsOnOverflowWithoutSatfinite) {
  // PTX ISA, mma, "Integer operations": "If .satfinite is not specified, the
  // accumulated value is wrapped instead."
  int a[16][32], b[32][8];
  int32_t c[16][8], d[16][8];
  for (auto &row : a)
    for (int &value : row)
      value = -128;
  for (auto &row : b)
    for (int &value : row)
      value = -128;
  for (auto &row : c)
    for (int32_t &value : row)
      value = 2147483647; // + 32 * 128 * 128 wraps to INT32_MIN + 524287.
  // Column 5 adds 31 * 16384 - 16256 instead: no wrap from INT32_MIN.
  c[3][5] = -2147483647 - 1;
  b[0][5] = 127;
  Warp warp = mmaS8(a, b, c);
  ASSERT_EQ(warp.run(), "");
  gatherS32(warp, d);
  EXPECT_EQ(d[0][0], -2147483647 - 1 + 524287);
  EXPECT_EQ(d[15][7], -2147483647 - 1 + 524287);
  EXPECT_EQ(d[3][5], -2147483647 - 1 + 31 * 16384 - 16256);
  EXPECT_EQ(d[4][5], -2147483647 - 1 + 31 * 16384 - 16256 - 1);
}

TEST(EmulatorWarpOps, MmaF32SumsInDoubleAndRoundsOnce) {
  // 2^24 + 1 + 1: adding in f32 one product at a time would round each +1
  // away (ties to even); one rounding of the exact sum gives 2^24 + 2.
  double a[16][16] = {}, b[16][8] = {};
  float c[16][8] = {}, d[16][8];
  a[0][0] = a[0][1] = 1;
  b[0][0] = b[1][0] = 1;
  c[0][0] = 16777216.0f;
  // f16 subnormals are used, not flushed: 2^-24 (0x0001) * 2^-1 in row 1.
  a[1][2] = std::ldexp(1.0, -24);
  b[2][1] = 0.5;
  Warp warp(WarpOp::MmaF16F32);
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    WarpRequest &request = warp.requests[lane];
    for (int i = 0; i < 8; ++i) {
      auto [row, col] = aF16(lane, i);
      setHalf(request.in[i / 2], i % 2, f16Bits(a[row][col]));
    }
    for (int i = 0; i < 4; ++i) {
      auto [row, col] = bF16(lane, i);
      setHalf(request.in[4 + i / 2], i % 2, f16Bits(b[row][col]));
    }
  }
  scatterC(warp, c);
  ASSERT_EQ(warp.run(), "");
  gatherD(warp, d);
  EXPECT_EQ(d[0][0], 16777218.0f);
  EXPECT_EQ(d[1][1], std::ldexp(1.0f, -25));
  EXPECT_EQ(d[2][2], 0.0f);
}

//===----------------------------------------------------------------------===//
// ldmatrix
//===----------------------------------------------------------------------===//

/// Shared memory holding four 8x8 b16 matrices whose element (r, c) of matrix
/// m is 0x1000 * m + 0x100 * r + c. Rows are 16 bytes, stored backwards and
/// 32 bytes apart, so a result can only come from reading each lane's own row
/// address.
struct MatrixRows {
  MatrixRows() : shared(1024) {
    for (unsigned m = 0; m < 4; ++m)
      for (unsigned r = 0; r < 8; ++r)
        for (unsigned c = 0; c < 8; ++c)
          shared.store16(address(m, r) + 2 * c,
                         static_cast<uint16_t>(0x1000 * m + 0x100 * r + c));
  }
  static uint32_t address(unsigned m, unsigned r) {
    return 1024 - 32 * (m * 8 + r + 1);
  }
  /// An ldmatrix warp: lanes 8m..8m+7 address the rows of matrix m; the
  /// other lanes hold misaligned addresses, which ldmatrix must not use.
  Warp warp(unsigned count, bool transposed) const {
    Warp warp(WarpOp::LdMatrix);
    for (unsigned lane = 0; lane < kWarpSize; ++lane) {
      WarpRequest &request = warp.requests[lane];
      request.imm[0] = count;
      request.imm[1] = transposed;
      request.in[0] = lane < 8 * count ? address(lane / 8, lane % 8) : 3;
      request.in[1] = 0;
      request.in[2] = 1024;
    }
    return warp;
  }
  FakeShared shared;
};

TEST(EmulatorWarpOps, LdMatrixX1GivesEachLaneTwoElementsOfItsRow) {
  MatrixRows rows;
  Warp warp = rows.warp(1, false);
  ASSERT_EQ(warp.run(rows.shared), "");
  // Lane l: row l/4, columns 2*(l%4) and 2*(l%4)+1, low half first.
  EXPECT_EQ(warp.replies[0].out[0], 0x00010000u);
  EXPECT_EQ(warp.replies[1].out[0], 0x00030002u);
  EXPECT_EQ(warp.replies[3].out[0], 0x00070006u);
  EXPECT_EQ(warp.replies[4].out[0], 0x01010100u);
  EXPECT_EQ(warp.replies[5].out[0], 0x01030102u);
  EXPECT_EQ(warp.replies[18].out[0], 0x04050404u);
  EXPECT_EQ(warp.replies[31].out[0], 0x07070706u);
  // Only lanes 0-7 gave addresses.
  ASSERT_EQ(rows.shared.readers.size(), 8u);
  for (unsigned r = 0; r < 8; ++r)
    EXPECT_EQ(rows.shared.readers[r],
              std::make_pair(r, MatrixRows::address(0, r)));
}

TEST(EmulatorWarpOps, LdMatrixX1TransGivesEachLaneTwoElementsOfAColumn) {
  MatrixRows rows;
  Warp warp = rows.warp(1, true);
  ASSERT_EQ(warp.run(rows.shared), "");
  // Lane l: column l/4, rows 2*(l%4) and 2*(l%4)+1.
  EXPECT_EQ(warp.replies[0].out[0], 0x01000000u);
  EXPECT_EQ(warp.replies[1].out[0], 0x03000200u);
  EXPECT_EQ(warp.replies[3].out[0], 0x07000600u);
  EXPECT_EQ(warp.replies[4].out[0], 0x01010001u);
  EXPECT_EQ(warp.replies[5].out[0], 0x03010201u);
  EXPECT_EQ(warp.replies[18].out[0], 0x05040404u);
  EXPECT_EQ(warp.replies[31].out[0], 0x07070607u);
}

TEST(EmulatorWarpOps, LdMatrixX2AndX4LoadOneMatrixPerRegister) {
  MatrixRows rows;
  Warp x2 = rows.warp(2, false);
  ASSERT_EQ(x2.run(rows.shared), "");
  EXPECT_EQ(x2.replies[0].out[0], 0x00010000u);
  EXPECT_EQ(x2.replies[0].out[1], 0x10011000u);
  EXPECT_EQ(x2.replies[13].out[1], 0x13031302u);
  EXPECT_EQ(rows.shared.readers.size(), 16u);

  Warp x4 = rows.warp(4, false);
  ASSERT_EQ(x4.run(rows.shared), "");
  EXPECT_EQ(x4.replies[13].out[0], 0x03030302u);
  EXPECT_EQ(x4.replies[13].out[1], 0x13031302u);
  EXPECT_EQ(x4.replies[13].out[2], 0x23032302u);
  EXPECT_EQ(x4.replies[13].out[3], 0x33033302u);
  EXPECT_EQ(x4.replies[30].out[3], 0x37053704u);

  Warp x4t = rows.warp(4, true);
  ASSERT_EQ(x4t.run(rows.shared), "");
  EXPECT_EQ(x4t.replies[13].out[0], 0x03030203u);
  EXPECT_EQ(x4t.replies[13].out[2], 0x23032203u);
  EXPECT_EQ(x4t.replies[30].out[3], 0x35073407u);

  Warp x2t = rows.warp(2, true);
  ASSERT_EQ(x2t.run(rows.shared), "");
  EXPECT_EQ(x2t.replies[30].out[1], 0x15071407u);

  // Every lane and register, by the ISA's rule.
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    for (unsigned m = 0; m < 4; ++m) {
      uint32_t base = 0x1000 * m, row = lane / 4, pair = 2 * (lane % 4);
      uint32_t plain =
          (base + 0x100 * row + pair) | (base + 0x100 * row + pair + 1) << 16;
      uint32_t transposed =
          (base + 0x100 * pair + row) | (base + 0x100 * (pair + 1) + row) << 16;
      EXPECT_EQ(x4.replies[lane].out[m], plain) << lane << " " << m;
      EXPECT_EQ(x4t.replies[lane].out[m], transposed) << lane << " " << m;
    }
}

TEST(EmulatorWarpOps, LdMatrixAndMmaComposeToAProduct) {
  // A row-major 16x16 f16 tile loaded with ldmatrix.x4 and a row-major 16x8
  // B tile loaded with ldmatrix.x2.trans are exactly the A and B fragments of
  // mma.m16n8k16: two layout descriptions of the ISA that must agree.
  std::mt19937 random(6);
  double a[16][16], b[16][8];
  float c[16][8], d[16][8], expected[16][8];
  randomOperands(random, 0.25, 32, a, b, c);
  FakeShared shared(1024);
  const uint32_t aBase = 0, bBase = 512; // A: 512 bytes, B: 256 bytes.
  for (int r = 0; r < 16; ++r)
    for (int k = 0; k < 16; ++k)
      shared.store16(aBase + 32 * r + 2 * k, f16Bits(a[r][k]));
  for (int k = 0; k < 16; ++k)
    for (int n = 0; n < 8; ++n)
      shared.store16(bBase + 16 * k + 2 * n, f16Bits(b[k][n]));

  Warp loadA(WarpOp::LdMatrix), loadB(WarpOp::LdMatrix);
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    // Matrices 0-3: rows 0-7 / 8-15 of columns 0-7, then of columns 8-15.
    loadA.requests[lane].imm[0] = 4;
    loadA.requests[lane].in[0] = aBase + 32 * (lane % 16) + 16 * (lane / 16);
    loadA.requests[lane].in[1] = aBase;
    loadA.requests[lane].in[2] = aBase + 512;
    // Matrices 0-1: rows k = 0-7 and 8-15 of B.
    loadB.requests[lane].imm[0] = 2;
    loadB.requests[lane].imm[1] = 1;
    loadB.requests[lane].in[0] = bBase + 16 * (lane % 16);
    loadB.requests[lane].in[1] = bBase;
    loadB.requests[lane].in[2] = bBase + 256;
  }
  ASSERT_EQ(loadA.run(shared), "");
  ASSERT_EQ(loadB.run(shared), "");

  Warp mma(WarpOp::MmaF16F32);
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    for (int i = 0; i < 4; ++i)
      mma.requests[lane].in[i] = loadA.replies[lane].out[i];
    for (int i = 0; i < 2; ++i)
      mma.requests[lane].in[4 + i] = loadB.replies[lane].out[i];
  }
  scatterC(mma, c);
  ASSERT_EQ(mma.run(), "");
  gatherD(mma, d);
  referenceProduct(a, b, c, expected);
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 8; ++j)
      EXPECT_EQ(d[i][j], expected[i][j]) << "D[" << i << "][" << j << "]";
}

//===----------------------------------------------------------------------===//
// shfl.sync, with the b and c operands CUDA's __shfl_*_sync pass
//===----------------------------------------------------------------------===//

uint32_t cudaC(WarpOp op, int width) {
  return ((32u - width) << 8) | (op == WarpOp::ShflUp ? 0u : 0x1fu);
}

/// A shuffle in which lane l contributes 100 + l.
Warp shuffleWarp(WarpOp op, uint32_t b, uint32_t c, uint32_t mask = kAllLanes) {
  Warp warp(op, mask);
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    warp.requests[lane].imm[0] = b;
    warp.requests[lane].imm[1] = c;
    warp.requests[lane].in[0] = 100 + lane;
  }
  return warp;
}

TEST(EmulatorWarpOps, ShflIdxBroadcastsWithinEachSegment) {
  Warp whole = shuffleWarp(WarpOp::ShflIdx, 5, cudaC(WarpOp::ShflIdx, 32));
  ASSERT_EQ(whole.run(), "");
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    EXPECT_EQ(whole.replies[lane].out[0], 105u);
    EXPECT_EQ(whole.replies[lane].out[1], 1u);
  }
  // width 8: lane 13 reads lane 8 + 2; srcLane 10 is taken modulo the width.
  for (uint32_t srcLane : {2u, 10u}) {
    Warp segments =
        shuffleWarp(WarpOp::ShflIdx, srcLane, cudaC(WarpOp::ShflIdx, 8));
    ASSERT_EQ(segments.run(), "");
    EXPECT_EQ(segments.replies[0].out[0], 102u);
    EXPECT_EQ(segments.replies[13].out[0], 110u);
    EXPECT_EQ(segments.replies[31].out[0], 126u);
  }
  // Only b[4:0] counts: srcLane 37 is lane 5.
  Warp wide = shuffleWarp(WarpOp::ShflIdx, 37, cudaC(WarpOp::ShflIdx, 32));
  ASSERT_EQ(wide.run(), "");
  EXPECT_EQ(wide.replies[20].out[0], 105u);
  // Each lane its own source.
  Warp reverse = shuffleWarp(WarpOp::ShflIdx, 0, cudaC(WarpOp::ShflIdx, 32));
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    reverse.requests[lane].imm[0] = 31 - lane;
  ASSERT_EQ(reverse.run(), "");
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    EXPECT_EQ(reverse.replies[lane].out[0], 131u - lane);
}

TEST(EmulatorWarpOps, ShflUpKeepsTheLowestLanesOfEachSegment) {
  Warp whole = shuffleWarp(WarpOp::ShflUp, 1, cudaC(WarpOp::ShflUp, 32));
  ASSERT_EQ(whole.run(), "");
  EXPECT_EQ(whole.replies[0].out[0], 100u);
  EXPECT_EQ(whole.replies[0].out[1], 0u);
  EXPECT_EQ(whole.replies[1].out[0], 100u);
  EXPECT_EQ(whole.replies[31].out[0], 130u);
  EXPECT_EQ(whole.replies[31].out[1], 1u);
  // width 8, delta 3: lanes 8k..8k+2 keep their value.
  Warp segments = shuffleWarp(WarpOp::ShflUp, 3, cudaC(WarpOp::ShflUp, 8));
  ASSERT_EQ(segments.run(), "");
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    bool keeps = lane % 8 < 3;
    EXPECT_EQ(segments.replies[lane].out[0], keeps ? 100 + lane : 97 + lane)
        << lane;
    EXPECT_EQ(segments.replies[lane].out[1], keeps ? 0u : 1u) << lane;
  }
  // delta 0 reads the lane itself, in range.
  Warp none = shuffleWarp(WarpOp::ShflUp, 0, cudaC(WarpOp::ShflUp, 32));
  ASSERT_EQ(none.run(), "");
  EXPECT_EQ(none.replies[7].out[0], 107u);
  EXPECT_EQ(none.replies[7].out[1], 1u);
}

TEST(EmulatorWarpOps, ShflDownKeepsTheHighestLanesOfEachSegment) {
  Warp whole = shuffleWarp(WarpOp::ShflDown, 1, cudaC(WarpOp::ShflDown, 32));
  ASSERT_EQ(whole.run(), "");
  EXPECT_EQ(whole.replies[0].out[0], 101u);
  EXPECT_EQ(whole.replies[30].out[0], 131u);
  EXPECT_EQ(whole.replies[31].out[0], 131u);
  EXPECT_EQ(whole.replies[31].out[1], 0u);
  // width 16, delta 3: lanes 13-15 and 29-31 keep their value.
  Warp segments = shuffleWarp(WarpOp::ShflDown, 3, cudaC(WarpOp::ShflDown, 16));
  ASSERT_EQ(segments.run(), "");
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    bool keeps = lane % 16 >= 13;
    EXPECT_EQ(segments.replies[lane].out[0], keeps ? 100 + lane : 103 + lane)
        << lane;
  }
  // delta 31: only lane 0 has a source.
  Warp far = shuffleWarp(WarpOp::ShflDown, 31, cudaC(WarpOp::ShflDown, 32));
  ASSERT_EQ(far.run(), "");
  EXPECT_EQ(far.replies[0].out[0], 131u);
  EXPECT_EQ(far.replies[1].out[0], 101u);
}

TEST(EmulatorWarpOps, ShflXorReachesEarlierSegmentsOnly) {
  Warp pairs = shuffleWarp(WarpOp::ShflBfly, 1, cudaC(WarpOp::ShflBfly, 32));
  ASSERT_EQ(pairs.run(), "");
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    EXPECT_EQ(pairs.replies[lane].out[0], 100 + (lane ^ 1));
  // CUDA: with width < 32 a lane may read an earlier group but gets its own
  // value for a later one. laneMask 16, width 16: lanes 16-31 read lanes
  // 0-15, lanes 0-15 keep theirs.
  Warp across = shuffleWarp(WarpOp::ShflBfly, 16, cudaC(WarpOp::ShflBfly, 16));
  ASSERT_EQ(across.run(), "");
  EXPECT_EQ(across.replies[3].out[0], 103u);
  EXPECT_EQ(across.replies[3].out[1], 0u);
  EXPECT_EQ(across.replies[19].out[0], 103u);
  EXPECT_EQ(across.replies[19].out[1], 1u);
  // Within a segment of 4: lane 6 ^ 3 = lane 5.
  Warp within = shuffleWarp(WarpOp::ShflBfly, 3, cudaC(WarpOp::ShflBfly, 4));
  ASSERT_EQ(within.run(), "");
  EXPECT_EQ(within.replies[6].out[0], 105u);
}

TEST(EmulatorWarpOps, ShflClampsToTheClampValueOfC) {
  // Raw PTX operands: c = 0 (no segments, clamp 0) for .idx makes every
  // source but lane 0 out of range; c = 0x0f clamps .down at lane 15.
  Warp idx = shuffleWarp(WarpOp::ShflIdx, 0, 0);
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    idx.requests[lane].imm[0] = lane % 2; // Lanes ask for lane 0 or 1.
  ASSERT_EQ(idx.run(), "");
  EXPECT_EQ(idx.replies[4].out[0], 100u);
  EXPECT_EQ(idx.replies[4].out[1], 1u);
  EXPECT_EQ(idx.replies[5].out[0], 105u);
  EXPECT_EQ(idx.replies[5].out[1], 0u);
  Warp down = shuffleWarp(WarpOp::ShflDown, 2, 0x0f);
  ASSERT_EQ(down.run(), "");
  EXPECT_EQ(down.replies[13].out[0], 115u);
  EXPECT_EQ(down.replies[14].out[0], 114u);
  EXPECT_EQ(down.replies[20].out[0], 120u);
}

TEST(EmulatorWarpOps, ShflWithAPartialMaskAndExitedLanes) {
  // Mask 0x0000ffff, all of its lanes present: reads stay within the mask.
  Warp half = shuffleWarp(WarpOp::ShflDown, 1, cudaC(WarpOp::ShflDown, 16),
                          0x0000ffffu);
  ASSERT_EQ(half.run(0x0000ffffu), "");
  EXPECT_EQ(half.replies[14].out[0], 115u);
  EXPECT_EQ(half.replies[15].out[0], 115u);
  // Lane 31 exited: the others proceed; nobody reads it here.
  Warp exited = shuffleWarp(WarpOp::ShflUp, 1, cudaC(WarpOp::ShflUp, 32));
  ASSERT_EQ(exited.run(0x7fffffffu), "");
  EXPECT_EQ(exited.replies[30].out[0], 129u);
}

//===----------------------------------------------------------------------===//
// vote.sync and bar.warp.sync
//===----------------------------------------------------------------------===//

Warp voteWarp(WarpOp op, uint32_t predicates, uint32_t mask = kAllLanes) {
  Warp warp(op, mask);
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    warp.requests[lane].in[0] = (predicates >> lane) & 1u;
  return warp;
}

uint32_t voteResult(WarpOp op, uint32_t predicates,
                    uint32_t participants = kAllLanes) {
  Warp warp = voteWarp(op, predicates, participants);
  EXPECT_EQ(warp.run(participants), "");
  unsigned first = __builtin_ctz(participants);
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    if ((participants >> lane) & 1u) {
      EXPECT_EQ(warp.replies[lane].out[0], warp.replies[first].out[0]);
    }
  }
  return warp.replies[first].out[0];
}

TEST(EmulatorWarpOps, VotesReduceOverTheMask) {
  EXPECT_EQ(voteResult(WarpOp::VoteAll, kAllLanes), 1u);
  EXPECT_EQ(voteResult(WarpOp::VoteAll, 0xfffffffeu), 0u);
  EXPECT_EQ(voteResult(WarpOp::VoteAny, 0u), 0u);
  EXPECT_EQ(voteResult(WarpOp::VoteAny, 0x00010000u), 1u);
  EXPECT_EQ(voteResult(WarpOp::VoteUni, 0u), 1u);
  EXPECT_EQ(voteResult(WarpOp::VoteUni, kAllLanes), 1u);
  EXPECT_EQ(voteResult(WarpOp::VoteUni, 0x80000000u), 0u);
  EXPECT_EQ(voteResult(WarpOp::Ballot, 0x12345678u), 0x12345678u);
  // Only the mask's lanes count: lanes 16-31 are outside mask 0x0000ffff.
  EXPECT_EQ(voteResult(WarpOp::Ballot, 0x12345678u, 0x0000ffffu), 0x5678u);
  EXPECT_EQ(voteResult(WarpOp::VoteAll, 0x0000ffffu, 0x0000ffffu), 1u);
  EXPECT_EQ(voteResult(WarpOp::VoteUni, 0xffff0000u, 0xffff0000u), 1u);
}

TEST(EmulatorWarpOps, ExitedLanesDoNotVote) {
  // Mask names all lanes, lane 31 has exited (its predicate would be 0).
  Warp all = voteWarp(WarpOp::VoteAll, 0x7fffffffu);
  ASSERT_EQ(all.run(0x7fffffffu), "");
  EXPECT_EQ(all.replies[0].out[0], 1u);
  Warp ballot = voteWarp(WarpOp::Ballot, kAllLanes);
  ASSERT_EQ(ballot.run(0x7fffffffu), "");
  EXPECT_EQ(ballot.replies[0].out[0], 0x7fffffffu);
  // A partial warp of 20 lanes with the full mask.
  Warp partial = voteWarp(WarpOp::VoteAll, 0x000fffffu);
  ASSERT_EQ(partial.run(0x000fffffu, 0x000fffffu), "");
  EXPECT_EQ(partial.replies[19].out[0], 1u);
}

TEST(EmulatorWarpOps, SyncWarpAcceptsAgreeingMasks) {
  Warp whole(WarpOp::SyncWarp);
  EXPECT_EQ(whole.run(), "");
  Warp half(WarpOp::SyncWarp, 0xffff0000u);
  EXPECT_EQ(half.run(0xffff0000u), "");
}

//===----------------------------------------------------------------------===//
// Broken rules
//===----------------------------------------------------------------------===//

TEST(EmulatorWarpOps, RejectsLanesAtDifferentInstructions) {
  Warp warp(WarpOp::ShflIdx);
  warp.requests[4].op = WarpOp::Ballot;
  EXPECT_EQ(warp.run(), "lanes 0 and 4 meet at different warp-wide "
                        "instructions: shfl.sync.idx.b32 (__shfl_sync) and "
                        "vote.sync.ballot.b32 (__ballot_sync) (the threads an "
                        "instruction synchronizes must all execute it)");
  Warp modes(WarpOp::ShflDown);
  modes.requests[9].op = WarpOp::ShflUp;
  EXPECT_TRUE(contains(modes.run(), "lanes 0 and 9 meet at different"));
  Warp mma(WarpOp::MmaF16F32);
  mma.requests[31].op = WarpOp::MmaBf16F32;
  EXPECT_TRUE(contains(mma.run(), "lanes 0 and 31 meet at different"));
}

TEST(EmulatorWarpOps, RejectsLanesWithDifferentMasks) {
  Warp warp = shuffleWarp(WarpOp::ShflIdx, 0, cudaC(WarpOp::ShflIdx, 32));
  warp.requests[7].mask = 0x0000ffffu;
  EXPECT_EQ(warp.run(),
            "lanes 0 and 7 execute shfl.sync.idx.b32 (__shfl_sync) with "
            "different member masks (0xffffffff and 0x0000ffff); every thread "
            "named in a member mask must pass that same mask");
  Warp sync(WarpOp::SyncWarp);
  sync.requests[1].mask = 0x7fffffffu;
  EXPECT_TRUE(contains(sync.run(), "with different member masks"));
}

TEST(EmulatorWarpOps, RejectsALaneOutsideItsOwnMask) {
  Warp warp = voteWarp(WarpOp::VoteAny, 0, 0x0000fff0u);
  EXPECT_EQ(warp.run(0x0000ffffu),
            "lane 0 executes vote.sync.any.pred (__any_sync) with member mask "
            "0x0000fff0, which does not include the lane itself");
}

TEST(EmulatorWarpOps, RejectsAnMmaReachedByPartOfTheWarp) {
  Warp warp(WarpOp::MmaF16F32);
  EXPECT_EQ(warp.run(0x0000ffffu),
            "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
            "(deconv_mma_m16n8k16_f16) is .aligned, so all 32 lanes of the "
            "warp must execute it, but lanes 0xffff0000 did not reach it (they "
            "diverged or exited)");
  Warp ldmatrix = MatrixRows().warp(4, false);
  EXPECT_TRUE(contains(ldmatrix.run(0xfffffffeu),
                       "but lanes 0x00000001 did not reach it"));
}

TEST(EmulatorWarpOps, RejectsAnMmaInAPartialWarp) {
  Warp warp(WarpOp::MmaS8S32);
  EXPECT_EQ(warp.run(0x000fffffu, 0x000fffffu),
            "mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 "
            "(deconv_mma_m16n8k32_s8) is .aligned, so all 32 lanes of the "
            "warp must execute it, but this warp has only 20 lanes (the "
            "block's thread count is not a multiple of 32)");
}

TEST(EmulatorWarpOps, RejectsAMisalignedLdMatrixRow) {
  MatrixRows rows;
  Warp warp = rows.warp(2, true);
  warp.requests[9].in[0] += 8;
  EXPECT_EQ(warp.run(rows.shared),
            "ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 "
            "(deconv_ldmatrix_x2_trans): the row address of lane 9 (shared "
            "byte " +
                std::to_string(MatrixRows::address(1, 1) + 8) +
                ") is not 16-byte aligned (each 16-byte row must be naturally "
                "aligned)");
}

TEST(EmulatorWarpOps, ReportsTheSharedReadersError) {
  MatrixRows rows;
  Warp warp = rows.warp(4, false);
  warp.requests[26].in[2] = warp.requests[26].in[0] + 8; // Array ends early.
  EXPECT_EQ(warp.run(rows.shared),
            "ldmatrix.sync.aligned.m8n8.x4.shared.b16 (deconv_ldmatrix_x4): "
            "row 2 of matrix 3 (address from lane 26): out-of-bounds read of "
            "16 bytes at " +
                std::to_string(MatrixRows::address(3, 2)));
}

TEST(EmulatorWarpOps, RejectsLdMatrixLanesWithDifferentQualifiers) {
  MatrixRows rows;
  Warp count = rows.warp(4, false);
  count.requests[5].imm[0] = 2;
  EXPECT_EQ(count.run(rows.shared),
            "lanes 0 and 5 execute ldmatrix with different qualifiers: "
            "ldmatrix.sync.aligned.m8n8.x4.shared.b16 (deconv_ldmatrix_x4) and "
            "ldmatrix.sync.aligned.m8n8.x2.shared.b16 (deconv_ldmatrix_x2)");
  Warp trans = rows.warp(1, false);
  trans.requests[30].imm[1] = 1;
  EXPECT_TRUE(contains(trans.run(rows.shared), "different qualifiers"));
  Warp three = rows.warp(3, false);
  EXPECT_TRUE(contains(three.run(rows.shared),
                       ".x3 is not a matrix count of ldmatrix"));
}

TEST(EmulatorWarpOps, RejectsAShuffleFromOutsideTheMask) {
  Warp warp =
      shuffleWarp(WarpOp::ShflIdx, 0, cudaC(WarpOp::ShflIdx, 32), 0x0000ffffu);
  warp.requests[3].imm[0] = 20;
  EXPECT_EQ(warp.run(0x0000ffffu),
            "lane 3 reads lane 20 with shfl.sync.idx.b32 (__shfl_sync), but "
            "lane 20 is outside the member mask 0x0000ffff (the value read is "
            "undefined)");
  // The classic partial-mask reduction bug: shfl.down across the mask's end.
  Warp down = shuffleWarp(WarpOp::ShflDown, 1, cudaC(WarpOp::ShflDown, 32),
                          0x0000ffffu);
  EXPECT_TRUE(contains(down.run(0x0000ffffu),
                       "lane 15 reads lane 16 with shfl.sync.down.b32"));
}

TEST(EmulatorWarpOps, RejectsAShuffleFromAMissingOrExitedLane) {
  // A warp of 20 lanes, full mask: lane 19 reads lane 20, which isn't there.
  Warp partial = shuffleWarp(WarpOp::ShflDown, 1, cudaC(WarpOp::ShflDown, 32));
  EXPECT_EQ(partial.run(0x000fffffu, 0x000fffffu),
            "lane 19 reads lane 20 with shfl.sync.down.b32 "
            "(__shfl_down_sync), but the warp has no lane 20 (the block's "
            "thread count is not a multiple of 32; the value read is "
            "undefined)");
  Warp exited = shuffleWarp(WarpOp::ShflBfly, 1, cudaC(WarpOp::ShflBfly, 32));
  EXPECT_EQ(exited.run(0x7fffffffu),
            "lane 30 reads lane 31 with shfl.sync.bfly.b32 (__shfl_xor_sync), "
            "but lane 31 has exited (the value read is undefined)");
}

TEST(EmulatorWarpOps, RejectsUnknownOperationsAndStrayParticipants) {
  Warp unknown(static_cast<WarpOp>(99));
  EXPECT_EQ(unknown.run(), "lane 0 executes unknown warp-wide operation 99");
  Warp stray(WarpOp::SyncWarp);
  EXPECT_TRUE(contains(stray.run(kAllLanes, 0x0000ffffu),
                       "take part in a warp-wide operation, but the warp has "
                       "only lanes 0x0000ffff"));
  EXPECT_FALSE(stray.run(0, kAllLanes).empty());
}

//===----------------------------------------------------------------------===//
// The CUDA wrappers compile with NVRTC
//===----------------------------------------------------------------------===//

/// runtime/device/cuda, found from this file's path (the test may not change
/// the build to be told where it is).
std::filesystem::path cudaDeviceDirectory() {
  return std::filesystem::path(__FILE__)
             .parent_path()
             .parent_path()
             .parent_path() /
         "runtime" / "device" / "cuda";
}

/// A kernel that calls every wrapper, on the CUDA prelude with its warp
/// header pasted in (NVRTC is given no include path).
const char *const kWrapperKernel = R"cuda(
extern "C" __global__ void warpWrappers(DECONV_GLOBAL(const float) in,
                                        DECONV_GLOBAL(float) out,
                                        DECONV_GLOBAL(int) iout) {
  DECONV_SHARED_ARRAY(unsigned short, tile, 16 * 16);
  DECONV_SHARED_ARRAY(float, staging, 32 * 7);
  unsigned lane = threadIdx.x % 32;
  deconv_cp_async(staging + lane * 4, in + lane * 4, 16, 16);
  deconv_cp_async(staging + 128 + lane * 2, in + lane * 2, 8, 4);
  deconv_cp_async(staging + 192 + lane, in + lane, 4, 0);
  deconv_cp_async_commit();
  deconv_cp_async_wait<1>();
  deconv_cp_async_wait_all();
  for (int i = 0; i < 8; ++i)
    tile[lane * 8 + i] = deconv_float_to_half(staging[lane * 4 + i % 4]);
  __syncthreads();
  unsigned r1[1], r2[2], r4[4], t1[1], t2[2], t4[4];
  deconv_ldmatrix_x1(r1, tile + (lane % 8) * 16);
  deconv_ldmatrix_x2(r2, tile + (lane % 16) * 16);
  deconv_ldmatrix_x4(r4, tile + (lane % 16) * 16 + (lane / 16) * 8);
  deconv_ldmatrix_x1_trans(t1, tile + (lane % 8) * 16);
  deconv_ldmatrix_x2_trans(t2, tile + (lane % 16) * 16);
  deconv_ldmatrix_x4_trans(t4, tile + (lane % 16) * 16 + (lane / 16) * 8);
  unsigned b[2] = {r2[0] ^ t1[0], r2[1] ^ r1[0]};
  float c[4] = {0.0f, 1.0f, 2.0f, 3.0f};
  float d[4];
  deconv_mma_m16n8k16_f16(d, r4, b, c);
  deconv_mma_m16n8k16_bf16(d, t4, t2, d);
  unsigned ta[4] = {deconv_float_to_tf32(d[0]), deconv_float_to_tf32(d[1]),
                    deconv_float_to_tf32(d[2]), deconv_float_to_tf32(d[3])};
  unsigned tb[2] = {deconv_float_to_tf32(c[0]), deconv_float_to_tf32(c[1])};
  deconv_mma_m16n8k8_tf32(d, ta, tb, d);
  int ic[4] = {1, 2, 3, 4}, id[4];
  deconv_mma_m16n8k32_s8(id, r4, b, ic);
  __syncwarp();
  float v = __shfl_sync(0xffffffffu, d[0], 3);
  v += __shfl_up_sync(0xffffffffu, d[1], 1, 16);
  v += __shfl_down_sync(0xffffffffu, d[2], 2, 8);
  v += __shfl_xor_sync(0xffffffffu, d[3], 1);
  int w = __shfl_sync(0xffffffffu, id[0], 0) +
          __shfl_xor_sync(0xffffffffu, id[1], 4, 16);
  unsigned u = __shfl_down_sync(0xffffffffu, (unsigned)id[2], 1);
  w += __all_sync(0xffffffffu, v > 0.0f) + __any_sync(0xffffffffu, w > 0) +
       __uni_sync(0xffffffffu, lane < 16);
  u += __ballot_sync(0xffffffffu, lane & 1);
  out[threadIdx.x] = v;
  iout[threadIdx.x] = w + (int)u + id[3];
}
)cuda";

class CudaWarpHeader : public testing::TestWithParam<const char *> {};

TEST_P(CudaWarpHeader, CompilesWithNvrtc) {
  if (!isNvrtcAvailable())
    GTEST_SKIP() << "NVRTC is not available here";
  std::filesystem::path directory = cudaDeviceDirectory();
  StatusOr<std::string> prelude =
      readFile((directory / "deconv_device.h").string());
  StatusOr<std::string> warp =
      readFile((directory / "deconv_device_warp.h").string());
  if (!prelude || !warp)
    GTEST_SKIP() << "the CUDA device headers are not where this test's source "
                    "says: "
                 << (prelude ? warp.message() : prelude.message());
  std::string source = *prelude;
  const std::string include = "#include \"deconv_device_warp.h\"";
  size_t at = source.find(include);
  ASSERT_NE(at, std::string::npos) << "the prelude no longer includes the "
                                      "warp header";
  source.replace(at, include.size(), *warp);
  source += kWrapperKernel;
  StatusOr<std::string> cubin =
      compileToCubin(source, "warp_wrappers.cu", GetParam(), {});
  ASSERT_TRUE(cubin) << cubin.message();
  EXPECT_EQ(cubin->substr(0, 4), "\x7f"
                                 "ELF");
}

INSTANTIATE_TEST_SUITE_P(EmulatorWarpOps, CudaWarpHeader,
                         testing::Values("sm_80", "sm_90"));

} // namespace
