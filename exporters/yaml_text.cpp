#include "exporters/yaml_text.hpp"

#include <cctype>

#include "values/value.hpp"

namespace netpol::exporters {

YAML::Emitter& operator<<(YAML::Emitter& emitter, YamlString v) {
  // U+2028, U+2029 and U+0085 are line breaks to a YAML 1.1 reader (PyYAML), even inside
  // quotes: written as escapes, with every other non-ASCII character of that string.
  for (const char* line_break : {"\xE2\x80\xA8", "\xE2\x80\xA9", "\xC2\x85"})
    if (v.s.find(line_break) != std::string::npos)
      return emitter << YAML::EscapeNonAscii << YAML::DoubleQuoted << v.s;
  bool timestamp =
      v.s.size() >= 5 && std::isdigit(static_cast<unsigned char>(v.s[0])) && v.s[4] == '-';
  if (v.s.empty() || values::resolve_plain(v.s) != values::ScalarType::Str || timestamp ||
      v.s.find_first_of("\n\r") != std::string::npos ||
      // Plain, a string starting with ':' could begin a line as "::", which every output
      // escapes (src/text.hpp), so it would not read back as itself.
      v.s[0] == ':' ||
      // Plain, "<<" is YAML 1.1's merge key: a key named "<<" would read back as a merge.
      v.s == "<<" ||
      // In double quotes a '#' can be written "\x23", which a "##[" CI command needs
      // (text.hpp, neutralise_ci_commands); plain, it cannot.
      v.s.find("##") != std::string::npos)
    return emitter << YAML::DoubleQuoted << v.s;
  return emitter << v.s;
}

}  // namespace netpol::exporters
