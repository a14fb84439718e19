//===- OnnxModel.h - an ONNX graph as plain C++ values ----------*- C++ -*-===//
//
// What the importer reads of an ONNX model, copied out of ONNX's protobuf
// classes. The reader (OnnxModelReader.cpp) is the only file that sees
// protobuf and ONNX's checker: they need RTTI and exceptions, which the MLIR
// side of the importer is built without, so the two halves meet here, in
// types that belong to neither.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_IMPORT_ONNXMODEL_H
#define DECONV_IMPORT_ONNXMODEL_H

#include "deconv/Runtime/HostTensor.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace deconv::onnx_import {

/// ONNX's TensorProto.DataType codes that the importer can hold; any other
/// code is kept as is and refused where it is used.
enum class OnnxDataType : int32_t {
  Undefined = 0,
  Float = 1,
  Uint8 = 2,
  Int8 = 3,
  Int32 = 6,
  Int64 = 7,
  Float16 = 10,
  Double = 11,
  Bfloat16 = 16,
};

/// ONNX's name of a data type code: FLOAT, UINT8, ... (`type 42` otherwise).
std::string getDataTypeName(int32_t dataType);

/// The element type of an ONNX data type code, for the types deconv takes
/// (FLOAT, FLOAT16, BFLOAT16, INT8, UINT8); none for the others. The one
/// mapping of ONNX's codes: the importer composes it with
/// fromRuntimeElementType (RuntimeTypes.h) for MLIR types.
inline std::optional<ElementType> toElementType(int32_t dataType) {
  switch (static_cast<OnnxDataType>(dataType)) {
  case OnnxDataType::Float:
    return ElementType::F32;
  case OnnxDataType::Float16:
    return ElementType::F16;
  case OnnxDataType::Bfloat16:
    return ElementType::BF16;
  case OnnxDataType::Int8:
    return ElementType::I8;
  case OnnxDataType::Uint8:
    return ElementType::U8;
  default:
    return std::nullopt;
  }
}

/// Bytes per element of the types whose values the importer reads; 0 for
/// the others.
size_t getDataTypeSize(int32_t dataType);

/// A tensor with its values: initializers, Constant nodes, test data.
struct OnnxTensor {
  std::string name;
  int32_t dataType = 0;
  std::vector<int64_t> dims;
  /// Row-major little-endian values, getDataTypeSize(dataType) bytes each.
  std::vector<char> bytes;

  int64_t getNumElements() const;
  /// Element `index` as a double (integers exactly); the type must be one
  /// getDataTypeSize knows.
  double getAsDouble(int64_t index) const;
};

/// A graph input or output: its element type and, when ONNX declares one,
/// its shape. A size ONNX leaves open (`dim_param` or nothing) is -1.
struct OnnxValueInfo {
  std::string name;
  int32_t dataType = 0;
  std::optional<std::vector<int64_t>> shape;
};

/// One node attribute. Only the kinds ConvTranspose, QuantizeLinear,
/// DequantizeLinear and Constant use are kept; `kind` names the others so
/// that a message can say what was found.
struct OnnxAttribute {
  enum class Kind { Int, Ints, Float, Floats, String, Tensor, Other };
  Kind kind = Kind::Other;
  int64_t intValue = 0;
  std::vector<int64_t> intValues;
  float floatValue = 0;
  std::vector<float> floatValues;
  std::string stringValue;
  std::optional<OnnxTensor> tensorValue;
  std::string otherKindName; ///< ONNX's name of the kind, for Other.
};

struct OnnxNode {
  std::string name;
  std::string opType;
  std::string domain;
  /// Operand names; an empty name is an omitted optional input.
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::map<std::string, OnnxAttribute> attributes;
};

/// The main graph of a model, in ONNX's order (nodes are topologically
/// sorted; the checker enforces it).
struct OnnxGraph {
  std::string name;
  int64_t irVersion = 0;
  /// The default domain's opset version the model imports.
  int64_t opsetVersion = 0;
  /// The other domains the model imports (an op of one is refused by name).
  std::vector<std::string> otherDomains;
  std::string producer;
  /// Graph inputs that are not initializers, in order: the function's
  /// arguments.
  std::vector<OnnxValueInfo> inputs;
  std::vector<OnnxValueInfo> outputs;
  std::vector<OnnxTensor> initializers;
  std::vector<OnnxNode> nodes;
};

/// Reads `path` and runs ONNX's checker on it. On failure, returns false and
/// sets `error` to one line (no file name: the caller adds it).
bool readOnnxModel(const std::string &path, OnnxGraph &graph,
                   std::string &error);

/// The same for a model in memory; external data is refused (there is no
/// folder to find it in).
bool parseOnnxModel(const std::string &bytes, OnnxGraph &graph,
                    std::string &error);

/// Reads one serialized TensorProto (an ONNX test case's input_0.pb, ...).
bool readOnnxTensor(const std::string &path, OnnxTensor &tensor,
                    std::string &error);

/// The newest default-domain opset the linked ONNX library knows.
int64_t getNewestOpsetVersion();

} // namespace deconv::onnx_import

#endif // DECONV_IMPORT_ONNXMODEL_H
