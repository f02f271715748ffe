#pragma once
// The values tree: what a values file, --set or the chart defaults say, with where each node
// came from. It is our own tree (not yaml-cpp's) so that merging keeps every node's location.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace netpol::values {

enum class Kind { Null, Scalar, Map, Seq };

struct MapEntry;

// One node. Scalars keep their text; `quoted` marks a scalar that is a string whatever it
// looks like (quoted or !!str in YAML, or given with --set-string).
struct Value {
  Kind kind = Kind::Null;
  std::string scalar;
  bool quoted = false;
  std::vector<MapEntry> map;  // in document order
  std::vector<Value> seq;
  Location loc;

  static Value make_map(Location loc);
  static Value make_seq(Location loc);
  static Value make_scalar(std::string text, bool quoted, Location loc);

  bool is_null() const { return kind == Kind::Null; }
  bool is_map() const { return kind == Kind::Map; }
  bool is_seq() const { return kind == Kind::Seq; }
  bool is_scalar() const { return kind == Kind::Scalar; }

  // The value under `key` of a map, or nullptr.
  const Value* find(std::string_view key) const;
  Value* find(std::string_view key);
  // Sets `key` of a map (replacing an existing entry in place), returns the stored value.
  // With `key_at` known, the entry keeps it as the key's position.
  Value& set(const std::string& key, Value v, const Location& key_at = {});
  // The entry of `key` of a map, or nullptr.
  const MapEntry* find_entry(std::string_view key) const;
  // Removes `key` from a map; true when it was there.
  bool erase(std::string_view key);
};

// A key and its value. The key's own line and column (0 when not known, as for the trees
// compiled in); its file is the value's, since a layer sets both.
struct MapEntry {
  std::string key;
  Value value;
  int key_line = 0;
  int key_column = 0;

  // Where the key is written, else where its value is.
  Location key_location() const {
    return key_line > 0 ? Location{value.loc.file, key_line, key_column} : value.loc;
  }
};

// Typed readings of a scalar, following the YAML 1.1 rules Helm's parser (go-yaml v2)
// applies. Each returns nothing when the node is not a plain scalar of that type.
std::optional<bool> as_bool(const Value& v);
// An integer as go-yaml v2 resolves one (docs/usage.md, "How values are read"): underscores
// dropped, an optional sign, 0x/0o/0b prefixes, a leading 0 for octal (0750 is 488), else
// decimal; and a float with an integral value (9510.0, 1e3), since Helm hands values to
// templates through JSON, where every number is a float. Beyond int64: nothing.
std::optional<std::int64_t> as_int(const Value& v);
// A plain scalar's number as a template sees it (Helm passes values through JSON, where every
// number is a double): 685_230.15 is 685230.15, 0xFFFFFFFFFFFFFFFF is 1.8446744073709552e19.
// Nothing for a string, and for .inf and .nan, which no JSON can hold.
std::optional<double> as_double(const Value& v);
// Whether a plain scalar is a number of any size or kind as go-yaml v2 reads one (an integer
// in any base, or a float such as 1e30 or 9510.5).
bool is_number(const Value& v);
// What go-yaml v2 resolves a plain scalar to (resolve.go).
enum class ScalarType { Null, Bool, Int, Float, Str };
ScalarType resolve_plain(const std::string& text);

// An integer as Helm's --set reads one (strconv.ParseInt base 10, int64): "9510", "-1".
std::optional<std::int64_t> parse_decimal(std::string_view text);

// A short description for error messages: `a string ("x")`, `a list`, `the number 5`, `null`.
std::string describe(const Value& v);

// Appends a map key to a values path, escaping dots as Helm's --set does ("a\.b").
std::string path_key(const std::string& path, std::string_view key);
// Appends a list index to a values path ("a[3]").
std::string path_index(const std::string& path, std::size_t index);

// The node at a values path as path_key and path_index write them ("a.b\\.c[2].d"), or
// nullptr when the tree has none there.
const Value* find_path(const Value& root, std::string_view path);

// Whether two nodes say the same to a template: the same kind; scalars of the same type and
// value (yes and true, 0x10 and 16 are the same; a quoted "16" is a string); maps with the
// same keys and values, in any order; lists item by item.
bool same_value(const Value& a, const Value& b);

}  // namespace netpol::values
