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
    Token t;
    t.start = pos_;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (stops.find(c) != std::string_view::npos) {
        t.stop = c;
        return t;
      }
      if (c == '\\') {
        if (pos_ == s_.size()) break;  // a trailing backslash escapes nothing: Helm drops it
        c = s_[pos_++];
      }
      t.text += c;
    }
    return t;
  }

  Value typed(const std::string& text, std::size_t start) const {
    Location loc = at(start);
    if (force_string_) return Value::make_scalar(text, true, loc);
    if (equal_fold(text, "true")) return Value::make_scalar("true", false, loc);
    if (equal_fold(text, "false")) return Value::make_scalar("false", false, loc);
    if (equal_fold(text, "null")) return Value{Kind::Null, "", false, {}, {}, loc};
    Value v = Value::make_scalar(text, false, loc);
    // Helm's strvals: "0", or base-10 int64 not starting with 0 (kept in canonical form, so
    // the YAML rules read the same number: "-0750" is -750 here, not octal); else a string.
    if (text == "0") return v;
    if (auto n = text.empty() || text[0] == '0' ? std::nullopt : parse_decimal(text)) {
      v.scalar = std::to_string(*n);
      return v;
    }
    v.quoted = true;  // anything else is a string
    return v;
  }

  // A value after '=': a {a,b} list or a scalar up to the next ','.
  Value value(const std::string& path) {
    std::size_t start = pos_;
    if (pos_ < s_.size() && s_[pos_] == '{') {
      ++pos_;
      Value list = Value::make_seq(at(start));
      for (;;) {
        Token t = until(",}");
        if (t.stop == 0) fail(start, path, "list must terminate with '}'");
        list.seq.push_back(typed(t.text, t.start));
        if (t.stop == '}') {
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
    Token k = until("=[,.");
    std::string path = path_key(parent, k.text);
    switch (k.stop) {
      case 0:
        if (k.text.empty()) return false;
        fail(k.start, path, "key \"" + k.text + "\" has no value");
      case ',':
        fail(k.start, path, "key \"" + k.text + "\" has no value (cannot end with ,)");
      case '=':
        if (!k.text.empty())
          data.set(k.text, value(path), at(k.start));
        else
          value(path);  // Helm drops an empty key
        return true;
      case '[': {
        long index = read_index(path);
        Value* existing = data.find(k.text);
        Value list = Value::make_seq(at(k.start));
        if (existing) {  // Helm fails on anything but a list here, null from -f included
          if (!existing->is_seq())
            fail(k.start, path,
                 "cannot index " + describe(*existing) + " as a list" + set_at(*existing));
          list = *existing;
        }
        // "name[0]" with nothing after it sets name to the list as it is (Helm's listItem).
        list_item(list, index, level, path_index(path, static_cast<std::size_t>(index)));
        if (!k.text.empty()) data.set(k.text, std::move(list), at(k.start));  // Helm drops ""
        return true;
      }
      case '.': {
        if (++level > kMaxNestedNameLevel)
          fail(k.start, path,
               "value name nested level is greater than maximum supported nested level of " +
                   std::to_string(kMaxNestedNameLevel));
        Value inner = Value::make_map(at(k.start));
        if (Value* existing = data.find(k.text)) {  // null from -f included, as in Helm
          if (!existing->is_map())
            fail(k.start, path,
                 "cannot set a key inside " + describe(*existing) + set_at(*existing));
          inner = *existing;
        }
        bool complete = key(inner, level, path);
        if (complete && inner.map.empty())
          fail(k.start, path, "key map \"" + k.text + "\" has no value");
        // An empty segment (".a=b", "a..b=c") sets nothing, as in Helm.
        if (!inner.map.empty() && !k.text.empty()) data.set(k.text, std::move(inner), at(k.start));
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
    Token t = until("]");
    if (t.stop != ']') fail(t.start, path, "error parsing index: missing ']'");
    if (t.text.empty()) fail(t.start, path, "error parsing index: empty index");
    std::size_t i = 0;
    bool negative = t.text[0] == '-' || t.text[0] == '+';
    if (negative) i = 1;
    long n = 0;
    if (i == t.text.size()) fail(t.start, path, "error parsing index: \"" + t.text + "\"");
    for (; i < t.text.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(t.text[i])))
        fail(t.start, path, "error parsing index: \"" + t.text + "\" is not a number");
      if (n <= kMaxIndex) n = n * 10 + (t.text[i] - '0');
    }
    if (t.text[0] == '-' && n != 0)
      fail(t.start, path, "negative " + t.text + " index not allowed");
    if (n > kMaxIndex)
      fail(t.start, path,
           "index of " + t.text + " is greater than maximum supported index of " +
               std::to_string(kMaxIndex));
    return n;
  }

  static void set_index(Value& list, long index, Value v) {
    // Helm pads with nulls; they point at the list, which is where the user made them.
    if (static_cast<long>(list.seq.size()) <= index)
      list.seq.resize(index + 1, Value{Kind::Null, "", false, {}, {}, list.loc});
    list.seq[index] = std::move(v);
  }

  void list_item(Value& list, long index, int level, const std::string& path) {
    Token t = until("[.=");
    if (!t.text.empty())
      fail(t.start, path, "unexpected data at end of array index: \"" + t.text + "\"");
    switch (t.stop) {
      case 0:
        return;  // "name[0]" alone: the list stays as it is
      case '=':
        set_index(list, index, value(path));
        return;
      case '[': {
        long next = read_index(path);
        Value inner = Value::make_seq(at(t.start));
        if (index < static_cast<long>(list.seq.size()) && list.seq[index].is_seq())
          inner = list.seq[index];
        list_item(inner, next, level, path_index(path, static_cast<std::size_t>(next)));
        set_index(list, index, std::move(inner));
        return;
      }
      case '.': {
        Value inner = Value::make_map(at(t.start));
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
