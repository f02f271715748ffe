#pragma once
// Pretty-printed JSON written straight to a stream, byte for byte what nlohmann::json's
// dump(2) prints for the same document, without building the document in memory first (the
// graph of 10,000 services is 30 MB of JSON; building it as nlohmann values and then
// dumping it took longer than reading the values).

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace netpol::exporters {

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}
  ~JsonWriter();  // writes what is left
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  // Containers; inside an object, every value follows a key().
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view text);
  JsonWriter& number(long long n);
  JsonWriter& boolean(bool b);
  JsonWriter& null();
  // A small document built with nlohmann (a selector, a list of needs).
  JsonWriter& value(const nlohmann::ordered_json& j);

  // key(name).string(text), and so on.
  JsonWriter& field(std::string_view name, std::string_view text) { return key(name).string(text); }

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void before_value();  // a comma and a new line inside an array; nothing after a key
  void new_line();      // ",\n" or "\n", then the indentation of the current level
  void quoted(std::string_view text);
  void put(std::string_view text) { buf_.append(text); }
  void flush();  // hands the buffer to the stream: when the document ends, or it grows large

  static constexpr std::size_t kFlushAt = 1 << 16;

  std::ostream& out_;
  std::vector<bool> levels_;  // per open container: still empty
  bool after_key_ = false;
  std::string buf_;  // written to out_ in large pieces: one stream call per token is slow
};

}  // namespace netpol::exporters
