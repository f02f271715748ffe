#include "embedded.hpp"

#include <string_view>

#include "values/value_codec.hpp"

namespace netpol::embedded {

values::Value chart_values() {
  return values::decode(
      std::string_view(reinterpret_cast<const char*>(kChartValuesTree), kChartValuesTreeSize));
}

values::Value chart_profile() {
  return values::decode(
      std::string_view(reinterpret_cast<const char*>(kChartProfileTree), kChartProfileTreeSize));
}

}  // namespace netpol::embedded
