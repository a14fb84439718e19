//===- WarpOps.h - warp-wide instructions of the host emulator --*- C++ -*-===//
//
// The emulator runs each CUDA thread of a block as a fiber; a warp-wide
// instruction (shfl.sync, vote.sync, bar.warp.sync, mma.sync, ldmatrix) is
// executed once for the whole warp when its lanes have arrived. This file
// computes that step: every lane's reply from every lane's request, exactly as
// the PTX ISA defines the instruction (fragment layouts, shuffle clamping,
// vote reductions), and reports the rules a kernel breaks (lanes that disagree
// on the instruction or the member mask, an `.aligned` instruction reached by
// part of a warp, a shuffle reading a lane outside its member mask, ...).
//
// The scheduler that collects the lanes lives elsewhere; this file knows
// nothing of fibers, only of deconv_emu::WarpRequest and WarpReply.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_LIB_EMULATOR_WARPOPS_H
#define DECONV_RUNTIME_LIB_EMULATOR_WARPOPS_H

#include "deconv_emulator_abi.h"

#include <cstdint>
#include <string>

namespace deconv::emulator {

/// Reads shared memory for lane `lane` on behalf of a warp-wide instruction
/// (ldmatrix) with the emulator's checks (bounds [begin, end) of the shared
/// array, initialization, races). Returns "" or a one-line error message.
class SharedReader {
public:
  virtual ~SharedReader() = default;
  virtual std::string read(unsigned lane, uint32_t offset, uint32_t begin,
                           uint32_t end, void *out, uint32_t bytes) = 0;
};

/// Computes one warp-wide operation for the lanes in `participants` (bit l =
/// lane l), given each participating lane's request; fills each participating
/// lane's reply. `existingLanes` are the lanes the warp has (a block whose
/// size is not a multiple of 32 has a partial last warp). Returns "" or a
/// one-line error naming the rule broken (lanes disagree on the op or the
/// member mask, an `.aligned` instruction such as mma.sync/ldmatrix reached by
/// fewer than all 32 lanes, a shuffle source lane outside the member mask, an
/// ldmatrix row address not 16-byte aligned, ...).
///
/// Lanes of `existingLanes` named by the member mask but absent from
/// `participants` are taken to have exited: the PTX ISA lets shfl.sync,
/// vote.sync and bar.warp.sync proceed without them, but a shuffle that reads
/// one is an error, and they contribute nothing to a vote.
std::string computeWarpOp(const deconv_emu::WarpRequest *requests /*[32]*/,
                          deconv_emu::WarpReply *replies /*[32]*/,
                          uint32_t participants, uint32_t existingLanes,
                          SharedReader &shared);

/// The instruction `request` stands for, in PTX and CUDA terms, for messages
/// (e.g. "shfl.sync.bfly.b32 (__shfl_xor_sync)").
std::string describeWarpOp(const deconv_emu::WarpRequest &request);

} // namespace deconv::emulator

#endif // DECONV_RUNTIME_LIB_EMULATOR_WARPOPS_H
