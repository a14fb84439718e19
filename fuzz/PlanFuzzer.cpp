//===- PlanFuzzer.cpp - plan files
//------------------------------------------===//
//
// Any bytes as a plan's payload, framed with a valid header and checksum so
// that the fuzzer gets past them to the contents: a plan or a one-line
// error, never a crash. A plan that loads is described, binds inputs of its
// own shapes (dynamic sizes 1 and 3) or says why not, and what it
// serializes to loads again and serializes to the same bytes.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/Plan.h"
#include "deconv/Runtime/Sha256.h"

#include <cstdlib>
#include <cstring>
#include <string>

namespace {

void checkOneLine(const deconv::Status &status) {
  if (!status && (status.message().empty() ||
                  status.message().find('\n') != std::string::npos))
    std::abort();
}

std::string frame(std::string_view payload) {
  std::string bytes = "DECONV-PLAN\n";
  uint32_t version = deconv::kPlanFormatVersion;
  bytes.append(reinterpret_cast<const char *>(&version), 4);
  bytes += deconv::sha256Hex(payload);
  uint64_t length = payload.size();
  bytes.append(reinterpret_cast<const char *>(&length), 8);
  bytes.append(payload);
  return bytes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view payload(reinterpret_cast<const char *>(data), size);
  deconv::StatusOr<deconv::Plan> plan = deconv::parsePlan(frame(payload));
  checkOneLine(plan.status());
  if (!plan)
    return 0;
  (void)deconv::describePlan(*plan);
  for (int64_t dynamic : {1, 3}) {
    std::vector<deconv::TensorShape> inputs;
    for (const deconv::PlanTensor &input : plan->inputs) {
      deconv::TensorShape shape;
      shape.type = input.type;
      for (const std::string &size : input.shape)
        shape.shape.push_back(size == "?" ? dynamic : std::stoll(size));
      inputs.push_back(shape);
    }
    checkOneLine(deconv::bindPlan(*plan, inputs).status());
  }
  std::string written = deconv::serializePlan(*plan);
  deconv::StatusOr<deconv::Plan> again = deconv::parsePlan(written);
  if (!again || deconv::serializePlan(*again) != written)
    std::abort();
  return 0;
}
