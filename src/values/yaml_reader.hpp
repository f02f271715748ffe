#pragma once
// Reads one YAML values document into a values tree, with locations, under size limits.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "values/value.hpp"

namespace netpol::values {

// Fields a reader does not use, skipped while parsing: never built into the tree and never
// counted against the node budget (the text's size limit, UTF-8 and depth checks still hold).
// A pattern is a dotted path from a document's top: keys, `*` for any key or list item, and
// last either `!a,b` (every key but a and b) or `@` (the patterns again from here: a List's
// items are objects, `items.*.@`). graph::manifest_skip() is the one for manifests.
class SkipFields {
 public:
  static constexpr int kSkip = -2;  // the value is skipped
  static constexpr int kNone = -1;  // no pattern reaches below: everything is read

  explicit SkipFields(const std::vector<std::string>& patterns);
  // The node a document's top is at.
  static constexpr int root() { return 0; }
  // What becomes of the value of `key` of a map at node `at` (a list's item: key "*"):
  // kSkip, kNone or the node below.
  int child(int at, std::string_view key) const;

 private:
  struct Node {
    std::map<std::string, int, std::less<>> keys;
    int any = kNone;
    bool skip = false;
    bool keep_only = false;  // `!a,b`: keys not in `keys` are skipped
  };
  std::vector<Node> nodes_;
};

// Bounds on what one document may expand to (aliases are expanded into the tree).
struct ReadLimits {
  std::size_t max_bytes = 64u << 20;  // --input-limit
  std::size_t max_nodes = 2'000'000;
  int max_depth = 200;
  const SkipFields* skip = nullptr;  // fields not read (manifests: status, managedFields)
  // A document that is JSON is read as JSON, as kubectl reads it (JSON's escapes; faster),
  // not as YAML 1.1, as Helm reads a values file.
  bool json = false;
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
