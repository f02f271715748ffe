#include "exporters/json_writer.hpp"

#include <cstdio>
#include <string>

#include "text.hpp"

namespace netpol::exporters {

JsonWriter::~JsonWriter() {
  flush();
}

void JsonWriter::flush() {
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
}

void JsonWriter::new_line() {
  put(levels_.back() ? "\n" : ",\n");
  levels_.back() = false;
  buf_.append(2 * levels_.size(), ' ');
}

void JsonWriter::before_value() {
  if (after_key_)
    after_key_ = false;
  else if (!levels_.empty())
    new_line();
}

JsonWriter& JsonWriter::key(std::string_view name) {
  new_line();
  quoted(name);
  put(": ");
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::open(char bracket) {
  before_value();
  buf_ += bracket;
  levels_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  bool empty = levels_.back();
  levels_.pop_back();
  if (!empty) {
    buf_ += '\n';
    buf_.append(2 * levels_.size(), ' ');
  }
  buf_ += bracket;
  if (levels_.empty() || buf_.size() >= kFlushAt) flush();
  return *this;
}

// As nlohmann's serializer escapes without ensure_ascii: quotes, backslashes and control
// characters; everything else (UTF-8 included) as it is.
void JsonWriter::quoted(std::string_view text) {
  static const char* const kHex = "0123456789abcdef";
  buf_ += '"';
  std::size_t plain = 0;  // start of the run not yet written
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      // Inputs are UTF-8 (the reader refuses anything else), but a file name need not be:
      // a byte that is not UTF-8 is written as the text "\xFF", as messages show it.
      CodePoint cp = code_point_at(text, i);
      if (cp.valid) {
        i += cp.length - 1;
        continue;
      }
      buf_.append(text.data() + plain, i - plain);
      plain = i + 1;
      char escaped[8];  // the text \xFF, its backslash escaped for JSON
      std::snprintf(escaped, sizeof escaped, "\\\\x%02X", c);
      put(escaped);
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    buf_.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        put("\\\"");
        break;
      case '\\':
        put("\\\\");
        break;
      case '\b':
        put("\\b");
        break;
      case '\t':
        put("\\t");
        break;
      case '\n':
        put("\\n");
        break;
      case '\f':
        put("\\f");
        break;
      case '\r':
        put("\\r");
        break;
      default:
        put("\\u00");
        buf_ += kHex[c >> 4];
        buf_ += kHex[c & 0xf];
    }
  }
  buf_.append(text.data() + plain, text.size() - plain);
  buf_ += '"';
}

JsonWriter& JsonWriter::string(std::string_view text) {
  before_value();
  quoted(text);
  return *this;
}

JsonWriter& JsonWriter::number(long long n) {
  before_value();
  buf_ += std::to_string(n);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool b) {
  before_value();
  put(b ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  put("null");
  return *this;
}

JsonWriter& JsonWriter::value(const nlohmann::ordered_json& json) {
  switch (json.type()) {
    case nlohmann::ordered_json::value_t::object:
      begin_object();
      for (const auto& [k, v] : json.items()) {
        key(k);
        value(v);
      }
      return end_object();
    case nlohmann::ordered_json::value_t::array:
      begin_array();
      for (const auto& v : json) value(v);
      return end_array();
    case nlohmann::ordered_json::value_t::string:
      return string(json.get_ref<const std::string&>());
    case nlohmann::ordered_json::value_t::boolean:
      return boolean(json.get<bool>());
    case nlohmann::ordered_json::value_t::null:
      return null();
    case nlohmann::ordered_json::value_t::number_integer:
      return number(json.get<long long>());
    default:  // unsigned and floating-point numbers, as nlohmann prints them
      before_value();
      buf_ += json.dump();
      return *this;
  }
}

}  // namespace netpol::exporters
