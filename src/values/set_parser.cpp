#include "values/set_parser.hpp"

#include <cctype>

namespace netpol::values {
namespace {

constexpr int kMaxNestedNameLevel = 30;  // Helm's limits
constexpr long kMaxIndex = 65536;

bool equal_fold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

class SetParser {
 public:
  SetParser(std::string_view s, std::string source, bool force_string)
      : s_(s), source_(std::move(source)), force_string_(force_string) {}

  void parse(Value& root) {
    while (pos_ < s_.size()) key(root, 0, "");
  }

 private:
  struct Token {
    std::string text;
    char stop = 0;  // 0 at end of input
    std::size_t start = 0;
  };

  Location at(std::size_t pos) const { return Location{source_, 1, static_cast<int>(pos) + 1}; }

  [[noreturn]] void fail(std::size_t pos, const std::string& path, const std::string& msg) const {
    throw InputError(at(pos), path, msg);
  }

  // Reads up to (and consumes) one of `stops`, undoing backslash escapes.
  Token until(std::string_view stops) {
    Token token;
    token.start = pos_;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (stops.find(c) != std::string_view::npos) {
        token.stop = c;
        return token;
      }
      if (c == '\\') {
        if (pos_ == s_.size()) break;  // a trailing backslash escapes nothing: Helm drops it
        c = s_[pos_++];
      }
      token.text += c;
    }
    return token;
  }

  Value typed(const std::string& text, std::size_t start) const {
    Location loc = at(start);
    if (force_string_) return Value::make_scalar(text, true, loc);
    if (equal_fold(text, "true")) return Value::make_scalar("true", false, loc);
    if (equal_fold(text, "false")) return Value::make_scalar("false", false, loc);
    if (equal_fold(text, "null")) return Value{Kind::Null, "", false, {}, {}, loc};
    Value value = Value::make_scalar(text, false, loc);
    // Helm's strvals: "0", or base-10 int64 not starting with 0 (kept in canonical form, so
    // the YAML rules read the same number: "-0750" is -750 here, not octal); else a string.
    if (text == "0") return value;
    if (auto n = text.empty() || text[0] == '0' ? std::nullopt : parse_decimal(text)) {
      value.scalar = std::to_string(*n);
      return value;
    }
    value.quoted = true;  // anything else is a string
    return value;
  }

  // A value after '=': a {a,b} list or a scalar up to the next ','.
  Value value(const std::string& path) {
    std::size_t start = pos_;
    if (pos_ < s_.size() && s_[pos_] == '{') {
      ++pos_;
      Value list = Value::make_seq(at(start));
      for (;;) {
        Token token = until(",}");
        if (token.stop == 0) fail(start, path, "list must terminate with '}'");
        list.seq.push_back(typed(token.text, token.start));
        if (token.stop == '}') {
          if (pos_ < s_.size() && s_[pos_] == ',') ++pos_;
          return list;
        }
      }
    }
    Token t = until(",");
    return typed(t.text, t.start);
  }

  // Parses one `key...=value`; false when the input ended before a key began.
  bool key(Value& data, int level, const std::string& parent) {
    Token token = until("=[,.");
    std::string path = path_key(parent, token.text);
    switch (token.stop) {
      case 0:
        if (token.text.empty()) return false;
        fail(token.start, path, "key \"" + token.text + "\" has no value");
      case ',':
        fail(token.start, path, "key \"" + token.text + "\" has no value (cannot end with ,)");
      case '=':
        if (!token.text.empty())
          data.set(token.text, value(path), at(token.start));
        else
          value(path);  // Helm drops an empty key
        return true;
      case '[': {
        long index = read_index(path);
        Value* existing = data.find(token.text);
        Value list = Value::make_seq(at(token.start));
        if (existing) {  // Helm fails on anything but a list here, null from -f included
          if (!existing->is_seq())
            fail(token.start, path,
                 "cannot index " + describe(*existing) + " as a list" + set_at(*existing));
          list = *existing;
        }
        // "name[0]" with nothing after it sets name to the list as it is (Helm's listItem).
        list_item(list, index, level, path_index(path, static_cast<std::size_t>(index)));
        if (!token.text.empty())
          data.set(token.text, std::move(list), at(token.start));  // Helm drops ""
        return true;
      }
      case '.': {
        if (++level > kMaxNestedNameLevel)
          fail(token.start, path,
               "value name nested level is greater than maximum supported nested level of " +
                   std::to_string(kMaxNestedNameLevel));
        Value inner = Value::make_map(at(token.start));
        if (Value* existing = data.find(token.text)) {  // null from -f included, as in Helm
          if (!existing->is_map())
            fail(token.start, path,
                 "cannot set a key inside " + describe(*existing) + set_at(*existing));
          inner = *existing;
        }
        bool complete = key(inner, level, path);
        if (complete && inner.map.empty())
          fail(token.start, path, "key map \"" + token.text + "\" has no value");
        // An empty segment (".a=b", "a..b=c") sets nothing, as in Helm.
        if (!inner.map.empty() && !token.text.empty())
          data.set(token.text, std::move(inner), at(token.start));
        return complete;
      }
    }
    return true;
  }

  // " (set at values.yaml:3:8)" for a value that came from a file or an earlier --set.
  static std::string set_at(const Value& v) {
    return v.loc.known() ? " (set at " + v.loc.str() + ")" : "";
  }

  long read_index(const std::string& path) {
    Token token = until("]");
    if (token.stop != ']') fail(token.start, path, "error parsing index: missing ']'");
    if (token.text.empty()) fail(token.start, path, "error parsing index: empty index");
    std::size_t i = 0;
    bool negative = token.text[0] == '-' || token.text[0] == '+';
    if (negative) i = 1;
    long n = 0;
    if (i == token.text.size())
      fail(token.start, path, "error parsing index: \"" + token.text + "\"");
    for (; i < token.text.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(token.text[i])))
        fail(token.start, path, "error parsing index: \"" + token.text + "\" is not a number");
      if (n <= kMaxIndex) n = n * 10 + (token.text[i] - '0');
    }
    if (token.text[0] == '-' && n != 0)
      fail(token.start, path, "negative " + token.text + " index not allowed");
    if (n > kMaxIndex)
      fail(token.start, path,
           "index of " + token.text + " is greater than maximum supported index of " +
               std::to_string(kMaxIndex));
    return n;
  }

  static void set_index(Value& list, long index, Value value) {
    // Helm pads with nulls; they point at the list, which is where the user made them.
    if (static_cast<long>(list.seq.size()) <= index)
      list.seq.resize(index + 1, Value{Kind::Null, "", false, {}, {}, list.loc});
    list.seq[index] = std::move(value);
  }

  void list_item(Value& list, long index, int level, const std::string& path) {
    Token token = until("[.=");
    if (!token.text.empty())
      fail(token.start, path, "unexpected data at end of array index: \"" + token.text + "\"");
    switch (token.stop) {
      case 0:
        return;  // "name[0]" alone: the list stays as it is
      case '=':
        set_index(list, index, value(path));
        return;
      case '[': {
        long next = read_index(path);
        Value inner = Value::make_seq(at(token.start));
        if (index < static_cast<long>(list.seq.size()) && list.seq[index].is_seq())
          inner = list.seq[index];
        list_item(inner, next, level, path_index(path, static_cast<std::size_t>(next)));
        set_index(list, index, std::move(inner));
        return;
      }
      case '.': {
        Value inner = Value::make_map(at(token.start));
        if (index < static_cast<long>(list.seq.size()) && list.seq[index].is_map())
          inner = list.seq[index];
        key(inner, level, path);
        set_index(list, index, std::move(inner));
        return;
      }
    }
  }

  std::string_view s_;
  std::string source_;
  bool force_string_;
  std::size_t pos_ = 0;
};

}  // namespace

void apply_set(Value& root, std::string_view arg, const std::string& source, bool force_string) {
  SetParser(arg, source, force_string).parse(root);
}

}  // namespace netpol::values
