#include "values/value.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace netpol::values {

Value Value::make_map(Location loc) {
  Value value;
  value.kind = Kind::Map;
  value.loc = std::move(loc);
  return value;
}

Value Value::make_seq(Location loc) {
  Value value;
  value.kind = Kind::Seq;
  value.loc = std::move(loc);
  return value;
}

Value Value::make_scalar(std::string text, bool quoted, Location loc) {
  Value value;
  value.kind = Kind::Scalar;
  value.scalar = std::move(text);
  value.quoted = quoted;
  value.loc = std::move(loc);
  return value;
}

const Value* Value::find(std::string_view key) const {
  for (const auto& e : map)
    if (e.key == key) return &e.value;
  return nullptr;
}

Value* Value::find(std::string_view key) {
  for (auto& e : map)
    if (e.key == key) return &e.value;
  return nullptr;
}

const MapEntry* Value::find_entry(std::string_view key) const {
  for (const auto& e : map)
    if (e.key == key) return &e;
  return nullptr;
}

Value& Value::set(const std::string& key, Value v, const Location& key_at) {
  auto it = std::find_if(map.begin(), map.end(), [&](const MapEntry& e) { return e.key == key; });
  if (it == map.end()) {
    map.push_back(MapEntry{key, std::move(v)});
    it = map.end() - 1;
  } else {
    it->value = std::move(v);
  }
  if (key_at.line > 0) {
    it->key_line = key_at.line;
    it->key_column = key_at.column;
  }
  return it->value;
}

bool Value::erase(std::string_view key) {
  auto it = std::find_if(map.begin(), map.end(), [&](const MapEntry& e) { return e.key == key; });
  if (it == map.end()) return false;
  map.erase(it);
  return true;
}

std::optional<bool> as_bool(const Value& value) {
  if (!value.is_scalar() || value.quoted) return std::nullopt;
  // YAML 1.1 booleans, as Helm's YAML parser (go-yaml v2) reads them.
  static const std::array<std::string_view, 11> yes = {"true", "True", "TRUE", "yes", "Yes", "YES",
                                                       "on",   "On",   "ON",   "y",   "Y"};
  static const std::array<std::string_view, 11> no = {"false", "False", "FALSE", "no", "No", "NO",
                                                      "off",   "Off",   "OFF",   "n",  "N"};
  if (std::find(yes.begin(), yes.end(), value.scalar) != yes.end()) return true;
  if (std::find(no.begin(), no.end(), value.scalar) != no.end()) return false;
  return std::nullopt;
}

namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// Digits of `base` (at least one) as an unsigned magnitude; nothing past 2^64 - 1 or on a
// digit outside the base.
std::optional<std::uint64_t> magnitude(std::string_view digits, int base) {
  if (digits.empty()) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : digits) {
    int d = digit_value(c);
    if (d >= base) return std::nullopt;
    if (n > (UINT64_MAX - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base))
      return std::nullopt;
    n = n * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
  }
  return n;
}

// A signed int64 from a sign and a magnitude, if it fits.
std::optional<std::int64_t> signed_value(bool negative, std::uint64_t m) {
  constexpr std::uint64_t kMax = static_cast<std::uint64_t>(INT64_MAX);
  if (m > kMax + (negative ? 1 : 0)) return std::nullopt;
  if (negative) return m == kMax + 1 ? INT64_MIN : -static_cast<std::int64_t>(m);
  return static_cast<std::int64_t>(m);
}

struct Resolved {
  bool integer = false;   // an integer literal (any base)
  bool floating = false;  // a float literal
  std::uint64_t magnitude = 0;
  bool negative = false;
  double value = 0;
};

// go-yaml v2's resolution of a plain scalar that starts like a number (resolve.go): the
// integer forms strconv.ParseInt(s, 0, 64) takes once underscores are dropped, then floats
// matching ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$.
Resolved resolve_number(const std::string& text) {
  Resolved resolved;
  // go-yaml looks for a number only where the first character is a digit, a sign or '.'.
  if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '+' ||
                        text[0] == '-' || text[0] == '.'))
    return resolved;
  std::string plain;
  for (char c : text)
    if (c != '_') plain += c;
  std::string_view body = plain;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    resolved.negative = body[0] == '-';
    body.remove_prefix(1);
  }
  std::optional<std::uint64_t> absolute;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X'))
    absolute = magnitude(body.substr(2), 16);
  else if (body.size() > 2 && body[0] == '0' && (body[1] == 'o' || body[1] == 'O'))
    absolute = magnitude(body.substr(2), 8);
  else if (body.size() > 2 && body[0] == '0' && (body[1] == 'b' || body[1] == 'B'))
    absolute = magnitude(body.substr(2), 2);
  else if (body.size() > 1 && body[0] == '0')
    absolute = magnitude(body.substr(1), 8);  // YAML 1.1 octal: 0750
  else
    absolute = magnitude(body, 10);
  // ParseInt, then ParseUint: a negative number past int64 is neither; it may still be a
  // float ("-9223372036854775809"), but not in a base ("-0x8000000000000001" is a string).
  constexpr std::uint64_t kMinMagnitude = static_cast<std::uint64_t>(INT64_MAX) + 1;
  if (absolute && !(resolved.negative && *absolute > kMinMagnitude)) {
    resolved.integer = true;
    resolved.magnitude = *absolute;
    return resolved;
  }
  // A float: digits with at most one '.', an optional exponent (no hex, inf or nan here).
  std::size_t i = 0, int_digits = 0, frac_digits = 0;
  while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++int_digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return resolved;
  if (int_digits == 0 && body[0] != '.') return resolved;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return resolved;
  }
  if (i != body.size()) return resolved;
  // ParseFloat refuses what is out of a double's range (1e400): then it is a string.
  double value = std::strtod(std::string(body).c_str(), nullptr);
  if (!std::isfinite(value)) return resolved;
  resolved.floating = true;
  resolved.value = resolved.negative ? -value : value;
  return resolved;
}

}  // namespace

std::optional<std::int64_t> as_int(const Value& v) {
  if (!v.is_scalar() || v.quoted) return std::nullopt;
  Resolved resolved = resolve_number(v.scalar);
  if (resolved.integer) return signed_value(resolved.negative, resolved.magnitude);
  // An integral float, within the range a double holds every integer exactly.
  if (resolved.floating && std::isfinite(resolved.value) &&
      std::trunc(resolved.value) == resolved.value &&
      std::fabs(resolved.value) <= 9007199254740992.0)
    return static_cast<std::int64_t>(resolved.value);
  return std::nullopt;
}

ScalarType resolve_plain(const std::string& text) {
  static const std::array<std::string_view, 5> nulls = {"", "~", "null", "Null", "NULL"};
  if (std::find(nulls.begin(), nulls.end(), text) != nulls.end()) return ScalarType::Null;
  if (as_bool(Value::make_scalar(text, false, {}))) return ScalarType::Bool;
  static const std::array<std::string_view, 12> special = {".nan",  ".NaN",  ".NAN",  ".inf",
                                                           ".Inf",  ".INF",  "+.inf", "+.Inf",
                                                           "+.INF", "-.inf", "-.Inf", "-.INF"};
  if (std::find(special.begin(), special.end(), text) != special.end()) return ScalarType::Float;
  Resolved resolved = resolve_number(text);
  if (resolved.integer) return ScalarType::Int;
  if (resolved.floating) return ScalarType::Float;
  return ScalarType::Str;
}

std::optional<double> as_double(const Value& v) {
  if (!v.is_scalar() || v.quoted) return std::nullopt;
  Resolved resolved = resolve_number(v.scalar);
  if (resolved.integer) {
    double m = static_cast<double>(resolved.magnitude);
    return resolved.negative ? -m : m;
  }
  if (resolved.floating) return resolved.value;
  return std::nullopt;
}

bool is_number(const Value& value) {
  if (!value.is_scalar() || value.quoted) return false;
  Resolved r = resolve_number(value.scalar);
  return r.integer || r.floating;
}

std::optional<std::int64_t> parse_decimal(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  auto m = magnitude(text.substr(i), 10);
  return m ? signed_value(negative, *m) : std::nullopt;
}

std::string describe(const Value& value) {
  switch (value.kind) {
    case Kind::Null:
      return "null";
    case Kind::Map:
      return "a map";
    case Kind::Seq:
      return "a list";
    case Kind::Scalar:
      break;
  }
  if (as_bool(value)) return "the boolean " + value.scalar;
  if (is_number(value)) return "the number " + value.scalar;
  std::string shown = value.scalar.size() > 40 ? value.scalar.substr(0, 40) + "..." : value.scalar;
  return "a string (\"" + shown + "\")";
}

std::string path_key(const std::string& path, std::string_view key) {
  std::string out;
  out.reserve(path.size() + 1 + key.size());
  if (!path.empty()) out.append(path).push_back('.');
  for (char c : key) {
    if (c == '.' || c == '[' || c == ',' || c == '=' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string path_index(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

const Value* find_path(const Value& root, std::string_view path) {
  const Value* at = &root;
  std::size_t i = 0;
  while (i < path.size() && at) {
    if (path[i] == '[') {
      std::size_t end = path.find(']', i);
      if (end == std::string_view::npos || !at->is_seq()) return nullptr;
      std::size_t index = 0;
      for (std::size_t k = i + 1; k < end; ++k) {
        if (path[k] < '0' || path[k] > '9') return nullptr;
        index = index * 10 + static_cast<std::size_t>(path[k] - '0');
      }
      if (index >= at->seq.size()) return nullptr;
      at = &at->seq[index];
      i = end + 1;
      continue;
    }
    if (path[i] == '.') ++i;
    std::string key;
    while (i < path.size() && path[i] != '.' && path[i] != '[') {
      if (path[i] == '\\' && i + 1 < path.size()) ++i;
      key += path[i++];
    }
    if (!at->is_map()) return nullptr;
    at = at->find(key);
  }
  return at;
}

bool same_value(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Kind::Null:
      return true;
    case Kind::Scalar: {
      if (a.quoted != b.quoted) return false;
      if (a.quoted) return a.scalar == b.scalar;
      if (auto x = as_bool(a), y = as_bool(b); x || y) return x == y;
      if (auto x = as_double(a), y = as_double(b); x || y) return x == y;
      return a.scalar == b.scalar;
    }
    case Kind::Seq:
      if (a.seq.size() != b.seq.size()) return false;
      for (std::size_t i = 0; i < a.seq.size(); ++i)
        if (!same_value(a.seq[i], b.seq[i])) return false;
      return true;
    case Kind::Map:
      if (a.map.size() != b.map.size()) return false;
      for (const MapEntry& e : a.map) {
        const Value* other = b.find(e.key);
        if (!other || !same_value(e.value, *other)) return false;
      }
      return true;
  }
  return false;
}

}  // namespace netpol::values
