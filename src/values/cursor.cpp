#include "values/cursor.hpp"

namespace netpol::values {

Cursor::Cursor(const Value* v, std::string path, Location where)
    : v_(v), path_(std::move(path)), where_(std::move(where)) {}

Cursor Cursor::operator[](const std::string& key) const {
  std::string p = path_key(path_, key);
  if (!present()) return Cursor(nullptr, p, where());
  if (!v_->is_map()) fail("expected a map, got " + describe(*v_));
  // A present child has its own location: the parent's is kept only for an absent one.
  const Value* child = v_->find(key);
  return child ? Cursor(child, std::move(p), Location{}) : Cursor(nullptr, std::move(p), where());
}

std::vector<Cursor> Cursor::items() const {
  std::vector<Cursor> out;
  if (!present()) return out;
  if (!v_->is_seq()) fail("expected a list, got " + describe(*v_));
  for (std::size_t i = 0; i < v_->seq.size(); ++i)
    out.emplace_back(&v_->seq[i], path_index(path_, i), Location{});
  return out;
}

std::vector<std::pair<std::string, Cursor>> Cursor::entries() const {
  std::vector<std::pair<std::string, Cursor>> out;
  if (!present()) return out;
  if (!v_->is_map()) fail("expected a map, got " + describe(*v_));
  for (const auto& e : v_->map)
    out.emplace_back(e.key, Cursor(&e.value, path_key(path_, e.key), Location{}));
  return out;
}

bool Cursor::as_bool(bool fallback) const {
  if (!present()) return fallback;
  if (auto b = values::as_bool(*v_)) return *b;
  fail("expected a boolean (true or false), got " + describe(*v_));
}

std::string Cursor::as_string() const {
  if (!present() || !v_->is_scalar())
    fail("expected a string, got " + (v_ ? describe(*v_) : std::string("nothing")));
  return v_->scalar;
}

std::int64_t Cursor::as_int() const {
  if (present())
    if (auto n = values::as_int(*v_)) return *n;
  fail("expected a whole number, got " + (v_ ? describe(*v_) : std::string("nothing")));
}

void Cursor::fail(const std::string& message) const {
  throw InputError(where(), path_, message);
}

}  // namespace netpol::values
