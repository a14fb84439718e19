//===- Plan.cpp - compiled plans ------------------------------------------===//

#include "deconv/Runtime/Plan.h"

#include "deconv/Runtime/FileIO.h"
#include "deconv/Runtime/Sha256.h"
#include "deconv/Runtime/SizeExpression.h"

#include <sstream>

using namespace deconv;

namespace {

constexpr std::string_view kMagic = "DECONV-PLAN\n";

class Writer {
public:
  void u8(uint8_t value) { bytes += static_cast<char>(value); }
  void u32(uint32_t value) {
    for (int i = 0; i < 4; ++i)
      u8(static_cast<uint8_t>(value >> (8 * i)));
  }
  void u64(uint64_t value) {
    for (int i = 0; i < 8; ++i)
      u8(static_cast<uint8_t>(value >> (8 * i)));
  }
  void string(std::string_view value) {
    u64(value.size());
    bytes += value;
  }
  void strings(const std::vector<std::string> &values) {
    u64(values.size());
    for (const std::string &value : values)
      string(value);
  }
  void pairs(const std::vector<std::pair<std::string, std::string>> &values) {
    u64(values.size());
    for (const auto &[first, second] : values) {
      string(first);
      string(second);
    }
  }
  std::string bytes;
};

/// Reads with bounds checks; the first failure sticks and is reported once.
class Reader {
public:
  explicit Reader(std::string_view bytes) : bytes(bytes) {}

  bool ok() const { return error.empty(); }
  const std::string &getError() const { return error; }
  bool atEnd() const { return pos == bytes.size(); }

  uint8_t u8() {
    if (!take(1))
      return 0;
    return static_cast<uint8_t>(bytes[pos - 1]);
  }
  uint32_t u32() {
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i)
      value |= static_cast<uint32_t>(u8()) << (8 * i);
    return value;
  }
  uint64_t u64() {
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i)
      value |= static_cast<uint64_t>(u8()) << (8 * i);
    return value;
  }
  std::string string() {
    uint64_t size = u64();
    if (!take(size))
      return "";
    return std::string(bytes.substr(pos - size, size));
  }
  /// A count of items that each take at least `minimumBytes`: a corrupt
  /// count cannot make us allocate more than the plan could hold.
  uint64_t count(uint64_t minimumBytes) {
    uint64_t value = u64();
    if (ok() && value > (bytes.size() - pos) / minimumBytes)
      fail("truncated plan (a list claims " + std::to_string(value) +
           " entries)");
    return ok() ? value : 0;
  }
  std::vector<std::string> strings() {
    std::vector<std::string> values(count(8));
    for (std::string &value : values)
      value = string();
    return values;
  }
  std::vector<std::pair<std::string, std::string>> pairs() {
    std::vector<std::pair<std::string, std::string>> values(count(16));
    for (auto &[first, second] : values) {
      first = string();
      second = string();
    }
    return values;
  }
  void fail(const std::string &message) {
    if (error.empty())
      error = message;
  }

private:
  bool take(uint64_t size) {
    if (!ok())
      return false;
    if (size > bytes.size() - pos) {
      fail("truncated plan");
      return false;
    }
    pos += size;
    return true;
  }

  std::string_view bytes;
  size_t pos = 0;
  std::string error;
};

void writeTensor(Writer &out, ElementType type,
                 const std::vector<std::string> &shape) {
  out.u8(static_cast<uint8_t>(type));
  out.strings(shape);
}

ElementType readElementType(Reader &in) {
  uint8_t value = in.u8();
  if (value > static_cast<uint8_t>(ElementType::U8))
    in.fail("corrupt plan: element type " + std::to_string(value));
  return static_cast<ElementType>(value);
}

/// Cross-references and constant sizes.
Status validate(const Plan &plan) {
  auto bad = [](const std::string &message) {
    return Status::error("inconsistent plan: " + message);
  };
  // An input's dimension is "?" or a size of at most 18 digits, without
  // leading zeros.
  for (size_t i = 0; i < plan.inputs.size(); ++i)
    for (const std::string &size : plan.inputs[i].shape)
      if (size != "?" &&
          (size.empty() || size.size() > 18 ||
           (size[0] == '0' && size.size() > 1) ||
           size.find_first_not_of("0123456789") != std::string::npos))
        return bad("input " + std::to_string(i) + " has dimension '" + size +
                   "' (neither '?' nor a size)");
  for (size_t index = 0; index < plan.buffers.size(); ++index) {
    const PlanBuffer *buffer = &plan.buffers[index];
    std::string which = "buffer " + std::to_string(index);
    if (buffer->kind == PlanBuffer::Kind::Input &&
        buffer->input >= plan.inputs.size())
      return bad(which + " holds input " + std::to_string(buffer->input) +
                 " of " + std::to_string(plan.inputs.size()));
    if (buffer->kind == PlanBuffer::Kind::Constant ||
        buffer->kind == PlanBuffer::Kind::Splat) {
      int64_t elements = 1;
      for (const std::string &size : buffer->shape) {
        StatusOr<int64_t> value = evaluateSizeExpression(size, {});
        if (!value || *value < 0)
          return bad(which + " is a constant of non-static size '" + size +
                     "'");
        if (__builtin_mul_overflow(elements, *value, &elements))
          return bad(which + " is a constant of more than 2^63 bytes");
      }
      int64_t bytes = 0;
      if (__builtin_mul_overflow(
              elements, static_cast<int64_t>(getElementSize(buffer->type)),
              &bytes))
        return bad(which + " is a constant of more than 2^63 bytes");
      if (buffer->kind == PlanBuffer::Kind::Splat &&
          buffer->data.size() != getElementSize(buffer->type))
        return bad(which + " is a splat of " +
                   std::to_string(buffer->data.size()) + " bytes, not one " +
                   std::to_string(getElementSize(buffer->type)) +
                   "-byte value");
      if (buffer->kind == PlanBuffer::Kind::Constant &&
          static_cast<uint64_t>(bytes) != buffer->data.size())
        return bad(which + " holds " + std::to_string(buffer->data.size()) +
                   " bytes for " + std::to_string(elements) + " elements");
    }
  }
  for (size_t s = 0; s < plan.steps.size(); ++s) {
    const PlanStep &step = plan.steps[s];
    if (step.kernel >= plan.kernels.size())
      return bad("step " + std::to_string(s) + " names kernel " +
                 std::to_string(step.kernel) + " of " +
                 std::to_string(plan.kernels.size()));
    for (uint32_t buffer : step.buffers)
      if (buffer >= plan.buffers.size())
        return bad("step " + std::to_string(s) + " names buffer " +
                   std::to_string(buffer) + " of " +
                   std::to_string(plan.buffers.size()));
  }
  for (const PlanOutput &output : plan.outputs)
    if (output.buffer >= plan.buffers.size())
      return bad("an output names buffer " + std::to_string(output.buffer) +
                 " of " + std::to_string(plan.buffers.size()));
  return Status::ok();
}

} // namespace

std::string deconv::serializePlan(const Plan &plan) {
  Writer out;
  out.string(plan.function);
  out.u64(plan.inputs.size());
  for (const PlanTensor &input : plan.inputs)
    writeTensor(out, input.type, input.shape);
  out.u64(plan.buffers.size());
  for (const PlanBuffer &buffer : plan.buffers) {
    out.u8(static_cast<uint8_t>(buffer.kind));
    writeTensor(out, buffer.type, buffer.shape);
    out.u32(buffer.input);
    out.string(buffer.data);
  }
  out.u64(plan.kernels.size());
  for (const PlanKernel &kernel : plan.kernels) {
    out.string(kernel.name);
    out.string(kernel.source);
    out.string(kernel.strategy);
    out.string(kernel.configuration);
    for (uint32_t size : kernel.block)
      out.u32(size);
    for (const std::string &size : kernel.grid)
      out.string(size);
    out.string(kernel.sharedBytes);
    out.pairs(kernel.macros);
    out.pairs(kernel.cubins);
  }
  out.u64(plan.steps.size());
  for (const PlanStep &step : plan.steps) {
    out.u32(step.kernel);
    out.u64(step.buffers.size());
    for (uint32_t buffer : step.buffers)
      out.u32(buffer);
  }
  out.u64(plan.outputs.size());
  for (const PlanOutput &output : plan.outputs) {
    out.u32(output.buffer);
    out.strings(output.shape);
  }

  Writer file;
  file.bytes = kMagic;
  file.u32(kPlanFormatVersion);
  file.bytes += sha256Hex(out.bytes);
  file.u64(out.bytes.size());
  return file.bytes + out.bytes;
}

std::string deconv::describePlan(const Plan &plan) {
  auto shapeText = [](const std::vector<std::string> &shape, ElementType type) {
    std::string text;
    for (const std::string &size : shape)
      text += (size.find_first_not_of("0123456789?") == std::string::npos
                   ? size
                   : "(" + size + ")") +
              "x";
    return text + std::string(getElementTypeName(type));
  };
  std::ostringstream out;
  out << "plan @" << plan.function << " (format " << kPlanFormatVersion
      << ")\n";
  for (size_t i = 0; i < plan.inputs.size(); ++i)
    out << "input " << i << ": "
        << shapeText(plan.inputs[i].shape, plan.inputs[i].type) << "\n";
  const char *kinds[] = {"input", "constant", "intermediate", "splat constant"};
  for (size_t i = 0; i < plan.buffers.size(); ++i) {
    const PlanBuffer &buffer = plan.buffers[i];
    out << "buffer " << i << ": " << kinds[static_cast<int>(buffer.kind)];
    if (buffer.kind == PlanBuffer::Kind::Input)
      out << " " << buffer.input;
    out << ", " << shapeText(buffer.shape, buffer.type);
    if (buffer.kind == PlanBuffer::Kind::Constant)
      out << " (" << buffer.data.size() << " bytes)";
    if (buffer.kind == PlanBuffer::Kind::Splat)
      out << " (one value)";
    out << "\n";
  }
  for (size_t i = 0; i < plan.kernels.size(); ++i) {
    const PlanKernel &kernel = plan.kernels[i];
    out << "kernel " << i << ": " << kernel.name
        << " (strategy: " << kernel.strategy
        << (kernel.configuration.empty() ? "" : ", " + kernel.configuration)
        << "), grid (" << kernel.grid[0] << ") x (" << kernel.grid[1] << ") x ("
        << kernel.grid[2] << "), block " << kernel.block[0] << "x"
        << kernel.block[1] << "x" << kernel.block[2] << ", "
        << kernel.sharedBytes << " bytes of dynamic shared memory";
    for (const auto &[macro, value] : kernel.macros)
      out << ", " << macro << " = " << value;
    for (const auto &[arch, cubin] : kernel.cubins)
      out << ", CUBIN " << arch << " (" << cubin.size() << " bytes)";
    out << "\n";
  }
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    out << "step " << i << ": kernel " << plan.steps[i].kernel << " on buffers";
    for (uint32_t buffer : plan.steps[i].buffers)
      out << " " << buffer;
    out << "\n";
  }
  for (size_t i = 0; i < plan.outputs.size(); ++i) {
    const PlanOutput &output = plan.outputs[i];
    out << "output " << i << ": buffer " << output.buffer << " as "
        << shapeText(output.shape, plan.buffers[output.buffer].type) << "\n";
  }
  return out.str();
}

bool deconv::looksLikePlan(std::string_view bytes) {
  return bytes.substr(0, kMagic.size()) == kMagic;
}

StatusOr<Plan> deconv::parsePlan(std::string_view bytes) {
  if (!looksLikePlan(bytes))
    return Status::error("not a deconv plan (no DECONV-PLAN header)");
  Reader header(bytes.substr(kMagic.size()));
  uint32_t version = header.u32();
  std::string digest =
      header.ok() ? std::string(bytes.substr(kMagic.size() + 4, 64)) : "";
  if (!header.ok() || bytes.size() < kMagic.size() + 4 + 64 + 8)
    return Status::error("truncated plan");
  if (version != kPlanFormatVersion)
    return Status::error("unsupported plan version " + std::to_string(version) +
                         " (this runtime reads " +
                         std::to_string(kPlanFormatVersion) + ")");
  Reader length(bytes.substr(kMagic.size() + 4 + 64, 8));
  uint64_t size = length.u64();
  std::string_view payload = bytes.substr(kMagic.size() + 4 + 64 + 8);
  if (payload.size() < size)
    return Status::error("truncated plan (" + std::to_string(payload.size()) +
                         " of " + std::to_string(size) + " payload bytes)");
  if (payload.size() > size)
    return Status::error(
        "corrupt plan: " + std::to_string(payload.size() - size) +
        " bytes after the payload");
  if (sha256Hex(payload) != digest)
    return Status::error("corrupt plan: checksum mismatch");

  Reader in(payload);
  Plan plan;
  plan.function = in.string();
  plan.inputs.resize(in.count(9));
  for (PlanTensor &input : plan.inputs) {
    input.type = readElementType(in);
    input.shape = in.strings();
  }
  plan.buffers.resize(in.count(30));
  for (PlanBuffer &buffer : plan.buffers) {
    uint8_t kind = in.u8();
    if (kind > static_cast<uint8_t>(PlanBuffer::Kind::Splat))
      in.fail("corrupt plan: buffer kind " + std::to_string(kind));
    buffer.kind = static_cast<PlanBuffer::Kind>(kind);
    buffer.type = readElementType(in);
    buffer.shape = in.strings();
    buffer.input = in.u32();
    buffer.data = in.string();
  }
  plan.kernels.resize(in.count(92));
  for (PlanKernel &kernel : plan.kernels) {
    kernel.name = in.string();
    kernel.source = in.string();
    kernel.strategy = in.string();
    kernel.configuration = in.string();
    for (uint32_t &size : kernel.block)
      size = in.u32();
    for (std::string &size : kernel.grid)
      size = in.string();
    kernel.sharedBytes = in.string();
    kernel.macros = in.pairs();
    kernel.cubins = in.pairs();
    uint64_t threads =
        uint64_t(kernel.block[0]) * kernel.block[1] * kernel.block[2];
    if (in.ok() && (threads == 0 || threads > 1024 || kernel.block[2] > 64))
      in.fail("corrupt plan: block " + std::to_string(kernel.block[0]) + "x" +
              std::to_string(kernel.block[1]) + "x" +
              std::to_string(kernel.block[2]) + " of kernel " + kernel.name);
  }
  plan.steps.resize(in.count(12));
  for (PlanStep &step : plan.steps) {
    step.kernel = in.u32();
    step.buffers.resize(in.count(4));
    for (uint32_t &buffer : step.buffers)
      buffer = in.u32();
  }
  plan.outputs.resize(in.count(12));
  for (PlanOutput &output : plan.outputs) {
    output.buffer = in.u32();
    output.shape = in.strings();
  }
  if (in.ok() && !in.atEnd())
    in.fail("corrupt plan: trailing bytes in the payload");
  if (!in.ok())
    return Status::error(in.getError());
  if (Status status = validate(plan); !status)
    return status;
  return plan;
}

Status deconv::writePlanFile(const std::string &path, const Plan &plan) {
  return writeFileAtomically(path, serializePlan(plan));
}

StatusOr<Plan> deconv::readPlanFile(const std::string &path) {
  StatusOr<std::string> contents = readFile(path);
  if (!contents)
    return contents.status();
  StatusOr<Plan> plan = parsePlan(*contents);
  if (!plan)
    return Status::error("'" + path + "': " + plan.message());
  return plan;
}

/// The names IN<i>_D<d> bound to the inputs' sizes, checked.
static StatusOr<std::map<std::string, int64_t>>
bindPlanInputs(const Plan &plan, const std::vector<TensorShape> &inputs) {
  if (inputs.size() != plan.inputs.size())
    return Status::error("@" + plan.function + " takes " +
                         std::to_string(plan.inputs.size()) + " inputs, got " +
                         std::to_string(inputs.size()));
  std::map<std::string, int64_t> sizes;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const PlanTensor &expected = plan.inputs[i];
    const std::vector<int64_t> &shape = inputs[i].shape;
    for (size_t d = 0; d < shape.size(); ++d)
      if (shape[d] < 1)
        return Status::error(
            "input " + std::to_string(i) + " is " +
            formatTensorType(inputs[i].type, shape) + ": size " +
            std::to_string(shape[d]) + " on axis " + std::to_string(d) +
            "; plans run sizes of at least 1 (an empty batch runs on the "
            "CPU target)");
    bool agrees = inputs[i].type == expected.type &&
                  shape.size() == expected.shape.size();
    for (size_t d = 0; agrees && d < shape.size(); ++d) {
      agrees = shape[d] >= 1 && (expected.shape[d] == "?" ||
                                 expected.shape[d] == std::to_string(shape[d]));
      sizes["IN" + std::to_string(i) + "_D" + std::to_string(d)] = shape[d];
    }
    if (!agrees) {
      std::vector<int64_t> wanted;
      for (const std::string &size : expected.shape)
        wanted.push_back(size == "?" ? -1 : std::stoll(size));
      return Status::error("input " + std::to_string(i) + " is " +
                           formatTensorType(inputs[i].type, shape) + " but @" +
                           plan.function + " wants " + formatShape(wanted) +
                           "x" +
                           std::string(getElementTypeName(expected.type)));
    }
  }
  return sizes;
}

/// The outputs' shapes for bound sizes.
static StatusOr<std::vector<std::vector<int64_t>>>
getPlanOutputShapes(const Plan &plan,
                    const std::map<std::string, int64_t> &sizes) {
  std::vector<std::vector<int64_t>> shapes;
  for (size_t i = 0; i < plan.outputs.size(); ++i) {
    std::vector<int64_t> shape;
    for (const std::string &size : plan.outputs[i].shape) {
      StatusOr<int64_t> value = evaluateSizeExpression(size, sizes);
      if (!value)
        return value.status();
      if (*value < 1)
        return Status::error("output " + std::to_string(i) +
                             " would have size " + std::to_string(*value) +
                             " in dimension " + std::to_string(shape.size()) +
                             ": the inputs are too small for @" +
                             plan.function);
      shape.push_back(*value);
    }
    shapes.push_back(std::move(shape));
  }
  return shapes;
}

StatusOr<PlanBinding> deconv::bindPlan(const Plan &plan,
                                       const std::vector<TensorShape> &inputs) {
  StatusOr<std::map<std::string, int64_t>> sizes = bindPlanInputs(plan, inputs);
  if (!sizes)
    return sizes.status();
  StatusOr<std::vector<std::vector<int64_t>>> outputShapes =
      getPlanOutputShapes(plan, *sizes);
  if (!outputShapes)
    return outputShapes.status();
  return PlanBinding{std::move(*sizes), std::move(*outputShapes)};
}
