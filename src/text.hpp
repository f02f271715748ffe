#pragma once
// Text as it crosses our boundaries: decoding UTF-8, and making what we print safe for the
// readers of our output (terminals and CI logs), whatever the names in it say.

#include <string>
#include <string_view>
#include <vector>

namespace netpol {

// The code point that starts at text[i] and its length in bytes; `valid` when it is
// well-formed UTF-8 (RFC 3629: complete, the shortest form, no surrogate, at most U+10FFFF).
// An invalid byte has length 1.
struct CodePoint {
  char32_t cp = 0;
  std::size_t length = 1;
  bool valid = false;
};
CodePoint code_point_at(std::string_view text, std::size_t i);

// One of Unicode's 66 noncharacters: U+FDD0..U+FDEF and the last two code points of every
// plane (U+FFFE, U+FFFF, ..., U+10FFFF). No XML 1.0 document can hold U+FFFE or U+FFFF.
constexpr bool is_noncharacter(char32_t cp) {
  return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

// `s` as one line of a message: line breaks, tabs and other control characters (C0, DEL, C1)
// and noncharacters as escapes ("\n", "\t", "\x1b", "\u0085", "\uFFFE"), and bytes that are
// not UTF-8 as "\xNN". Names in inputs cannot hold these (the reader refuses them), but file
// names and arguments can.
std::string one_line(std::string_view s);

// The items with `separator` between them: join({"a", "b"}, ", ") is "a, b".
std::string join(const std::vector<std::string>& items, std::string_view separator);

// `text` with every CI command in it made inert: a line that begins, after spaces and tabs,
// with "::" (GitHub Actions workflow commands such as ::error or ::add-mask) gets a
// backslash before it ("\::"); "##[" and "##vso[" (the older GitHub and the Azure Pipelines
// forms, read anywhere in a line) have their second '#' written as `hash`, the format's own
// spelling of it: "\\#" in text and Markdown (a backslash before punctuation reads as the
// punctuation), "\\u0023" in JSON, "&#35;" in XML, HTML and DOT, "\\x23" in YAML's double
// quotes. Text without such lines is returned unchanged.
std::string neutralise_ci_commands(std::string text, std::string_view hash);
// Whether neutralise_ci_commands would change `text`.
bool has_ci_commands(std::string_view text);

// The spellings of '#' that neutralise_ci_commands takes.
inline constexpr std::string_view kHashProse = "\\#";
inline constexpr std::string_view kHashJson = "\\u0023";
inline constexpr std::string_view kHashXml = "&#35;";
inline constexpr std::string_view kHashYaml = "\\x23";

}  // namespace netpol
