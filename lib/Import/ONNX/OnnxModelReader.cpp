//===- OnnxModelReader.cpp - ONNX protobuf to plain values ----------------===//
//
// The one file that reads ONNX's protobuf classes and calls ONNX's checker
// (both need RTTI and exceptions, so this file is built with them and holds
// nothing of LLVM or MLIR). It copies what the importer needs into the plain
// types of OnnxModel.h, and turns every exception and malformed tensor into
// one line of text.
//
//===----------------------------------------------------------------------===//

#include "deconv/Import/OnnxModel.h"

#include "onnx/checker.h"
#include "onnx/defs/schema.h"
#include "onnx/onnx_pb.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>

using namespace deconv::onnx_import;

std::string deconv::onnx_import::getDataTypeName(int32_t dataType) {
  if (onnx::TensorProto_DataType_IsValid(dataType))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(dataType));
  return "type " + std::to_string(dataType);
}

size_t deconv::onnx_import::getDataTypeSize(int32_t dataType) {
  switch (static_cast<OnnxDataType>(dataType)) {
  case OnnxDataType::Uint8:
  case OnnxDataType::Int8:
    return 1;
  case OnnxDataType::Float16:
  case OnnxDataType::Bfloat16:
    return 2;
  case OnnxDataType::Float:
  case OnnxDataType::Int32:
    return 4;
  case OnnxDataType::Int64:
  case OnnxDataType::Double:
    return 8;
  case OnnxDataType::Undefined:
    return 0;
  }
  return 0;
}

int64_t OnnxTensor::getNumElements() const {
  int64_t count = 1;
  for (int64_t size : dims)
    count *= size;
  return count;
}

double OnnxTensor::getAsDouble(int64_t index) const {
  const char *element = bytes.data() + index * getDataTypeSize(dataType);
  auto load = [&](auto value) {
    std::memcpy(&value, element, sizeof(value));
    return value;
  };
  switch (static_cast<OnnxDataType>(dataType)) {
  case OnnxDataType::Uint8:
    return load(uint8_t());
  case OnnxDataType::Int8:
    return load(int8_t());
  case OnnxDataType::Int32:
    return load(int32_t());
  case OnnxDataType::Int64:
    return static_cast<double>(load(int64_t()));
  case OnnxDataType::Float:
    return load(float());
  case OnnxDataType::Double:
    return load(double());
  case OnnxDataType::Float16: {
    // IEEE binary16 by its fields; exact in a double.
    uint16_t bits = load(uint16_t());
    int exponent = (bits >> 10) & 0x1f;
    double mantissa = bits & 0x3ff;
    double magnitude = exponent == 0 ? std::ldexp(mantissa, -24)
                       : exponent == 31
                           ? (mantissa == 0 ? INFINITY : NAN)
                           : std::ldexp(1024 + mantissa, exponent - 25);
    return bits & 0x8000 ? -magnitude : magnitude;
  }
  case OnnxDataType::Bfloat16: {
    uint32_t bits = uint32_t(load(uint16_t())) << 16;
    float value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  }
  case OnnxDataType::Undefined:
    break;
  }
  return NAN;
}

namespace {

/// The model folder of a model given as bytes: it has none, so external
/// data is refused.
const std::string kNoExternalData = std::string(1, '\0');

/// Copies a repeated field's values into `bytes` as `Stored` (int32_data
/// holds 8- and 16-bit values one per entry, as ONNX specifies).
template <typename Stored, typename Field>
void copyField(const Field &field, std::vector<char> &bytes) {
  bytes.resize(field.size() * sizeof(Stored));
  for (int i = 0; i < field.size(); ++i) {
    Stored value = static_cast<Stored>(field.Get(i));
    std::memcpy(bytes.data() + i * sizeof(Stored), &value, sizeof(Stored));
  }
}

/// Reads `length` bytes at `offset` of the file ONNX's external-data
/// entries name, relative to the model's folder.
bool readExternalData(const onnx::TensorProto &proto,
                      const std::string &modelDir, std::vector<char> &bytes,
                      std::string &error) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const onnx::StringStringEntryProto &entry : proto.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset")
      offset = std::atoll(entry.value().c_str());
    else if (entry.key() == "length")
      length = std::atoll(entry.value().c_str());
  }
  if (location.empty()) {
    error = "its external data names no location";
    return false;
  }
  // The data must lie beside the model: no absolute path, no way up (ONNX
  // 1.12's checker does not refuse them; later versions do).
  if (modelDir == kNoExternalData || location.front() == '/' ||
      ("/" + location + "/").find("/../") != std::string::npos) {
    error = "its external data location '" + location +
            "' is not a file beside the model";
    return false;
  }
  std::string path = modelDir.empty() ? location : modelDir + "/" + location;
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error = "its external data file '" + location +
            "' cannot be opened: " + std::strerror(errno);
    return false;
  }
  file.seekg(0, std::ios::end);
  int64_t fileSize = file.tellg();
  if (length < 0)
    length = fileSize - offset;
  if (offset < 0 || length < 0 || offset + length > fileSize) {
    error = "its external data (offset " + std::to_string(offset) +
            ", length " + std::to_string(length) + ") passes the end of '" +
            location + "' (" + std::to_string(fileSize) + " bytes)";
    return false;
  }
  bytes.resize(length);
  file.seekg(offset);
  file.read(bytes.data(), length);
  return true;
}

/// Copies a TensorProto's values, whichever field holds them, checking that
/// their count matches the dims.
bool convertTensor(const onnx::TensorProto &proto, const std::string &modelDir,
                   OnnxTensor &tensor, std::string &error) {
  tensor.name = proto.name();
  tensor.dataType = proto.data_type();
  tensor.dims.assign(proto.dims().begin(), proto.dims().end());
  auto fail = [&](const std::string &message) {
    error = "tensor '" + tensor.name + "': " + message;
    return false;
  };
  for (int64_t size : tensor.dims)
    if (size < 0)
      return fail("negative size " + std::to_string(size));
  size_t elementSize = getDataTypeSize(tensor.dataType);
  if (elementSize == 0)
    return fail("values of type " + getDataTypeName(tensor.dataType) +
                " cannot be read");
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string message;
    if (!readExternalData(proto, modelDir, tensor.bytes, message))
      return fail(message);
  } else if (proto.has_raw_data()) {
    tensor.bytes.assign(proto.raw_data().begin(), proto.raw_data().end());
  } else {
    switch (static_cast<OnnxDataType>(tensor.dataType)) {
    case OnnxDataType::Float:
      copyField<float>(proto.float_data(), tensor.bytes);
      break;
    case OnnxDataType::Double:
      copyField<double>(proto.double_data(), tensor.bytes);
      break;
    case OnnxDataType::Int64:
      copyField<int64_t>(proto.int64_data(), tensor.bytes);
      break;
    case OnnxDataType::Int32:
      copyField<int32_t>(proto.int32_data(), tensor.bytes);
      break;
    case OnnxDataType::Float16:
    case OnnxDataType::Bfloat16:
      copyField<uint16_t>(proto.int32_data(), tensor.bytes);
      break;
    case OnnxDataType::Int8:
      copyField<int8_t>(proto.int32_data(), tensor.bytes);
      break;
    case OnnxDataType::Uint8:
      copyField<uint8_t>(proto.int32_data(), tensor.bytes);
      break;
    case OnnxDataType::Undefined:
      break;
    }
  }
  int64_t count = 1;
  for (int64_t size : tensor.dims) {
    if (size != 0 && count > INT64_MAX / size / int64_t(elementSize))
      return fail("its shape is too large");
    count *= size;
  }
  if (tensor.bytes.size() != count * elementSize)
    return fail("holds " + std::to_string(tensor.bytes.size() / elementSize) +
                " values but its shape needs " + std::to_string(count));
  return true;
}

bool convertValueInfo(const onnx::ValueInfoProto &proto, OnnxValueInfo &info,
                      std::string &error) {
  info.name = proto.name();
  if (!proto.type().has_tensor_type()) {
    error = "'" + info.name + "' is not a tensor";
    return false;
  }
  const onnx::TypeProto_Tensor &type = proto.type().tensor_type();
  info.dataType = type.elem_type();
  if (type.has_shape()) {
    std::vector<int64_t> shape;
    for (const onnx::TensorShapeProto_Dimension &dim : type.shape().dim())
      shape.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    info.shape = std::move(shape);
  }
  return true;
}

std::string getAttributeKindName(onnx::AttributeProto::AttributeType type) {
  return onnx::AttributeProto::AttributeType_Name(type);
}

bool convertAttribute(const onnx::AttributeProto &proto,
                      const std::string &modelDir, OnnxAttribute &attribute,
                      std::string &error) {
  using Kind = OnnxAttribute::Kind;
  switch (proto.type()) {
  case onnx::AttributeProto::INT:
    attribute.kind = Kind::Int;
    attribute.intValue = proto.i();
    return true;
  case onnx::AttributeProto::INTS:
    attribute.kind = Kind::Ints;
    attribute.intValues.assign(proto.ints().begin(), proto.ints().end());
    return true;
  case onnx::AttributeProto::FLOAT:
    attribute.kind = Kind::Float;
    attribute.floatValue = proto.f();
    return true;
  case onnx::AttributeProto::FLOATS:
    attribute.kind = Kind::Floats;
    attribute.floatValues.assign(proto.floats().begin(), proto.floats().end());
    return true;
  case onnx::AttributeProto::STRING:
    attribute.kind = Kind::String;
    attribute.stringValue = proto.s();
    return true;
  case onnx::AttributeProto::TENSOR:
    attribute.kind = Kind::Tensor;
    attribute.tensorValue.emplace();
    return convertTensor(proto.t(), modelDir, *attribute.tensorValue, error);
  default:
    attribute.kind = Kind::Other;
    attribute.otherKindName = getAttributeKindName(proto.type());
    return true;
  }
}

/// ONNX's messages span lines; ours are one.
std::string toOneLine(std::string text) {
  for (char &c : text)
    if (c == '\n' || c == '\r')
      c = ' ';
  while (!text.empty() && text.back() == ' ')
    text.pop_back();
  return text;
}

std::string getDirectory(const std::string &path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

bool parseFile(const std::string &path, google::protobuf::MessageLite &message,
               const char *what, std::string &error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error = std::string("cannot open: ") + std::strerror(errno);
    return false;
  }
  if (!message.ParseFromIstream(&file)) {
    error = std::string("not ") + what + " (the protobuf does not parse)";
    return false;
  }
  return true;
}

} // namespace

/// Copies what the importer reads of a checked model.
static bool convertModel(const onnx::ModelProto &model,
                         const std::string &modelDir, OnnxGraph &graph,
                         std::string &error) {
  const onnx::GraphProto &proto = model.graph();
  graph.name = proto.name();
  graph.irVersion = model.ir_version();
  graph.producer = model.producer_name();
  for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
    if (opset.domain().empty() || opset.domain() == "ai.onnx")
      graph.opsetVersion = opset.version();
    else
      graph.otherDomains.push_back(opset.domain());
  }
  if (proto.sparse_initializer_size() > 0) {
    error = "sparse initializer '" +
            proto.sparse_initializer(0).values().name() + "' is not supported";
    return false;
  }

  std::set<std::string> initializerNames;
  for (const onnx::TensorProto &initializer : proto.initializer()) {
    OnnxTensor tensor;
    if (!convertTensor(initializer, modelDir, tensor, error)) {
      error = "initializer " + error;
      return false;
    }
    initializerNames.insert(tensor.name);
    graph.initializers.push_back(std::move(tensor));
  }
  // Before IR version 4 every initializer is also listed as an input; it is
  // a constant all the same (the value a runtime would use by default).
  for (const onnx::ValueInfoProto &input : proto.input()) {
    if (initializerNames.count(input.name()))
      continue;
    OnnxValueInfo info;
    if (!convertValueInfo(input, info, error)) {
      error = "graph input " + error;
      return false;
    }
    graph.inputs.push_back(std::move(info));
  }
  for (const onnx::ValueInfoProto &output : proto.output()) {
    OnnxValueInfo info;
    if (!convertValueInfo(output, info, error)) {
      error = "graph output " + error;
      return false;
    }
    graph.outputs.push_back(std::move(info));
  }
  for (const onnx::NodeProto &nodeProto : proto.node()) {
    OnnxNode node;
    node.name = nodeProto.name();
    node.opType = nodeProto.op_type();
    node.domain = nodeProto.domain();
    node.inputs.assign(nodeProto.input().begin(), nodeProto.input().end());
    node.outputs.assign(nodeProto.output().begin(), nodeProto.output().end());
    for (const onnx::AttributeProto &attributeProto : nodeProto.attribute()) {
      OnnxAttribute attribute;
      if (!convertAttribute(attributeProto, modelDir, attribute, error)) {
        error = node.opType + " node '" + node.name + "': attribute '" +
                attributeProto.name() + "': " + error;
        return false;
      }
      node.attributes[attributeProto.name()] = std::move(attribute);
    }
    graph.nodes.push_back(std::move(node));
  }
  return true;
}

bool deconv::onnx_import::readOnnxModel(const std::string &path,
                                        OnnxGraph &graph, std::string &error) {
  onnx::ModelProto model;
  if (!parseFile(path, model, "an ONNX model", error))
    return false;
  try {
    // The path form resolves external data against the model's folder.
    onnx::checker::check_model(path);
  } catch (const std::exception &exception) {
    error = "ONNX's checker rejects the model: " + toOneLine(exception.what());
    return false;
  }
  return convertModel(model, getDirectory(path), graph, error);
}

bool deconv::onnx_import::parseOnnxModel(const std::string &bytes,
                                         OnnxGraph &graph, std::string &error) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) {
    error = "not an ONNX model (the protobuf does not parse)";
    return false;
  }
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &exception) {
    error = "ONNX's checker rejects the model: " + toOneLine(exception.what());
    return false;
  }
  return convertModel(model, kNoExternalData, graph, error);
}

bool deconv::onnx_import::readOnnxTensor(const std::string &path,
                                         OnnxTensor &tensor,
                                         std::string &error) {
  onnx::TensorProto proto;
  if (!parseFile(path, proto, "an ONNX TensorProto", error))
    return false;
  return convertTensor(proto, getDirectory(path), tensor, error);
}

int64_t deconv::onnx_import::getNewestOpsetVersion() {
  const auto &ranges =
      onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  auto found = ranges.find(onnx::ONNX_DOMAIN);
  return found == ranges.end() ? 0 : found->second.second;
}
