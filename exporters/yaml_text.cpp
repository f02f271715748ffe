#include "exporters/yaml_text.hpp"

#include <cctype>

#include "values/value.hpp"

namespace netpol::exporters {

YAML::Emitter& operator<<(YAML::Emitter& y, YamlString v) {
  bool timestamp =
      v.s.size() >= 5 && std::isdigit(static_cast<unsigned char>(v.s[0])) && v.s[4] == '-';
  if (v.s.empty() || values::resolve_plain(v.s) != values::ScalarType::Str || timestamp ||
      v.s.find_first_of("\n\r") != std::string::npos ||
      // Plain, a string starting with ':' could begin a line as "::", which every output
      // escapes (src/text.hpp), so it would not read back as itself.
      v.s[0] == ':' ||
      // Plain, "<<" is YAML 1.1's merge key: a key named "<<" would read back as a merge.
      v.s == "<<")
    return y << YAML::DoubleQuoted << v.s;
  return y << v.s;
}

}  // namespace netpol::exporters
