#include "text.hpp"

#include <cstdio>

namespace netpol {

CodePoint code_point_at(std::string_view text, std::size_t i) {
  auto byte = static_cast<unsigned char>(text[i]);
  CodePoint c;
  c.length = byte < 0x80           ? 1
             : (byte >> 5) == 0x6  ? 2
             : (byte >> 4) == 0xE  ? 3
             : (byte >> 3) == 0x1E ? 4
                                   : 0;
  if (c.length == 0) {
    c.length = 1;
    return c;
  }
  c.valid = i + c.length <= text.size();
  c.cp = c.length == 1   ? byte
         : c.length == 2 ? byte & 0x1F
         : c.length == 3 ? byte & 0x0F
                         : byte & 0x07;
  for (std::size_t k = 1; c.valid && k < c.length; ++k) {
    c.valid = (static_cast<unsigned char>(text[i + k]) >> 6) == 0x2;
    c.cp = (c.cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  static const char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  c.valid =
      c.valid && c.cp >= kMin[c.length] && !(c.cp >= 0xD800 && c.cp <= 0xDFFF) && c.cp <= 0x10FFFF;
  if (!c.valid) c.length = 1;
  return c;
}

std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  char buf[8];
  for (std::size_t i = 0; i < s.size();) {
    CodePoint c = code_point_at(s, i);
    if (!c.valid) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(s[i]));
      out += buf;
    } else if (c.cp == '\n') {
      out += "\\n";
    } else if (c.cp == '\r') {
      out += "\\r";
    } else if (c.cp == '\t') {
      out += "\\t";
    } else if (c.cp < 0x20 || c.cp == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c.cp));
      out += buf;
    } else if (c.cp >= 0x80 && c.cp <= 0x9F) {
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c.cp));
      out += buf;
    } else {
      out.append(s.substr(i, c.length));
    }
    i += c.length;
  }
  return out;
}

std::string neutralise_ci_commands(std::string text, bool anywhere) {
  std::string out;
  std::size_t done = 0;  // text[0, done) is in out
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::size_t first = text.find_first_not_of(" \t", start);
    if (first < end && text.compare(first, 2, "::") == 0) {
      out.append(text, done, first - done);
      out += '\\';
      done = first;
    }
    if (anywhere) {
      for (std::size_t p = text.find("##", start); p != std::string::npos && p + 2 < end;
           p = text.find("##", p + 1)) {
        if (text[p + 2] != '[' && text.compare(p + 2, 4, "vso[") != 0) continue;
        out.append(text, done, p + 1 - done);
        out += '\\';
        done = p + 1;
      }
    }
    start = end + 1;
  }
  if (done == 0 && out.empty()) return text;
  out.append(text, done, std::string::npos);
  return out;
}

}  // namespace netpol
