//===- QuantizationKernel.cpp - quantize and dequantize on the GPU --------===//
//
// The same steps as the CPU's lowering (QuantizationToLinalg.cpp): quantize
// divides in f32 (IEEE division), rounds half to even (rintf), adds the
// zero point, saturates, and sends a NaN to the zero point; dequantize
// subtracts the zero point in integers and multiplies in f32, rounding once
// to the result's type.
//
//===----------------------------------------------------------------------===//

#include "deconv/Target/CUDA/QuantizationKernel.h"

#include "deconv/Target/CUDA/TransposeKernel.h"

#include <cmath>
#include <cstdio>
#include <cstring>

using namespace mlir;
using namespace mlir::deconv;
using ::deconv::ElementType;

std::string mlir::deconv::getFloatLiteral(float value) {
  if (!std::isfinite(value)) { // No literal spells these: their bits.
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    char text[48];
    std::snprintf(text, sizeof(text), "__int_as_float((int)0x%08xu)", bits);
    return text;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.9gf", value);
  std::string literal = text;
  if (literal.find_first_of(".e") == std::string::npos)
    literal.insert(literal.size() - 1, ".0");
  return literal;
}

std::vector<std::string> mlir::deconv::writeQuantizeToInteger(
    ElementType integerType, const std::string &name, const std::string &value,
    const std::string &scale, const std::string &zeroPoint) {
  const bool isUnsigned = integerType == ElementType::U8;
  const std::string storage = getCudaStorageType(integerType);
  return {"const float " + name + "Scaled = " + value + " / " + scale + ";",
          "float " + name + "Value = fminf(fmaxf(rintf(" + name + "Scaled) + " +
              zeroPoint + ", " + (isUnsigned ? "0.0f" : "-128.0f") + "), " +
              (isUnsigned ? "255.0f" : "127.0f") + ");",
          "if (" + name + "Scaled != " + name + "Scaled)",
          "  " + name + "Value = " + zeroPoint + "; // NaN",
          "const " + storage + " " + name + " = (" + storage + ")(int)" + name +
              "Value;"};
}

::deconv::PlanKernel
mlir::deconv::emitQuantizationKernel(const std::string &name,
                                     const QuantizationKernelSpec &spec) {
  ::deconv::PlanKernel kernel;
  kernel.name = name;
  kernel.strategy = spec.quantize ? "quantize" : "dequantize";
  kernel.configuration =
      spec.axis ? "per channel (axis " + std::to_string(*spec.axis) + ")"
                : "per tensor";
  std::vector<std::string> dims = getKernelDimensions(kernel, spec.shape);
  std::string total = "1LL", inner = "1LL";
  for (size_t d = 0; d < dims.size(); ++d) {
    total += " * " + dims[d];
    if (spec.axis && static_cast<int64_t>(d) > *spec.axis)
      inner += " * " + dims[d];
  }
  const uint32_t blockSize = 256;
  kernel.block = {blockSize, 1, 1};
  kernel.grid = {"deconv_ceildiv(" + total + ", " + std::to_string(blockSize) +
                     ")",
                 "1", "1"};

  const ElementType from = spec.quantize ? spec.floatType : spec.integerType,
                    to = spec.quantize ? spec.integerType : spec.floatType;
  std::string source = "// deconv: " + name + ", " + kernel.strategy + " " +
                       kernel.configuration +
                       "\n#include \"deconv_device.h\"\n";
  for (const auto &[macro, value] : kernel.macros)
    source += "#ifndef " + macro + "\n#error \"" + macro +
              " (a dynamic size) must be defined\"\n#endif\n";
  source += "\nextern \"C\" __global__ void __launch_bounds__(" +
            std::to_string(blockSize) + ")\n" + name + "(DECONV_GLOBAL(const " +
            getCudaStorageType(from) + ") input, ";
  if (spec.axis)
    source += "DECONV_GLOBAL(const float) scales, DECONV_GLOBAL(const float) "
              "zeroPoints, ";
  source += "DECONV_GLOBAL(" + getCudaStorageType(to) +
            ") result) {\n"
            "  const long long i = (long long)blockIdx.x * blockDim.x + "
            "threadIdx.x;\n"
            "  if (i >= " +
            total + ")\n    return;\n";
  if (spec.axis) {
    source += "  const long long channel = (i / (" + inner + ")) % " +
              dims[*spec.axis] +
              ";\n"
              "  const float scale = scales[channel], zeroPoint = "
              "zeroPoints[channel];\n";
  } else {
    source +=
        "  const float scale = " + getFloatLiteral(spec.scale) +
        ", zeroPoint = " + getFloatLiteral(static_cast<float>(spec.zeroPoint)) +
        ";\n";
  }
  if (spec.quantize) {
    for (const std::string &line :
         writeQuantizeToInteger(to, "quantized",
                                widenToFloat(from, "input[i]"), "scale",
                                "zeroPoint"))
      source += "  " + line + "\n";
    source += "  result[i] = quantized;\n";
  } else {
    source += "  const float value = (float)((int)input[i] - (int)zeroPoint) * "
              "scale;\n"
              "  result[i] = " +
              narrowFromFloat(to, "value") + ";\n";
  }
  source += "}\n";
  kernel.source = std::move(source);
  return kernel;
}
