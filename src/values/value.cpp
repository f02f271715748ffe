#include "values/value.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace netpol::values {

Value Value::make_map(Location loc) {
  Value v;
  v.kind = Kind::Map;
  v.loc = std::move(loc);
  return v;
}

Value Value::make_seq(Location loc) {
  Value v;
  v.kind = Kind::Seq;
  v.loc = std::move(loc);
  return v;
}

Value Value::make_scalar(std::string text, bool quoted, Location loc) {
  Value v;
  v.kind = Kind::Scalar;
  v.scalar = std::move(text);
  v.quoted = quoted;
  v.loc = std::move(loc);
  return v;
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

Value& Value::set(const std::string& key, Value v) {
  if (Value* existing = find(key)) {
    *existing = std::move(v);
    return *existing;
  }
  map.push_back(MapEntry{key, std::move(v)});
  return map.back().value;
}

bool Value::erase(std::string_view key) {
  auto it = std::find_if(map.begin(), map.end(), [&](const MapEntry& e) { return e.key == key; });
  if (it == map.end()) return false;
  map.erase(it);
  return true;
}

std::optional<bool> as_bool(const Value& v) {
  if (!v.is_scalar() || v.quoted) return std::nullopt;
  // YAML 1.1 booleans, as Helm's YAML parser (go-yaml v2) reads them.
  static const std::array<std::string_view, 11> yes = {"true", "True", "TRUE", "yes", "Yes", "YES",
                                                       "on",   "On",   "ON",   "y",   "Y"};
  static const std::array<std::string_view, 11> no = {"false", "False", "FALSE", "no", "No", "NO",
                                                      "off",   "Off",   "OFF",   "n",  "N"};
  if (std::find(yes.begin(), yes.end(), v.scalar) != yes.end()) return true;
  if (std::find(no.begin(), no.end(), v.scalar) != no.end()) return false;
  return std::nullopt;
}

std::optional<std::int64_t> as_int(const Value& v) {
  if (!v.is_scalar() || v.quoted) return std::nullopt;
  const std::string& s = v.scalar;
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i == s.size()) return std::nullopt;
  std::int64_t n = 0;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
    if (n > (INT64_MAX - 9) / 10) return std::nullopt;  // too large to be anything we read
    n = n * 10 + (s[i] - '0');
  }
  return negative ? -n : n;
}

std::string describe(const Value& v) {
  switch (v.kind) {
    case Kind::Null:
      return "null";
    case Kind::Map:
      return "a map";
    case Kind::Seq:
      return "a list";
    case Kind::Scalar:
      break;
  }
  if (as_bool(v)) return "the boolean " + v.scalar;
  if (as_int(v)) return "the number " + v.scalar;
  std::string shown = v.scalar.size() > 40 ? v.scalar.substr(0, 40) + "..." : v.scalar;
  return "a string (\"" + shown + "\")";
}

std::string path_key(const std::string& path, std::string_view key) {
  std::string escaped;
  for (char c : key) {
    if (c == '.' || c == '[' || c == ',' || c == '=' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return path.empty() ? escaped : path + "." + escaped;
}

std::string path_index(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

}  // namespace netpol::values
