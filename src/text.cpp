#include "text.hpp"

#include <cstdio>
#include <cstring>

namespace netpol {

CodePoint code_point_at(std::string_view text, std::size_t i) {
  auto byte = static_cast<unsigned char>(text[i]);
  CodePoint point;
  point.length = byte < 0x80           ? 1
                 : (byte >> 5) == 0x6  ? 2
                 : (byte >> 4) == 0xE  ? 3
                 : (byte >> 3) == 0x1E ? 4
                                       : 0;
  if (point.length == 0) {
    point.length = 1;
    return point;
  }
  point.valid = i + point.length <= text.size();
  point.cp = point.length == 1   ? byte
             : point.length == 2 ? byte & 0x1F
             : point.length == 3 ? byte & 0x0F
                                 : byte & 0x07;
  for (std::size_t k = 1; point.valid && k < point.length; ++k) {
    point.valid = (static_cast<unsigned char>(text[i + k]) >> 6) == 0x2;
    point.cp = (point.cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  static const char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  point.valid = point.valid && point.cp >= kMin[point.length] &&
                !(point.cp >= 0xD800 && point.cp <= 0xDFFF) && point.cp <= 0x10FFFF;
  if (!point.valid) point.length = 1;
  return point;
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char buf[16];
  for (std::size_t i = 0; i < text.size();) {
    CodePoint point = code_point_at(text, i);
    if (!point.valid) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(text[i]));
      out += buf;
    } else if (point.cp == '\n') {
      out += "\\n";
    } else if (point.cp == '\r') {
      out += "\\r";
    } else if (point.cp == '\t') {
      out += "\\t";
    } else if (point.cp < 0x20 || point.cp == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(point.cp));
      out += buf;
    } else if ((point.cp >= 0x80 && point.cp <= 0x9F) ||
               is_noncharacter(point.cp)) {  // C1, and XML's
      std::snprintf(buf, sizeof buf, point.cp > 0xFFFF ? "\\U%08X" : "\\u%04X",
                    static_cast<unsigned>(point.cp));
      out += buf;
    } else {
      out.append(text.substr(i, point.length));
    }
    i += point.length;
  }
  return out;
}

namespace {
// Calls line_start(p) for each position p of `text` before which a backslash makes a "::"
// command inert, and hash(p) for the second '#' of each "##[" and "##vso[", in order.
template <typename LineStart, typename Hash>
void ci_command_marks(std::string_view text, LineStart line_start, Hash hash) {
  const char* data = text.data();
  const std::size_t size = text.size();
  for (std::size_t start = 0; start < size;) {
    const void* newline = std::memchr(data + start, '\n', size - start);
    std::size_t end =
        newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - data) : size;
    std::size_t first = start;
    while (first < end && (data[first] == ' ' || data[first] == '\t')) ++first;
    if (first + 1 < end && data[first] == ':' && data[first + 1] == ':') line_start(first);
    std::string_view line = text.substr(start, end - start);
    for (std::size_t p = line.find("##"); p != std::string_view::npos && p + 2 < line.size();
         p = line.find("##", p + 1))
      if (line[p + 2] == '[' || line.compare(p + 2, 4, "vso[") == 0) hash(start + p + 1);
    start = end + 1;
  }
}
}  // namespace

std::string neutralise_ci_commands(std::string text, std::string_view hash) {
  std::string out;
  std::size_t done = 0;  // text[0, done) is in out
  bool changed = false;
  ci_command_marks(
      text,
      [&](std::size_t p) {
        out.append(text, done, p - done);
        out += '\\';
        done = p;
        changed = true;
      },
      [&](std::size_t p) {
        out.append(text, done, p - done);
        out += hash;
        done = p + 1;  // the '#' is replaced
        changed = true;
      });
  if (!changed) return text;
  out.append(text, done, std::string::npos);
  return out;
}

bool has_ci_commands(std::string_view text) {
  bool found = false;
  ci_command_marks(
      text, [&](std::size_t) { found = true; }, [&](std::size_t) { found = true; });
  return found;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

}  // namespace netpol
