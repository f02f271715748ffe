// libFuzzer target: Helm's --set syntax, typed and as strings.
#include <cstddef>
#include <cstdint>
#include <string>

#include "error.hpp"
#include "values/set_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace netpol::values;
  std::string arg(reinterpret_cast<const char*>(data), size);
  for (bool force_string : {false, true}) {
    Value root = Value::make_map({});
    try {
      apply_set(root, arg, "<--set 1>", force_string);
    } catch (const netpol::Error&) {
    }
  }
  return 0;
}
