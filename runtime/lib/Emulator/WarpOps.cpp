//===- WarpOps.cpp - warp-wide instructions of the host emulator ----------===//
//
// Each instruction follows its section of the PTX ISA (section numbers of the
// PTX ISA 9.2 document):
//
//   bar.warp.sync  9.7.13.2   vote.sync  9.7.13.9   shfl.sync  9.7.9.6
//   mma            9.7.14.5.14, with the fragment layouts of 9.7.14.5.7
//                  (m16n8k8, .tf32), 9.7.14.5.8 (m16n8k16, .f16/.bf16) and
//                  9.7.14.5.10 (m16n8k32, .s8)
//   ldmatrix       9.7.14.5.15
//
// Where the ISA leaves a result open (accumulation order and rounding of the
// floating-point mma, the tf32 layout, NaN payloads), the choice made here is
// stated where it is made.
//
//===----------------------------------------------------------------------===//

#include "WarpOps.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>

using namespace deconv_emu;

namespace deconv::emulator {
namespace {

constexpr uint32_t kAllLanes = 0xffffffffu;

bool hasLane(uint32_t lanes, unsigned lane) { return (lanes >> lane) & 1u; }

std::string format(const char *pattern, ...)
    __attribute__((format(printf, 1, 2)));
std::string format(const char *pattern, ...) {
  char buffer[768];
  va_list args;
  va_start(args, pattern);
  std::vsnprintf(buffer, sizeof(buffer), pattern, args);
  va_end(args);
  return buffer;
}

/// Whether all lanes of the warp must execute the instruction (`.aligned`),
/// as opposed to the lanes of a member mask.
bool isAligned(WarpOp op) {
  switch (op) {
  case WarpOp::MmaF16F32:
  case WarpOp::MmaBf16F32:
  case WarpOp::MmaTf32F32:
  case WarpOp::MmaS8S32:
  case WarpOp::LdMatrix:
    return true;
  default:
    return false;
  }
}

bool isKnown(WarpOp op) {
  return static_cast<uint32_t>(op) <= static_cast<uint32_t>(WarpOp::LdMatrix);
}

float floatFromBits(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

uint32_t bitsFromFloat(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

/// Element `index` (0: low half) of a register holding two 16-bit elements;
/// the ISA lists elements "low to high".
uint16_t half16(uint32_t reg, unsigned index) {
  return static_cast<uint16_t>(reg >> (16 * index));
}

/// Element `index` (0: low byte) of a register holding four .s8 elements.
int8_t byte8(uint32_t reg, unsigned index) {
  return static_cast<int8_t>(static_cast<uint8_t>(reg >> (8 * index)));
}

/// IEEE binary16, exactly (normals, subnormals, infinities, NaNs).
double decodeF16(uint16_t bits) {
  int exponent = (bits >> 10) & 0x1f;
  int mantissa = bits & 0x3ff;
  double sign = (bits & 0x8000) ? -1.0 : 1.0;
  if (exponent == 0x1f)
    return mantissa ? std::nan("") : sign * INFINITY;
  if (exponent == 0)
    return sign * std::ldexp(mantissa, -24);
  return sign * std::ldexp(mantissa | 0x400, exponent - 25);
}

/// bfloat16 is the high half of an f32.
double decodeBf16(uint16_t bits) {
  return floatFromBits(static_cast<uint32_t>(bits) << 16);
}

/// A .tf32 operand. The ISA defines tf32 as an f32-range format of at least 10
/// mantissa bits whose layout in the .b32 register is implementation defined,
/// produced by cvt.rna.tf32.f32 (5.2.3 "Alternate Floating-Point Data
/// Formats"), and has mma multiply tf32 elements "with specified precision".
/// The 13 low mantissa bits therefore carry no tf32 information: they are
/// ignored (truncated), which is what CUTLASS relies on the tensor cores to do
/// (its float-to-tf32 converters leave those bits unspecified, "TF32 does not
/// define the low order bits", and its 3xTF32 split feeds such values). A NaN
/// stays a NaN even when only its low bits were set.
double decodeTf32(uint32_t bits) {
  if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu))
    return std::nan("");
  return floatFromBits(bits & 0xffffe000u);
}

/// Rounds an accumulated value to the f32 result of a floating-point mma.
uint32_t roundToF32(double sum) {
  // NaN payloads are not specified by the ISA; return the canonical NaN
  // (0x7fffffff) that NVIDIA's f32 arithmetic produces, so results do not
  // depend on which NaN the host propagated.
  if (std::isnan(sum))
    return 0x7fffffffu;
  return bitsFromFloat(static_cast<float>(sum));
}

/// D = A*B + C for an M x N tile with K products per element.
///
/// The ISA fixes the products' precision (exact for f16: "at least single
/// precision"; "specified precision" for bf16 and tf32) but leaves the
/// accumulation order, the intermediate rounding and the handling of
/// subnormal inputs unspecified (9.7.14.5.14, "Precision and rounding"). The
/// emulator forms every product exactly (f16, bf16 and tf32 significands have
/// at most 11 bits, so a product has at most 22 and is exact in double, range
/// included), adds the products and C in double in k order, and rounds once to
/// f32 (round to nearest even). Subnormal inputs are used as they are, never
/// flushed. A GPU may round intermediate sums differently, so results agree
/// with hardware to within the accumulation error of f32, not bit for bit;
/// the order-independent exact cases (sums exactly representable in f32) agree
/// exactly.
template <int M, int N, int K>
void multiplyAccumulate(const double (&a)[M][K], const double (&b)[K][N],
                        const float (&c)[M][N], uint32_t (&d)[M][N]) {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      double sum = c[i][j];
      for (int k = 0; k < K; ++k)
        sum += a[i][k] * b[k][j];
      d[i][j] = roundToF32(sum);
    }
}

// Accumulator layout shared by all three shapes (C and D, .f32 or .s32):
//   row = groupID for c0, c1; groupID + 8 for c2, c3
//   col = threadID_in_group * 2 + (i & 1)
int accumulatorRow(unsigned lane, int i) {
  return (lane >> 2) + (i < 2 ? 0 : 8);
}
int accumulatorCol(unsigned lane, int i) { return (lane % 4) * 2 + (i & 1); }

/// C from each lane's in[6..9], through `convert` (f32 or s32 bits).
template <typename T, typename Convert>
void gatherAccumulator(const WarpRequest *requests, T (&c)[16][8],
                       Convert convert) {
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    for (int i = 0; i < 4; ++i)
      c[accumulatorRow(lane, i)][accumulatorCol(lane, i)] =
          convert(requests[lane].in[6 + i]);
}

/// D into each lane's out[0..3].
void scatterAccumulator(const uint32_t (&d)[16][8], WarpReply *replies) {
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    for (int i = 0; i < 4; ++i)
      replies[lane].out[i] =
          d[accumulatorRow(lane, i)][accumulatorCol(lane, i)];
}

/// mma.sync.aligned.m16n8k16.row.col.f32.{f16,bf16}.{f16,bf16}.f32
/// (fragments: 9.7.14.5.8).
void mmaM16N8K16(const WarpRequest *requests, WarpReply *replies,
                 double (*decode)(uint16_t)) {
  double a[16][16], b[16][8];
  float c[16][8];
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    const uint32_t *in = requests[lane].in;
    int groupID = lane >> 2, threadInGroup = lane % 4;
    // A: four .f16x2 registers holding a0..a7, low to high.
    for (int i = 0; i < 8; ++i) {
      int row = (i < 2 || (i >= 4 && i < 6)) ? groupID : groupID + 8;
      int col = threadInGroup * 2 + (i & 1) + (i < 4 ? 0 : 8);
      a[row][col] = decode(half16(in[i / 2], i % 2));
    }
    // B: two .f16x2 registers holding b0..b3.
    for (int i = 0; i < 4; ++i) {
      int row = threadInGroup * 2 + (i & 1) + (i < 2 ? 0 : 8);
      b[row][groupID] = decode(half16(in[4 + i / 2], i % 2));
    }
  }
  gatherAccumulator(requests, c, floatFromBits);
  uint32_t d[16][8];
  multiplyAccumulate(a, b, c, d);
  scatterAccumulator(d, replies);
}

/// mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 (fragments: 9.7.14.5.7).
void mmaM16N8K8Tf32(const WarpRequest *requests, WarpReply *replies) {
  double a[16][8], b[8][8];
  float c[16][8];
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    const uint32_t *in = requests[lane].in;
    int groupID = lane >> 2, threadInGroup = lane % 4;
    // A: four .b32 registers a0..a3; rows groupID (a0, a2) / +8 (a1, a3),
    // columns threadID_in_group (a0, a1) / +4 (a2, a3).
    for (int i = 0; i < 4; ++i) {
      int row = groupID + (i % 2 ? 8 : 0);
      int col = threadInGroup + (i < 2 ? 0 : 4);
      a[row][col] = decodeTf32(in[i]);
    }
    // B: b0 at row threadID_in_group, b1 at row threadID_in_group + 4.
    b[threadInGroup][groupID] = decodeTf32(in[4]);
    b[threadInGroup + 4][groupID] = decodeTf32(in[5]);
  }
  gatherAccumulator(requests, c, floatFromBits);
  uint32_t d[16][8];
  multiplyAccumulate(a, b, c, d);
  scatterAccumulator(d, replies);
}

/// mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 (fragments: 9.7.14.5.10).
///
/// Without .satfinite the ISA says "the accumulated value is wrapped"
/// (9.7.14.5.14, "Integer operations"; likewise wmma.mma: "if the
/// accumulation would overflow, the value wraps"). The exact sum is formed in
/// 64 bits (|A*B| <= 32 * 128 * 128) and wrapped to 32 bits once; wrapping is
/// arithmetic modulo 2^32, so this equals any order of wrapped partial sums.
void mmaM16N8K32S8(const WarpRequest *requests, WarpReply *replies) {
  int a[16][32], b[32][8];
  int32_t c[16][8];
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    const uint32_t *in = requests[lane].in;
    int groupID = lane >> 2, threadInGroup = lane % 4;
    // A: four .b32 registers holding a0..a15, four per register, low first.
    for (int i = 0; i < 16; ++i) {
      int row = (i < 4 || (i >= 8 && i < 12)) ? groupID : groupID + 8;
      int col = threadInGroup * 4 + (i & 3) + (i < 8 ? 0 : 16);
      a[row][col] = byte8(in[i / 4], i % 4);
    }
    // B: two .b32 registers holding b0..b7.
    for (int i = 0; i < 8; ++i) {
      int row = threadInGroup * 4 + (i & 3) + (i < 4 ? 0 : 16);
      b[row][groupID] = byte8(in[4 + i / 4], i % 4);
    }
  }
  gatherAccumulator(requests, c,
                    [](uint32_t bits) { return static_cast<int32_t>(bits); });
  uint32_t d[16][8];
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 8; ++j) {
      int64_t sum = c[i][j];
      for (int k = 0; k < 32; ++k)
        sum += a[i][k] * b[k][j];
      d[i][j] = static_cast<uint32_t>(static_cast<uint64_t>(sum));
    }
  scatterAccumulator(d, replies);
}

/// ldmatrix.sync.aligned.m8n8.x{1,2,4}{.trans}.shared.b16 (9.7.14.5.15).
///
/// Lanes 8m..8m+7 give the row addresses of matrix m (on sm_80 and later the
/// other lanes' addresses are not used, so they are not checked). Each row is
/// 8 elements of 16 bits, 16 bytes that must be naturally aligned. Lane l
/// receives, in register m, the elements (row l/4, columns 2*(l%4) and
/// 2*(l%4)+1) of matrix m, low half first; .trans loads the matrix in
/// column-major order, i.e. the same fragment of the transposed matrix:
/// elements (rows 2*(l%4) and 2*(l%4)+1, column l/4).
std::string ldmatrix(const WarpRequest *requests, WarpReply *replies,
                     SharedReader &shared) {
  const WarpRequest &lead = requests[0];
  unsigned count = lead.imm[0];
  bool transposed = lead.imm[1] != 0;
  uint16_t matrices[4][8][8];
  for (unsigned matrix = 0; matrix < count; ++matrix)
    for (unsigned row = 0; row < 8; ++row) {
      unsigned lane = matrix * 8 + row;
      const WarpRequest &request = requests[lane];
      uint32_t address = request.in[0];
      if (address % 16 != 0)
        return format("%s: the row address of lane %u (shared byte %u) is not "
                      "16-byte aligned (each 16-byte row must be naturally "
                      "aligned)",
                      describeWarpOp(lead).c_str(), lane, address);
      // Element order in memory is the GPU's little-endian one, as on every
      // host the emulator runs on.
      std::string error = shared.read(lane, address, request.in[1],
                                      request.in[2], matrices[matrix][row], 16);
      if (!error.empty())
        return format("%s: row %u of matrix %u (address from lane %u): %s",
                      describeWarpOp(lead).c_str(), row, matrix, lane,
                      error.c_str());
    }
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    unsigned groupID = lane >> 2, threadInGroup = lane % 4;
    for (unsigned matrix = 0; matrix < count; ++matrix) {
      const uint16_t(&m)[8][8] = matrices[matrix];
      uint16_t low = transposed ? m[threadInGroup * 2][groupID]
                                : m[groupID][threadInGroup * 2];
      uint16_t high = transposed ? m[threadInGroup * 2 + 1][groupID]
                                 : m[groupID][threadInGroup * 2 + 1];
      replies[lane].out[matrix] = low | (static_cast<uint32_t>(high) << 16);
    }
  }
  return "";
}

/// shfl.sync.{idx,up,down,bfly}.b32 (9.7.9.6): the ISA's pseudo-code, per
/// lane, with b = imm[0] and c = imm[1] of that lane's request.
std::string shuffle(const WarpRequest *requests, WarpReply *replies,
                    uint32_t participants, uint32_t existingLanes,
                    uint32_t mask) {
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    if (!hasLane(participants, lane))
      continue;
    const WarpRequest &request = requests[lane];
    int self = static_cast<int>(lane);
    int bval = request.imm[0] & 0x1f;           // b[4:0]
    int cval = request.imm[1] & 0x1f;           // c[4:0]: clamp value
    int segmask = (request.imm[1] >> 8) & 0x1f; // c[12:8]
    int maxLane = (self & segmask) | (cval & ~segmask);
    int minLane = self & segmask;
    int j;
    bool pval;
    switch (request.op) {
    case WarpOp::ShflUp:
      j = self - bval;
      pval = j >= maxLane;
      break;
    case WarpOp::ShflDown:
      j = self + bval;
      pval = j <= maxLane;
      break;
    case WarpOp::ShflBfly:
      j = self ^ bval;
      pval = j <= maxLane;
      break;
    default: // ShflIdx
      j = minLane | (bval & ~segmask);
      pval = j <= maxLane;
      break;
    }
    if (!pval)
      j = self;
    // "Results are undefined if a thread sources a register from an inactive
    // thread or a thread that is not in membermask."
    if (j != self) {
      unsigned source = static_cast<unsigned>(j);
      if (!hasLane(mask, source))
        return format("lane %u reads lane %u with %s, but lane %u is outside "
                      "the member mask 0x%08x (the value read is undefined)",
                      lane, source, describeWarpOp(request).c_str(), source,
                      mask);
      if (!hasLane(existingLanes, source))
        return format("lane %u reads lane %u with %s, but the warp has no lane "
                      "%u (the block's thread count is not a multiple of 32; "
                      "the value read is undefined)",
                      lane, source, describeWarpOp(request).c_str(), source);
      if (!hasLane(participants, source))
        return format("lane %u reads lane %u with %s, but lane %u has exited "
                      "(the value read is undefined)",
                      lane, source, describeWarpOp(request).c_str(), source);
    }
    replies[lane].out[0] = requests[j].in[0];
    replies[lane].out[1] = pval ? 1 : 0;
  }
  return "";
}

/// vote.sync (9.7.13.9): reductions over the non-exited threads of the member
/// mask, i.e. the participants; in a ballot, threads outside the mask (and
/// exited ones, which are inactive) contribute 0.
void vote(const WarpRequest *requests, WarpReply *replies,
          uint32_t participants) {
  uint32_t ballot = 0;
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    if (hasLane(participants, lane) && requests[lane].in[0] != 0)
      ballot |= 1u << lane;
  uint32_t result = 0;
  switch (requests[__builtin_ctz(participants)].op) {
  case WarpOp::VoteAll:
    result = ballot == participants;
    break;
  case WarpOp::VoteAny:
    result = ballot != 0;
    break;
  case WarpOp::VoteUni:
    result = ballot == 0 || ballot == participants;
    break;
  default: // Ballot
    result = ballot;
    break;
  }
  for (unsigned lane = 0; lane < kWarpSize; ++lane)
    if (hasLane(participants, lane))
      replies[lane].out[0] = result;
}

} // namespace

std::string describeWarpOp(const WarpRequest &request) {
  switch (request.op) {
  case WarpOp::SyncWarp:
    return "bar.warp.sync (__syncwarp)";
  case WarpOp::ShflIdx:
    return "shfl.sync.idx.b32 (__shfl_sync)";
  case WarpOp::ShflUp:
    return "shfl.sync.up.b32 (__shfl_up_sync)";
  case WarpOp::ShflDown:
    return "shfl.sync.down.b32 (__shfl_down_sync)";
  case WarpOp::ShflBfly:
    return "shfl.sync.bfly.b32 (__shfl_xor_sync)";
  case WarpOp::VoteAll:
    return "vote.sync.all.pred (__all_sync)";
  case WarpOp::VoteAny:
    return "vote.sync.any.pred (__any_sync)";
  case WarpOp::VoteUni:
    return "vote.sync.uni.pred (__uni_sync)";
  case WarpOp::Ballot:
    return "vote.sync.ballot.b32 (__ballot_sync)";
  case WarpOp::MmaF16F32:
    return "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
           "(deconv_mma_m16n8k16_f16)";
  case WarpOp::MmaBf16F32:
    return "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "
           "(deconv_mma_m16n8k16_bf16)";
  case WarpOp::MmaTf32F32:
    return "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 "
           "(deconv_mma_m16n8k8_tf32)";
  case WarpOp::MmaS8S32:
    return "mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 "
           "(deconv_mma_m16n8k32_s8)";
  case WarpOp::LdMatrix: {
    const char *trans = request.imm[1] ? ".trans" : "";
    return format("ldmatrix.sync.aligned.m8n8.x%u%s.shared.b16 "
                  "(deconv_ldmatrix_x%u%s)",
                  request.imm[0], trans, request.imm[0],
                  request.imm[1] ? "_trans" : "");
  }
  }
  return format("unknown warp-wide operation %u",
                static_cast<uint32_t>(request.op));
}

std::string computeWarpOp(const WarpRequest *requests, WarpReply *replies,
                          uint32_t participants, uint32_t existingLanes,
                          SharedReader &shared) {
  if (participants == 0)
    return "a warp-wide operation was computed for no lane";
  if (participants & ~existingLanes)
    return format("lanes 0x%08x take part in a warp-wide operation, but the "
                  "warp has only lanes 0x%08x",
                  participants, existingLanes);

  unsigned first = __builtin_ctz(participants);
  const WarpRequest &lead = requests[first];
  if (!isKnown(lead.op))
    return format("lane %u executes %s", first, describeWarpOp(lead).c_str());
  // The ISA: every thread an instruction waits for executes that instruction
  // "with the same qualifiers" (shfl.sync, vote.sync; mma and ldmatrix:
  // "all threads in the warp must execute the same ... instruction").
  for (unsigned lane = first + 1; lane < kWarpSize; ++lane)
    if (hasLane(participants, lane) && requests[lane].op != lead.op)
      return format("lanes %u and %u meet at different warp-wide "
                    "instructions: %s and %s (the threads an instruction "
                    "synchronizes must all execute it)",
                    first, lane, describeWarpOp(lead).c_str(),
                    describeWarpOp(requests[lane]).c_str());

  if (isAligned(lead.op)) {
    std::string name = describeWarpOp(lead);
    // "The mandatory .aligned qualifier indicates that all threads in the
    // warp must execute the same instruction"; behavior is undefined "if any
    // thread in the warp has exited".
    if (existingLanes != kAllLanes)
      return format("%s is .aligned, so all 32 lanes of the warp must execute "
                    "it, but this warp has only %d lanes (the block's thread "
                    "count is not a multiple of 32)",
                    name.c_str(), __builtin_popcount(existingLanes));
    if (participants != kAllLanes)
      return format("%s is .aligned, so all 32 lanes of the warp must execute "
                    "it, but lanes 0x%08x did not reach it (they diverged or "
                    "exited)",
                    name.c_str(), ~participants);
    if (lead.op == WarpOp::LdMatrix) {
      for (unsigned lane = 1; lane < kWarpSize; ++lane)
        if (requests[lane].imm[0] != lead.imm[0] ||
            requests[lane].imm[1] != lead.imm[1])
          return format("lanes 0 and %u execute ldmatrix with different "
                        "qualifiers: %s and %s",
                        lane, name.c_str(),
                        describeWarpOp(requests[lane]).c_str());
      if (lead.imm[0] != 1 && lead.imm[0] != 2 && lead.imm[0] != 4)
        return format("%s: .x%u is not a matrix count of ldmatrix (.x1, .x2 "
                      "or .x4)",
                      name.c_str(), lead.imm[0]);
      if (lead.imm[1] > 1)
        return format("%s: the .trans flag is %u (0 or 1)", name.c_str(),
                      lead.imm[1]);
    }
    switch (lead.op) {
    case WarpOp::MmaF16F32:
      mmaM16N8K16(requests, replies, decodeF16);
      return "";
    case WarpOp::MmaBf16F32:
      mmaM16N8K16(requests, replies, decodeBf16);
      return "";
    case WarpOp::MmaTf32F32:
      mmaM16N8K8Tf32(requests, replies);
      return "";
    case WarpOp::MmaS8S32:
      mmaM16N8K32S8(requests, replies);
      return "";
    default:
      return ldmatrix(requests, replies, shared);
    }
  }

  // Member-mask instructions: bar.warp.sync, shfl.sync, vote.sync. Their
  // behavior "is undefined if the executing thread is not in the membermask",
  // and every thread they wait for passes "the same membermask value".
  for (unsigned lane = first; lane < kWarpSize; ++lane)
    if (hasLane(participants, lane) && !hasLane(requests[lane].mask, lane))
      return format("lane %u executes %s with member mask 0x%08x, which does "
                    "not include the lane itself",
                    lane, describeWarpOp(requests[lane]).c_str(),
                    requests[lane].mask);
  for (unsigned lane = first + 1; lane < kWarpSize; ++lane)
    if (hasLane(participants, lane) && requests[lane].mask != lead.mask)
      return format("lanes %u and %u execute %s with different member masks "
                    "(0x%08x and 0x%08x); every thread named in a member mask "
                    "must pass that same mask",
                    first, lane, describeWarpOp(lead).c_str(), lead.mask,
                    requests[lane].mask);

  switch (lead.op) {
  case WarpOp::SyncWarp:
    return "";
  case WarpOp::ShflIdx:
  case WarpOp::ShflUp:
  case WarpOp::ShflDown:
  case WarpOp::ShflBfly:
    return shuffle(requests, replies, participants, existingLanes, lead.mask);
  default:
    vote(requests, replies, participants);
    return "";
  }
}

} // namespace deconv::emulator
