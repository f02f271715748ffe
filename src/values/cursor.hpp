#pragma once
// Typed, located reading of a values tree: each read names the values path and throws an
// InputError at the node's file:line:col when the value has the wrong type.

#include <cstdint>
#include <string>
#include <vector>

#include "values/value.hpp"

namespace netpol::values {

class Cursor {
 public:
  // A cursor on `v` (may be null for an absent key), known by `path`; `where` is used only
  // when the value is absent (a present value has its own location).
  Cursor(const Value* v, std::string path, Location where);
  static Cursor root(const Value& v) { return Cursor(&v, "", v.loc); }

  // Absent, or present as YAML null: both mean "not set" to the chart's templates.
  bool present() const { return v_ && !v_->is_null(); }
  const std::string& path() const { return path_; }
  const Location& where() const { return v_ ? v_->loc : where_; }
  const Value* value() const { return v_; }

  // The child `key` of a map (absent when this is absent); throws if this is not a map.
  Cursor operator[](const std::string& key) const;
  bool is_map() const { return v_ && v_->is_map(); }

  // Each item of a list (nothing when absent); throws if present and not a list.
  std::vector<Cursor> items() const;
  // Each entry of a map as (key, cursor) (nothing when absent); throws if not a map.
  std::vector<std::pair<std::string, Cursor>> entries() const;

  bool as_bool(bool fallback) const;
  std::string as_string() const;  // any scalar's text
  std::int64_t as_int() const;

  // Throws InputError at this node: "where: path: message".
  [[noreturn]] void fail(const std::string& message) const;
  // Runs `parse` on this node's text, turning its ValueError into an InputError here.
  template <typename F>
  auto parse(F&& parse) const -> decltype(parse(std::string())) {
    try {
      return parse(as_string());
    } catch (const ValueError& e) {
      fail(e.what());
    }
  }

 private:
  const Value* v_;
  std::string path_;
  Location where_;
};

}  // namespace netpol::values
