#pragma once
// YAML text that reads back as written: strings quoted where a YAML 1.1 or 1.2 reader
// (Helm's go-yaml v2, PyYAML, yaml-cpp) would take plain text for another type.

#include <yaml-cpp/yaml.h>

#include <string>

namespace netpol::exporters {

// `y << YamlString{s}`: s as a string, double-quoted where plain text would be a number,
// boolean, null or timestamp (a port name 0x2526 is not 9510, a label value "on" not true),
// would hold a line break, starts with ':' (so no line begins with "::"), or is "<<"
// (YAML 1.1's merge key); with U+2028, U+2029 or U+0085 (line breaks to YAML 1.1), escaped.
struct YamlString {
  const std::string& s;
};
YAML::Emitter& operator<<(YAML::Emitter& y, YamlString v);

}  // namespace netpol::exporters
