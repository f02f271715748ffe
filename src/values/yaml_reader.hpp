#pragma once
// Reads one YAML values document into a values tree, with locations, under size limits.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "values/value.hpp"

namespace netpol::values {

// Bounds on what one document may expand to (aliases are expanded into the tree).
struct ReadLimits {
  std::size_t max_bytes = 64u << 20;  // --input-limit
  std::size_t max_nodes = 2'000'000;
  int max_depth = 200;
};

// What a character no input may carry is called in errors ("the C1 control character
// U+0085", "the noncharacter U+FFFE, which XML and YAML cannot carry"), or "" for any other
// character. Refused: C0 (tab, line feed and carriage return only when
// `line_breaks_allowed`), DEL, C1 and the 66 noncharacters (U+FDD0..U+FDEF, U+nFFFE, U+nFFFF).
std::string forbidden_character(char32_t cp, bool line_breaks_allowed);
// The rule a refused character breaks: "names and values may not carry control characters"
// (or "noncharacters").
std::string forbidden_rule(char32_t cp);

// Checks that `text` is within the size limit and is UTF-8 text: well-formed (shortest
// forms, no surrogates, nothing past U+10FFFF), no NUL byte, no control character but tab,
// line feed and carriage return; throws InputError naming the place otherwise.
void check_text(std::string_view text, const std::string& file, const ReadLimits& limits);

// Parses `text` (named `file` in locations and errors) as exactly one YAML document whose top
// is a map; an empty document is an empty map. Throws InputError on text that is too large,
// binary or not UTF-8, syntax errors, nesting too deep, a second document, a top that is not
// a map, duplicate keys and aliases that expand too far.
Value read_yaml(std::string_view text, const std::string& file, const ReadLimits& limits = {});

// Parses `text` as a stream of YAML documents separated by "---" lines (what `helm template`
// prints), under the same limits; the node budget holds for all documents together. Empty
// documents are skipped; the documents are not checked for their top's kind.
std::vector<Value> read_yaml_documents(std::string_view text, const std::string& file,
                                       const ReadLimits& limits = {});

}  // namespace netpol::values
