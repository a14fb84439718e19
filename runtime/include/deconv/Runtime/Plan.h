//===- Plan.h - compiled plans ----------------------------------*- C++ -*-===//
//
// A plan is what the compiler hands the runtime: buffers, kernels (CUDA
// source, and CUBINs for the architectures named at compile time) and the
// steps that launch them, with no MLIR. Sizes that depend on the inputs'
// dynamic sizes are size expressions (SizeExpression.h) over the names
// IN<i>_D<d> (input i, dimension d); static sizes are literals.
//
// File format (version 3): "DECONV-PLAN\n", the version (u32), the SHA-256 of
// the payload (64 hex digits), the payload's length (u64), the payload.
// Integers are little-endian; strings and lists carry a u64 length. Loading
// checks everything: a truncated, corrupt or inconsistent plan is a one-line
// error, never a crash.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_PLAN_H
#define DECONV_RUNTIME_PLAN_H

#include "deconv/Runtime/HostTensor.h"
#include "deconv/Runtime/Status.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace deconv {

inline constexpr uint32_t kPlanFormatVersion = 3;

/// An input of the planned function: "?" marks a dynamic size.
struct PlanTensor {
  ElementType type = ElementType::F32;
  std::vector<std::string> shape;
};

struct PlanBuffer {
  /// A splat is a constant whose elements are all one value: the plan holds
  /// that value only, however large the tensor (the runtime fills it).
  enum class Kind : uint8_t {
    Input = 0,
    Constant = 1,
    Intermediate = 2,
    Splat = 3
  };
  Kind kind = Kind::Intermediate;
  ElementType type = ElementType::F32;
  /// One size expression per dimension.
  std::vector<std::string> shape;
  /// Kind::Input: which input the buffer holds.
  uint32_t input = 0;
  /// Kind::Constant: its bytes, row-major (its shape is static);
  /// Kind::Splat: the bytes of its one value.
  std::string data;
};

struct PlanKernel {
  std::string name;
  /// CUDA C++ written against "deconv_device.h" (the runtime supplies it).
  std::string source;
  /// The kernel strategy that emitted it ("direct", "transpose", ...).
  std::string strategy;
  /// How the strategy configured it (tile and instructions), or empty.
  std::string configuration;
  /// Threads a block (x, y, z).
  std::array<uint32_t, 3> block = {256, 1, 1};
  /// Blocks a grid (x, y, z): size expressions over the macros' names.
  std::array<std::string, 3> grid = {"1", "1", "1"};
  /// Dynamic shared memory in bytes: a size expression over the macros.
  std::string sharedBytes = "0";
  /// Macros the source needs (-DNAME=value), each value a size expression.
  std::vector<std::pair<std::string, std::string>> macros;
  /// (architecture, CUBIN) compiled ahead of time; only kernels without
  /// macros can be.
  std::vector<std::pair<std::string, std::string>> cubins;
};

/// Launches `kernel` with the device addresses of `buffers`, in order. An op
/// whose strategy emits several kernels takes several steps.
struct PlanStep {
  uint32_t kernel = 0;
  std::vector<uint32_t> buffers;
};

/// A result: a buffer seen with its own shape (a reshape of the buffer's).
struct PlanOutput {
  uint32_t buffer = 0;
  std::vector<std::string> shape;
};

struct Plan {
  std::string function;
  std::vector<PlanTensor> inputs;
  std::vector<PlanBuffer> buffers;
  std::vector<PlanKernel> kernels;
  std::vector<PlanStep> steps;
  std::vector<PlanOutput> outputs;
};

std::string serializePlan(const Plan &plan);
StatusOr<Plan> parsePlan(std::string_view bytes);

/// Writes through a temporary file and a rename.
Status writePlanFile(const std::string &path, const Plan &plan);
StatusOr<Plan> readPlanFile(const std::string &path);

/// A readable summary: inputs, buffers, kernels (with their macros and
/// CUBINs), steps and outputs, one per line.
std::string describePlan(const Plan &plan);

/// A plan's sizes for one set of concrete inputs.
struct PlanBinding {
  /// IN<i>_D<d>: size d of input i.
  std::map<std::string, int64_t> sizes;
  /// The shape of every output.
  std::vector<std::vector<int64_t>> outputShapes;
};

/// Checks concrete inputs against the plan's element types, ranks and static
/// sizes (sizes must be >= 1), binds their sizes and computes the outputs'
/// shapes; an output size below 1 (inputs too small for the graph) is an
/// error naming the output.
StatusOr<PlanBinding> bindPlan(const Plan &plan,
                               const std::vector<TensorShape> &inputs);

/// Whether `bytes` start like a plan (to tell plans from .mlir files).
bool looksLikePlan(std::string_view bytes);

} // namespace deconv

#endif // DECONV_RUNTIME_PLAN_H
