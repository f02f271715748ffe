#include "values/value_codec.hpp"

#include <cstdint>

namespace netpol::values {
namespace {

// Format: "NPV1", the file name, then the root node. A node is a tag byte (kind in bits 0-1,
// quoted in bit 2, located in bit 3), line and column, then its scalar text, or its entry
// count and entries (key, node), or its item count and items. Numbers are LEB128 varints.
constexpr std::string_view kMagic = "NPV1";
constexpr unsigned kQuoted = 4, kLocated = 8;

void put_number(std::string& out, std::uint64_t n) {
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
}

void put_text(std::string& out, std::string_view text) {
  put_number(out, text.size());
  out += text;
}

void put_node(std::string& out, const Value& v, const std::string& file) {
  if (v.loc.known() && v.loc.file != file)
    throw std::invalid_argument("values tree names two files: " + file + " and " + v.loc.file);
  if (v.loc.line < 0 || v.loc.column < 0)
    throw std::invalid_argument("values tree has a negative line or column");
  unsigned tag =
      static_cast<unsigned>(v.kind) | (v.quoted ? kQuoted : 0) | (v.loc.known() ? kLocated : 0);
  out += static_cast<char>(tag);
  put_number(out, static_cast<std::uint32_t>(v.loc.line));
  put_number(out, static_cast<std::uint32_t>(v.loc.column));
  switch (v.kind) {
    case Kind::Null:
      break;
    case Kind::Scalar:
      put_text(out, v.scalar);
      break;
    case Kind::Map:
      put_number(out, v.map.size());
      for (const MapEntry& e : v.map) {
        put_text(out, e.key);
        put_node(out, e.value, file);
      }
      break;
    case Kind::Seq:
      put_number(out, v.seq.size());
      for (const Value& item : v.seq) put_node(out, item, file);
      break;
  }
}

// The first file a node of the tree names, or "".
const std::string* first_file(const Value& v) {
  if (v.loc.known()) return &v.loc.file.str();
  for (const MapEntry& e : v.map)
    if (const std::string* f = first_file(e.value)) return f;
  for (const Value& item : v.seq)
    if (const std::string* f = first_file(item)) return f;
  return nullptr;
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  Value tree() {
    if (data_.substr(0, kMagic.size()) != kMagic) fail("no NPV1 header");
    pos_ = kMagic.size();
    file_ = std::string(text());
    Value root = node(0);
    if (pos_ != data_.size()) fail("bytes after the root node");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::invalid_argument("not an encoded values tree (" + why + " at byte " +
                                std::to_string(pos_) + ")");
  }

  std::uint64_t number() {
    std::uint64_t n = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) fail("truncated number");
      auto byte = static_cast<unsigned char>(data_[pos_++]);
      n |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return n;
    }
    fail("number too long");
  }

  std::string_view text() {
    std::uint64_t size = number();
    if (size > data_.size() - pos_) fail("truncated text");
    std::string_view t = data_.substr(pos_, size);
    pos_ += size;
    return t;
  }

  // A count of items, each at least two bytes long: bounded by what is left.
  std::size_t count() {
    std::uint64_t n = number();
    if (n > (data_.size() - pos_) / 2) fail("count larger than the data");
    return static_cast<std::size_t>(n);
  }

  Value node(int depth) {
    if (depth > 10000) fail("nesting too deep");
    if (pos_ >= data_.size()) fail("truncated node");
    auto tag = static_cast<unsigned char>(data_[pos_++]);
    if (tag & ~(3u | kQuoted | kLocated)) fail("unknown tag");
    Value value;
    value.kind = static_cast<Kind>(tag & 3);
    value.quoted = tag & kQuoted;
    auto line = number(), column = number();
    if (line > INT32_MAX || column > INT32_MAX) fail("location out of range");
    value.loc.line = static_cast<int>(line);
    value.loc.column = static_cast<int>(column);
    if (tag & kLocated) value.loc.file = file_;
    switch (value.kind) {
      case Kind::Null:
        break;
      case Kind::Scalar:
        value.scalar = std::string(text());
        break;
      case Kind::Map: {
        std::size_t n = count();
        value.map.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
          std::string key(text());
          value.map.push_back(MapEntry{std::move(key), node(depth + 1)});
        }
        break;
      }
      case Kind::Seq: {
        std::size_t n = count();
        value.seq.reserve(n);
        for (std::size_t i = 0; i < n; ++i) value.seq.push_back(node(depth + 1));
        break;
      }
    }
    return value;
  }

  std::string_view data_;
  std::size_t pos_ = 0;
  FileName file_;
};

}  // namespace

std::string encode(const Value& tree) {
  const std::string* named = first_file(tree);
  std::string file = named ? *named : "";
  std::string out(kMagic);
  put_text(out, file);
  put_node(out, tree, file);
  return out;
}

Value decode(std::string_view data) {
  return Reader(data).tree();
}

}  // namespace netpol::values
