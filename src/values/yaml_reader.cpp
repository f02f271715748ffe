#include "values/yaml_reader.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <istream>
#include <optional>
#include <set>
#include <streambuf>
#include <string>
#include <unordered_map>

#include "text.hpp"

namespace netpol::values {
namespace {

// Strings after YAML's escapes ("\e", "\x85", "\uD800" in double quotes): what is not
// Unicode text and control characters are refused there too. Keys may not hold line breaks
// or tabs either.
void check_string(const std::string& s, const Location& loc, const std::string& path, bool key) {
  for (std::size_t i = 0; i < s.size();) {
    CodePoint point = code_point_at(s, i);
    if (!point.valid)
      throw InputError(loc, path,
                       std::string(key ? "a key" : "a string") +
                           " is not Unicode text (a surrogate or ill-formed UTF-8)");
    if (std::string what = forbidden_character(point.cp, !key); !what.empty())
      throw InputError(loc, path,
                       std::string(key ? "a key" : "a string") + " holds " + what + "; " +
                           forbidden_rule(point.cp));
    i += point.length;
  }
}

// go-yaml v2's !!binary: standard base64 (padding required), line breaks ignored, decoded to
// the string of its bytes. Nothing when it is not base64.
std::optional<std::string> decode_base64(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0, padding = 0;
  std::size_t symbols = 0;
  for (char c : text) {
    if (c == '\n' || c == '\r') continue;
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '+'             ? 62
            : c == '/'             ? 63
            : c == '='             ? -2
                                   : -1;
    if (v == -1 || (padding && v != -2)) return std::nullopt;
    ++symbols;
    if (v == -2) {
      if (++padding > 2) return std::nullopt;
      continue;
    }
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (symbols % 4 != 0) return std::nullopt;
  return out;
}

// Whether `text` is a timestamp as go-yaml v2 reads one (resolve.go, allowedTimestampFormats
// through Go's time.Parse): 2006-1-2, then optionally a 'T' or 't' and 15:4:5 with an
// optional fraction and a zone (Z or +07:00), or a space and 15:4:5 with an optional fraction.
bool is_timestamp(std::string_view text) {
  std::size_t i = 0;
  auto number = [&](std::size_t min, std::size_t max, int& out) {
    std::size_t start = i;
    out = 0;
    while (i < text.size() && i - start < max && std::isdigit(static_cast<unsigned char>(text[i])))
      out = out * 10 + (text[i++] - '0');
    return i - start >= min;
  };
  auto take = [&](char c) { return i < text.size() && text[i] == c && (++i, true); };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!number(4, 4, year) || !take('-') || !number(1, 2, month) || !take('-') || !number(1, 2, day))
    return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > days[month - 1] + (month == 2 && leap))
    return false;
  if (i == text.size()) return true;
  bool zoned = text[i] == 'T' || text[i] == 't';
  if (!zoned && text[i] != ' ') return false;
  ++i;
  if (!number(1, 2, hour) || !take(':') || !number(1, 2, minute) || !take(':') ||
      !number(1, 2, second) || hour > 23 || minute > 59 || second > 59)
    return false;
  if (take('.')) {
    int fraction = 0;
    if (!number(1, 9, fraction)) return false;
  }
  if (!zoned) return i == text.size();
  if (take('Z')) return i == text.size();
  int zh = 0, zm = 0;
  if (!(take('+') || take('-')) || !number(2, 2, zh) || !take(':') || !number(2, 2, zm))
    return false;
  return i == text.size();
}

// A plain map key as Helm has it: go-yaml v2 decodes `0x1F:`, `yes:` and `1e3:` as a number
// or boolean, and sigs.k8s.io/yaml writes each back as a string for JSON: "31", "true",
// "1000" (a float as Go's FormatFloat(f, 'g', -1, 32) spells it). Empty when Helm refuses the
// key (null, or an integer past int64).
std::string helm_key(const std::string& text, bool* refused) {
  *refused = false;
  Value v = Value::make_scalar(text, false, {});
  switch (resolve_plain(text)) {
    case ScalarType::Str:
      return text;
    case ScalarType::Bool:
      return *as_bool(v) ? "true" : "false";
    case ScalarType::Null:
      *refused = true;
      return "";
    case ScalarType::Int:
      if (std::optional<std::int64_t> n = as_int(v)) return std::to_string(*n);
      *refused = true;  // a uint64 key: "unsupported map key"
      return "";
    case ScalarType::Float:
      break;
  }
  std::optional<double> number = as_double(v);
  if (!number)
    return text.find_first_of("aA") != std::string::npos ? ".nan"
           : text[0] == '-'                              ? "-.inf"
                                                         : ".inf";
  // The shortest digits that read back as the same float (32 bits), then Go's 'g' layout:
  // an exponent when it is below -4 or at least 6 ("1e+06"), else plain digits.
  // A value past float's range is infinity in 32 bits: Go says "+Inf", sigs.k8s.io/yaml ".inf".
  const auto single = static_cast<float>(*number);
  if (std::isinf(single)) return single < 0 ? "-.inf" : ".inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, single, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  std::size_t exponent_at = sci.find('e');
  std::string mantissa = sci.substr(0, exponent_at);
  int exp = std::stoi(sci.substr(exponent_at + 1));
  bool negative = !mantissa.empty() && mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits += c;
  std::string out = negative ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ex[16];
    std::snprintf(ex, sizeof ex, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    return out + ex;
  }
  if (exp < 0) return out + "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
  auto point = static_cast<std::size_t>(exp) + 1;
  if (digits.size() <= point) return out + digits + std::string(point - digits.size(), '0');
  return out + digits.substr(0, point) + "." + digits.substr(point);
}

// What the documents of a stream read so far have expanded to: the budgets hold for all of
// them together.
struct Spent {
  std::size_t nodes = 0;
  std::size_t bytes = 0;
};

// How much of a document may come from aliases, as go-yaml v2 (which Helm reads values
// with) allows it (decode.go, allowedAliasRatio): 99% up to 400,000 decoded nodes, falling
// to 10% at 4,000,000. Beyond that it refuses the document as "excessive aliasing".
double allowed_alias_ratio(std::size_t decoded) {
  constexpr double low = 400'000, high = 4'000'000;
  if (decoded <= low) return 0.99;
  if (decoded >= high) return 0.10;
  return 0.99 - 0.89 * ((static_cast<double>(decoded) - low) / (high - low));
}

// A JSON document (or a YAML one that is one flow collection) read as the value of a block
// map key: yaml-cpp holds every token of a top-level flow collection until its end, as it
// might be a simple key (`{...}: x`), which made a 113 MB `kubectl get -o json` dump cost
// a gigabyte. As a value it cannot be a key, and its tokens are released as they are
// parsed. The Builder drops the wrapper's events and moves marks back by its width.
constexpr std::string_view kWrapKey = "x: ";

}  // namespace

SkipFields::SkipFields(const std::vector<std::string>& patterns) : nodes_(1) {
  for (const std::string& pattern : patterns) {
    int at = root();
    std::size_t start = 0;
    while (start <= pattern.size()) {
      std::size_t dot = pattern.find('.', start);
      if (dot == std::string::npos) dot = pattern.size();
      std::string part = pattern.substr(start, dot - start);
      const bool last = dot == pattern.size();
      start = dot + 1;
      if (last && part == "@") break;  // the step before led back to the top
      if (last && !part.empty() && part[0] == '!') {
        nodes_[static_cast<std::size_t>(at)].keep_only = true;
        for (std::size_t from = 1; from <= part.size();) {
          std::size_t comma = part.find(',', from);
          if (comma == std::string::npos) comma = part.size();
          nodes_[static_cast<std::size_t>(at)].keys.emplace(part.substr(from, comma - from), kNone);
          from = comma + 1;
        }
        break;
      }
      // The next part `@` makes this step lead back to the top.
      const bool back = !last && pattern.compare(start, std::string::npos, "@") == 0;
      Node& node = nodes_[static_cast<std::size_t>(at)];
      int& next = part == "*" ? node.any : node.keys.try_emplace(part, kNone).first->second;
      if (back) {
        next = root();
      } else if (next < 0) {
        next = static_cast<int>(nodes_.size());
        nodes_.emplace_back();
      }
      at = next;
      if (last) nodes_[static_cast<std::size_t>(at)].skip = true;
    }
  }
}

int SkipFields::child(int at, std::string_view key) const {
  if (at < 0) return kNone;
  const Node& node = nodes_[static_cast<std::size_t>(at)];
  auto it = key == "*" ? node.keys.end() : node.keys.find(key);
  if (node.keep_only && it == node.keys.end()) return kSkip;
  int next = it != node.keys.end() ? it->second : node.any;
  if (next < 0) return kNone;
  return nodes_[static_cast<std::size_t>(next)].skip ? kSkip : next;
}

namespace {

// Builds our tree straight from yaml-cpp's parser events, one node at a time, so that no
// second tree (yaml-cpp's) is ever built and every budget (nodes, depth, aliases) is checked
// before the node that would exceed it is made. What it builds is what go-yaml v2 decodes:
// scalars resolved by their tags, merge keys in decode order, duplicate keys refused.
class Builder : public YAML::EventHandler {
 public:
  Builder(std::string_view text, std::string file, const ReadLimits& limits, int line_offset,
          Spent before, std::size_t wrap_at = std::string_view::npos)
      : text_(text),
        file_(file),
        limits_(limits),
        line_offset_(line_offset),
        nodes_(before.nodes),
        bytes_(before.bytes) {
    if (wrap_at != std::string_view::npos) {
      wrap_pos_ = static_cast<int>(wrap_at);
      wrap_line_ = static_cast<int>(
          std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(wrap_at), '\n'));
      std::size_t line_start = text.rfind('\n', wrap_at == 0 ? 0 : wrap_at - 1);
      wrap_column_ = static_cast<int>(wrap_at == 0 || line_start == std::string_view::npos
                                          ? wrap_at
                                          : wrap_at - line_start - 1);
      wrapper_ = 3;  // its map's start, its key, its map's end
    }
  }

  // Events from a JSON parser (JsonEvents): JSON's escapes are not YAML 1.1's.
  void reading_json() { json_ = true; }

  // A mark of the wrapped text as a mark of the document's own text.
  YAML::Mark unwrap(YAML::Mark mark) const {
    if (wrap_pos_ < 0 || mark.is_null()) return mark;
    const int width = static_cast<int>(kWrapKey.size());
    if (mark.line == wrap_line_ && mark.column >= wrap_column_ + width) mark.column -= width;
    if (mark.pos >= wrap_pos_ + width) mark.pos -= width;
    return mark;
  }

  // The document's top node; null for an empty document.
  Value take() { return std::move(root_); }
  Spent spent() const { return {nodes_, bytes_}; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (skipped(0, mark, anchor)) return;
    std::string path = child_path(mark, false);
    count(1, mark, path);
    deliver(Value{Kind::Null, "", false, {}, {}, at(mark)}, anchor, {1, 0});
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (skipped(0, mark, 0)) return;
    std::string path = child_path(mark, false);
    if (skipped_anchors_.count(anchor))
      throw InputError(at(mark), path,
                       "an alias refers to a node of a field netpol-graph does not read "
                       "(status, metadata.managedFields, ...; docs/manifests.md)");
    auto it = anchors_.find(anchor);
    if (it == anchors_.end())  // yaml-cpp numbers an anchor when it opens: this one is open
      throw InputError(at(mark), path, "an alias refers to a node that contains it (endless)");
    // As go-yaml v2 counts: the alias itself is one node of the document, what it copies
    // are nodes from aliases.
    auto [size, bytes] = it->second.second;
    count(1 + size, mark, path);
    aliased_ += size;
    // The bytes it copies count against the input limit, as if they were written out: a
    // small file cannot expand to more text than a large one may hold.
    bytes_ += bytes;
    if (bytes_ > limits_.max_bytes)
      throw InputError(at(mark), path,
                       "the document expands its aliases to more than " +
                           std::to_string(limits_.max_bytes >> 20) +
                           " MiB of text, the input limit (raise it with --input-limit)");
    if (aliased_ > 100 && nodes_ > 1000 &&
        static_cast<double>(aliased_) / static_cast<double>(nodes_) > allowed_alias_ratio(nodes_))
      throw InputError(at(mark), path,
                       "the document expands its aliases too far (" + std::to_string(aliased_) +
                           " of " + std::to_string(nodes_) +
                           " nodes); Helm refuses it as excessive aliasing");
    deliver(Value(it->second.first), 0, {1 + size, bytes});
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& text) override {
    if (wrapper_ == 2 && stack_.empty()) {  // the wrapper's key
      --wrapper_;
      return;
    }
    if (skipped(0, mark, anchor)) return;
    bool key = expecting_key();
    std::string path = child_path(mark, true);
    count(1, mark, path);
    Location loc = at(mark);
    check_string(text, loc, path, key);
    check_escapes(mark, loc, path);
    bytes_ += text.size();
    deliver(scalar(text, tag, loc, path, key), anchor, {1, text.size()});
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    if (skipped(1, mark, anchor)) return;
    open(Value::make_seq(at(mark)), mark, anchor);
  }
  void OnSequenceEnd() override {
    if (skipped(-1, YAML::Mark::null_mark(), 0)) return;
    close();
  }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    if (wrapper_ == 3) {  // the wrapper's map
      --wrapper_;
      return;
    }
    if (skipped(1, mark, anchor)) return;
    open(Value::make_map(at(mark)), mark, anchor);
  }
  void OnMapEnd() override {
    if (wrapper_ == 1 && stack_.empty() && skipping_ == 0) {  // the wrapper's end
      --wrapper_;
      return;
    }
    if (skipped(-1, YAML::Mark::null_mark(), 0)) return;
    close();
  }

 private:
  // What a node expands to: nodes (itself included) and bytes of scalar text.
  struct Size {
    std::size_t nodes = 1;
    std::size_t bytes = 0;
  };

  struct Frame {
    Value value;  // the map or list being built
    std::string path;
    YAML::anchor_t anchor = 0;
    Size size{1, 0};  // so far, itself included (for aliases to it)
    // A map's state: a key is waiting for its value.
    bool has_key = false;
    std::string key;
    Location key_at;
    bool merge = false;                            // the key is <<
    int skip_at = SkipFields::kNone;               // where this node is in limits_.skip's patterns
    int value_skip = SkipFields::kNone;            // what becomes of the waiting key's value
    std::unordered_map<std::string, int> written;  // explicit keys -> line
    std::unordered_map<std::string, std::size_t> index;  // key -> entry, once the map is big
  };

  Location at(YAML::Mark mark) const {
    if (mark.is_null()) return Location{file_, 0, 0};
    mark = unwrap(mark);
    return Location{file_, mark.line + 1 + line_offset_, mark.column + 1};
  }

  // Whether an event belongs to a field limits_.skip skips (`delta`: +1 opens a map or list,
  // -1 closes one, 0 a scalar, null or alias). A skipped field is parsed (yaml-cpp reads
  // every byte) but nothing of it is built or counted; its depth still is.
  bool skipped(int delta, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (skipping_ == 0) {
      if (stack_.empty() || !limits_.skip) return false;
      const Frame& frame = stack_.back();
      const int what = frame.value.is_map() ? (frame.has_key ? frame.value_skip : SkipFields::kNone)
                                            : limits_.skip->child(frame.skip_at, "*");
      if (what != SkipFields::kSkip) return false;
    }
    if (anchor) skipped_anchors_.insert(anchor);
    skipping_ += delta;
    if (static_cast<int>(stack_.size()) + skipping_ > limits_.max_depth)
      throw InputError(at(mark), "",
                       "nesting deeper than " + std::to_string(limits_.max_depth) +
                           " levels; refusing to read further");
    if (skipping_ == 0) {  // the skipped value is complete: the map waits for a key again
      Frame& f = stack_.back();
      if (f.value.is_map()) {
        f.has_key = false;
        f.value_skip = SkipFields::kNone;
      }
    }
    return true;
  }

  // Where a node that starts now is in limits_.skip's patterns.
  int skip_at_child() const {
    if (!limits_.skip) return SkipFields::kNone;
    if (stack_.empty()) return SkipFields::root();
    const Frame& f = stack_.back();
    return f.value.is_map() ? f.value_skip : limits_.skip->child(f.skip_at, "*");
  }

  bool expecting_key() const {
    return !stack_.empty() && stack_.back().value.is_map() && !stack_.back().has_key;
  }

  // The values path of the node that starts now; refuses a map or list as a map key.
  std::string child_path(const YAML::Mark& mark, bool scalar) const {
    if (stack_.empty()) return "";
    const Frame& frame = stack_.back();
    if (frame.value.is_seq()) return path_index(frame.path, frame.value.seq.size());
    if (frame.has_key) return path_key(frame.path, frame.key);
    if (!scalar) throw InputError(at(mark), frame.path, "map keys must be strings");
    return frame.path;
  }

  void count(std::size_t n, const YAML::Mark& mark, const std::string& path) {
    if (static_cast<int>(stack_.size()) > limits_.max_depth)  // its path is as long: left out
      throw InputError(at(mark), "",
                       "nesting deeper than " + std::to_string(limits_.max_depth) +
                           " levels; refusing to read further");
    nodes_ += n;
    if (nodes_ > limits_.max_nodes)
      throw InputError(at(mark), path,
                       "the document expands to more than " + std::to_string(limits_.max_nodes) +
                           " nodes (aliases included); refusing to read further");
  }

  void open(Value v, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (expecting_key())
      throw InputError(
          at(mark), stack_.back().path,
          std::string("map keys must be strings, not ") + (v.is_map() ? "maps" : "lists"));
    std::string path = child_path(mark, false);
    count(1, mark, path);
    Frame frame;
    frame.value = std::move(v);
    frame.path = std::move(path);
    frame.anchor = anchor;
    frame.skip_at = skip_at_child();
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.has_key)  // a key with no value event cannot happen; yaml-cpp sends a null
      throw InputError(frame.key_at, frame.path, "a key without a value");
    // A finished map or list keeps what it holds, not what growing it reserved: a cluster
    // dump's tree is millions of small maps (a third less memory).
    frame.value.map.shrink_to_fit();
    frame.value.seq.shrink_to_fit();
    deliver(std::move(frame.value), frame.anchor, frame.size);
  }

  // A complete node: the document's top, a list item, a map key or a map value.
  void deliver(Value v, YAML::anchor_t anchor, Size size) {
    if (anchor) anchors_[anchor] = {v, size};
    if (stack_.empty()) {
      root_ = std::move(v);
      return;
    }
    Frame& frame = stack_.back();
    frame.size.nodes += size.nodes;
    frame.size.bytes += size.bytes;
    if (frame.value.is_seq()) {
      frame.value.seq.push_back(std::move(v));
    } else if (!frame.has_key) {
      key(frame, std::move(v));
    } else {
      frame.has_key = false;
      if (frame.merge) {
        merge(frame, v);
      } else {
        if (v.is_null()) v.loc = frame.key_at;  // an empty value has no position of its own
        put(frame, std::move(frame.key), std::move(v), frame.key_at);
      }
    }
  }

  void key(Frame& frame, Value key_node) {
    if (!key_node.is_scalar())
      throw InputError(
          key_node.loc, frame.path,
          std::string("map keys must be strings, not ") + (key_node.is_null()  ? "null"
                                                           : key_node.is_map() ? "maps"
                                                                               : "lists"));
    frame.has_key = true;
    frame.value_skip = SkipFields::kNone;
    frame.key_at = key_node.loc;
    frame.merge = key_node.scalar == "<<" &&
                  !key_node.quoted;  // the YAML merge key, which Helm's parser honours
    if (!key_node.quoted && !frame.merge) {
      bool refused = false;
      std::string as_helm = helm_key(key_node.scalar, &refused);
      if (refused)
        throw InputError(key_node.loc, frame.path,
                         "the key " +
                             (key_node.scalar.empty() ? std::string("(empty)") : key_node.scalar) +
                             " is " + describe(key_node) +
                             " to Helm's YAML parser, which no values key can be (Helm refuses "
                             "it); quote it to mean the text");
      key_node.scalar = std::move(as_helm);
    }
    frame.key = std::move(key_node.scalar);
    if (frame.merge) return;
    if (limits_.skip) frame.value_skip = limits_.skip->child(frame.skip_at, frame.key);
    if (auto w = frame.written.find(frame.key); w != frame.written.end())
      throw InputError(frame.key_at, path_key(frame.path, frame.key),
                       "duplicate key \"" + frame.key + "\" (first at line " +
                           std::to_string(w->second) + "); Helm would silently use the last one");
    frame.written.emplace(frame.key, frame.key_at.line);
  }

  // A map as go-yaml v2 decodes one (decode.go, mapping and merge): entries in key order; a
  // merge key (<<) sets every key of its map (of a list of maps, the earlier ones winning)
  // over what is there, so a later << overrides an earlier one and keys written before it;
  // a key written after a << overrides what it merged.
  void merge(Frame& frame, const Value& m) {
    auto refuse = [&](const Location& where) {
      throw InputError(where, frame.path, "a merge key (<<) takes a map or a list of maps");
    };
    if (m.is_map()) {
      for (const auto& e : m.map) put(frame, e.key, e.value, e.key_location());
    } else if (m.is_seq()) {
      for (const Value& s : m.seq)
        if (!s.is_map()) refuse(s.loc);
      for (auto it = m.seq.rbegin(); it != m.seq.rend(); ++it)  // backwards: earlier win
        for (const auto& e : it->map) put(frame, e.key, e.value, e.key_location());
    } else {
      refuse(m.loc);
    }
  }

  static void put(Frame& frame, std::string k, Value v, const Location& key_at) {
    Value& out = frame.value;
    std::size_t i = out.map.size();
    if (out.map.size() < 16) {
      for (std::size_t j = 0; j < out.map.size(); ++j)
        if (out.map[j].key == k) i = j;
    } else {
      if (frame.index.size() != out.map.size()) {
        frame.index.clear();
        for (std::size_t j = 0; j < out.map.size(); ++j) frame.index.emplace(out.map[j].key, j);
      }
      if (auto it = frame.index.find(k); it != frame.index.end()) i = it->second;
    }
    if (i < out.map.size()) {  // keeps a key's first place; the key that set the value
      out.map[i].value = std::move(v);
      out.map[i].key_line = key_at.line;
      out.map[i].key_column = key_at.column;
      return;
    }
    if (!frame.index.empty()) frame.index.emplace(k, out.map.size());
    out.map.push_back(MapEntry{std::move(k), std::move(v), key_at.line, key_at.column});
  }

  // A scalar as go-yaml v2 reads it: plain ones resolve by their text; quoted ones, !!str and
  // tags it does not know are strings; !!int, !!float, !!bool and !!null must resolve to
  // their type (!!float takes an integer too), as go-yaml refuses the file otherwise.
  static Value scalar(const std::string& text, const std::string& tag, const Location& loc,
                      const std::string& path, bool key) {
    auto no_json = [&] {
      if (key) return;  // a key .inf is the string ".inf" to Helm (helm_key)
      // JSON has no infinity or NaN: sigs.k8s.io/yaml cannot hand the value on.
      if (resolve_plain(text) == ScalarType::Float &&
          !as_double(Value::make_scalar(text, false, {})))
        throw InputError(
            loc, path,
            text + " is " +
                (text.find_first_of("aA") != std::string::npos ? "not a number" : "infinity") +
                ", which Helm cannot pass on: its values go through JSON, which has "
                "neither (Helm refuses the file); quote it to mean the text");
    };
    if (tag == "?") {
      no_json();
      return Value::make_scalar(text, false, loc);
    }
    static const std::string prefix = "tag:yaml.org,2002:";
    if (tag.rfind(prefix, 0) != 0) return Value::make_scalar(text, true, loc);
    std::string name = tag.substr(prefix.size());
    if (name == "binary") {  // decoded, as go-yaml v2 does (decode.go)
      std::optional<std::string> bytes = decode_base64(text);
      if (!bytes)
        throw InputError(loc, path,
                         "a !!binary value that is not base64 (Helm's parser refuses it)");
      check_string(*bytes, loc, path, false);
      return Value::make_scalar(*bytes, true, loc);
    }
    if (name == "timestamp") {  // a string to Helm, if it is a timestamp at all
      if (!is_timestamp(text))
        throw InputError(loc, path,
                         "\"" + text +
                             "\" is tagged !!timestamp but is not a timestamp such as 2001-12-14 "
                             "or 2001-12-14T21:59:43Z (Helm's parser refuses it)");
      return Value::make_scalar(text, true, loc);
    }
    ScalarType want;
    if (name == "int")
      want = ScalarType::Int;
    else if (name == "float")
      want = ScalarType::Float;
    else if (name == "bool")
      want = ScalarType::Bool;
    else if (name == "null")
      want = ScalarType::Null;
    else
      return Value::make_scalar(text, true, loc);  // !!str, !!binary, !!timestamp ...
    ScalarType got = resolve_plain(text);
    if (got != want && !(want == ScalarType::Float && got == ScalarType::Int))
      throw InputError(loc, path,
                       "\"" + text + "\" is tagged !!" + name + " but is not " +
                           (want == ScalarType::Int     ? "an integer"
                            : want == ScalarType::Float ? "a number"
                            : want == ScalarType::Bool  ? "a boolean"
                                                        : "null") +
                           " (Helm's parser refuses it)");
    if (want == ScalarType::Null) return Value{Kind::Null, "", false, {}, {}, loc};
    no_json();
    return Value::make_scalar(text, false, loc);
  }

  // go-yaml v2 knows YAML 1.1's escapes only: "\/" (YAML 1.2's) is an error to it, which
  // yaml-cpp would read as '/'. The scalar's text starts at the mark.
  void check_escapes(YAML::Mark mark, const Location& loc, const std::string& path) const {
    if (json_) return;
    mark = unwrap(mark);
    if (mark.is_null() || mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text_.size() ||
        text_[static_cast<std::size_t>(mark.pos)] != '"')
      return;
    for (auto i = static_cast<std::size_t>(mark.pos) + 1; i < text_.size() && text_[i] != '"'; ++i)
      if (text_[i] == '\\' && ++i < text_.size() && text_[i] == '/')
        throw InputError(loc, path,
                         "\"\\/\" is not an escape to Helm's YAML parser (YAML 1.1), which "
                         "refuses the file; write \"/\"");
  }

  std::string_view text_;  // the document's text
  FileName file_;          // shared by every node's location
  ReadLimits limits_;
  int line_offset_ = 0;
  std::size_t nodes_ = 0;    // decoded so far, aliases expanded (and earlier documents)
  std::size_t bytes_ = 0;    // scalar text decoded so far, aliases expanded (likewise)
  std::size_t aliased_ = 0;  // nodes copied from aliases
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, std::pair<Value, Size>> anchors_;
  int skipping_ = 0;  // inside a skipped field: how many maps and lists are open
  // The wrapper around a flow document (kWrapKey): where it was inserted, and how many of
  // its events (map start, key, map end) are still to come.
  int wrap_pos_ = -1, wrap_line_ = -1, wrap_column_ = -1;
  int wrapper_ = 0;
  bool json_ = false;
  std::set<YAML::anchor_t> skipped_anchors_;
  Value root_;
};

// An istream over text in memory, without copying it.
class MemoryBuf : public std::streambuf {
 public:
  explicit MemoryBuf(std::string_view text) : MemoryBuf(std::vector<std::string_view>{text}) {}
  // The texts one after the other, as one stream.
  explicit MemoryBuf(std::vector<std::string_view> parts) : parts_(std::move(parts)) { next(); }

 protected:
  int_type underflow() override {
    while (gptr() == egptr() && next_ <= parts_.size())
      if (!next()) break;
    return gptr() == egptr() ? traits_type::eof() : traits_type::to_int_type(*gptr());
  }

 private:
  bool next() {
    if (next_ >= parts_.size()) {
      ++next_;
      return false;
    }
    std::string_view t = parts_[next_++];
    char* p = const_cast<char*>(t.data());  // only read: the get area is never written
    setg(p, p, p + t.size());
    return true;
  }
  std::vector<std::string_view> parts_;
  std::size_t next_ = 0;
};

// Where the wrapper goes: before the first character of a document that starts with `{` or
// `[` after white space only; npos for any other document.
std::size_t wrap_position(std::string_view text) {
  std::size_t p = text.find_first_not_of(" \t\r\n");
  if (p == std::string_view::npos || (text[p] != '{' && text[p] != '['))
    return std::string_view::npos;
  return p;
}

}  // namespace

std::string forbidden_character(char32_t cp, bool line_breaks_allowed) {
  if ((cp == '\n' || cp == '\t' || cp == '\r') && line_breaks_allowed) return "";
  if (cp == '\n') return "a line break";
  if (cp == '\t') return "a tab";
  if (cp == '\r') return "a carriage return";
  // Every character of every input passes here: the common case returns before any text
  // is made.
  const bool c0 = cp < 0x20, c1 = cp >= 0x80 && cp <= 0x9F, nonchar = is_noncharacter(cp);
  if (!c0 && !c1 && cp != 0x7F && !nonchar) return "";
  char code[16];
  std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
  // XML 1.0 cannot hold U+FFFE and U+FFFF at all, and YAML 1.1 readers refuse them.
  if (nonchar) return std::string("the noncharacter ") + code + ", which XML and YAML cannot carry";
  if (cp == 0x1B)
    return std::string("the control character ESC (") + code +
           "), which starts terminal escape sequences";
  return std::string("the ") +
         (c0   ? "C0 "
          : c1 ? "C1 "
               : "") +
         "control character " +
         (cp == 0x7F ? "DEL (" + std::string(code) + ")" : std::string(code));
}

std::string forbidden_rule(char32_t cp) {
  return is_noncharacter(cp) ? "names and values may not carry noncharacters"
                             : "names and values may not carry control characters";
}

void check_text(std::string_view text, const std::string& file, const ReadLimits& limits) {
  if (text.size() > limits.max_bytes)
    throw InputError(
        Location{file, 0, 0}, "",
        "the input is " + std::to_string(text.size()) + " bytes, more than the limit of " +
            std::to_string(limits.max_bytes >> 20) + " MiB (raise it with --input-limit)");
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    CodePoint point = code_point_at(text, i);
    if (!point.valid) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", byte);
      throw InputError(Location{file, line, column}, "",
                       std::string("not UTF-8 text: invalid byte ") + hex);
    }
    if (byte == 0)
      throw InputError(Location{file, line, column}, "",
                       "binary data (a NUL byte); expected YAML text");
    // A byte order mark: the file's first character, or a line's (go-yaml v2 skips it where
    // a token may start a line, as one column of indentation); anywhere else Helm's parser
    // refuses it as a character it cannot print.
    if (point.cp == 0xFEFF && i != 0 && column != 1)
      throw InputError(Location{file, line, column}, "",
                       "a byte order mark (U+FEFF) inside a line; Helm's parser refuses it (only "
                       "a line's first character may be one)");
    if (std::string what = forbidden_character(point.cp, true); !what.empty())
      throw InputError(Location{file, line, column}, "",
                       "the text holds " + what + "; " + forbidden_rule(point.cp));
    if (byte == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += point.length;
  }
}

namespace {

// One YAML document of a stream: its text (from its "---" line, if it has one), the number
// of lines before it, and the first line of it with content (1-based; 0 when it has none).
struct DocumentText {
  int line_offset;
  std::string_view text;
  int content_line;
};

// A stream cut into its documents. A document starts at a "---" line, or at content after a
// "..." line; markers at the start of a line cannot occur inside a scalar, so lines are
// enough. Cutting here also keeps yaml-cpp's LoadAll, which can loop forever on some
// malformed input, out: each document is parsed on its own.
std::vector<DocumentText> split_documents(std::string_view text, const std::string& file) {
  auto marker = [](std::string_view line, std::string_view m) {
    return line.substr(0, 3) == m &&
           (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
  };
  std::vector<DocumentText> out;
  std::size_t begin = 0;
  int begin_line = 0, content = 0, line_no = 0;
  bool ended = false;  // after "...": content starts the next document
  auto cut = [&](std::size_t at) {
    if (at > begin) out.push_back({begin_line, text.substr(begin, at - begin), content});
    begin = at;
    begin_line = line_no - 1;
    content = 0;
    ended = false;
  };
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    if (marker(line, "---")) {
      cut(pos);
      std::string_view rest = line.size() > 3 ? line.substr(4) : std::string_view();
      auto first = rest.find_first_not_of(" \t\r");
      if (first != std::string_view::npos && rest[first] != '#') content = line_no;  // "--- x"
    } else if (marker(line, "...")) {
      ended = true;
    } else {
      auto first = line.find_first_not_of(" \t\r");
      // A '%' line before any content is a directive (%YAML, %TAG), not content.
      bool directive = content == 0 && !line.empty() && line[0] == '%';
      // go-yaml v2 reads YAML 1.1 only: any other %YAML version is "incompatible".
      if (directive && line.substr(0, 6) == "%YAML ") {
        std::string_view version = line.substr(6);
        version = version.substr(0, version.find_first_of(" \t\r#"));
        if (version != "1.1")
          throw InputError(Location{file, line_no, 7}, "",
                           "%YAML " + std::string(version) +
                               ": Helm's YAML parser (go-yaml v2) reads YAML 1.1 only and refuses "
                               "this document as incompatible; remove the directive or write "
                               "%YAML 1.1");
      }
      bool has_content = first != std::string_view::npos && line[first] != '#' && !directive;
      if (has_content && ended) cut(pos);
      if (has_content && content == 0) content = line_no;
    }
    pos = end + 1;
  }
  ++line_no;
  cut(text.size());
  return out;
}

// A position in the text that nlohmann's parser reads: where it last read a byte. The
// parser reads a JSON document once, front to back; after a string, literal or bracket it
// has read exactly that token's last byte, after a number one byte more (or the input end).
class TrackedChar {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackedChar(const char* p, const char** last) : p_(p), last_(last) {}
  const char& operator*() const {
    *last_ = p_;
    return *p_;
  }
  TrackedChar& operator++() {
    ++p_;
    return *this;
  }
  TrackedChar operator++(int) {
    TrackedChar t = *this;
    ++p_;
    return t;
  }
  bool operator==(const TrackedChar& o) const { return p_ == o.p_; }
  bool operator!=(const TrackedChar& o) const { return p_ != o.p_; }

 private:
  const char* p_;
  const char** last_;
};

// A JSON document (what `kubectl get -o json` prints) read with nlohmann's SAX parser,
// which reads JSON some 15 times faster than yaml-cpp, and handed to the Builder as the
// events, tags and marks yaml-cpp would give for the same text: every check, budget and
// skipped field is the YAML path's. JSON's own escapes (`\/`) are JSON's. False when the
// text is not JSON (the YAML path reads it then, and says what is wrong in YAML terms).
class JsonEvents : public nlohmann::json_sax<nlohmann::json> {
 public:
  JsonEvents(std::string_view text, Builder& b) : text_(text), b_(b) { b_.reading_json(); }

  bool parse() {
    const char* begin = text_.data();
    const char* end = begin + text_.size();
    return nlohmann::json::sax_parse(TrackedChar(begin, &last_), TrackedChar(end, &last_), this);
  }

  bool null() override {
    b_.OnNull(mark(last_ - 3), 0);
    return true;
  }
  bool boolean(bool v) override {
    b_.OnScalar(mark(last_ - (v ? 3 : 4)), "?", 0, v ? "true" : "false");
    return true;
  }
  bool number_integer(number_integer_t) override { return number(); }
  bool number_unsigned(number_unsigned_t) override { return number(); }
  bool number_float(number_float_t, const string_t&) override { return number(); }
  bool string(string_t& s) override {
    b_.OnScalar(string_start(), "!", 0, s);
    return true;
  }
  bool binary(binary_t&) override { return false; }  // not JSON text
  bool key(string_t& s) override { return string(s); }
  bool start_object(std::size_t) override {
    b_.OnMapStart(mark(last_), "", 0, YAML::EmitterStyle::Flow);
    return true;
  }
  bool end_object() override {
    b_.OnMapEnd();
    return true;
  }
  bool start_array(std::size_t) override {
    b_.OnSequenceStart(mark(last_), "", 0, YAML::EmitterStyle::Flow);
    return true;
  }
  bool end_array() override {
    b_.OnSequenceEnd();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  static bool number_char(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
  }

  // A number's text, as written (a YAML reader keeps it so: 1e3, 1.50, 12345678901234567890).
  bool number() {
    const char* end = last_ + 1;
    if (!number_char(*last_)) end = last_;  // the byte after it was read
    const char* start = end;
    while (start > text_.data() && number_char(start[-1])) --start;
    b_.OnScalar(mark(start), "?", 0, std::string(start, end));
    return true;
  }

  // A string ends at the quote read last; it starts at the quote before it that no
  // backslash escapes (an odd run of backslashes does).
  YAML::Mark string_start() {
    const char* p = last_ - 1;
    for (; p > text_.data(); --p) {
      if (*p != '"') continue;
      const char* q = p;
      while (q > text_.data() && q[-1] == '\\') --q;
      if ((p - q) % 2 == 0) break;
    }
    return mark(p);
  }

  // Marks come in text order: the line is counted on from the last mark's.
  YAML::Mark mark(const char* at) {
    const auto rest = [&] { return static_cast<std::size_t>(at - counted_); };
    for (const char* nl; (nl = static_cast<const char*>(std::memchr(counted_, '\n', rest())));) {
      ++line_;
      line_start_ = counted_ = nl + 1;
    }
    counted_ = at;
    YAML::Mark m;
    m.pos = static_cast<int>(at - text_.data());
    m.line = line_;
    m.column = static_cast<int>(at - line_start_);
    return m;
  }

  std::string_view text_;
  Builder& b_;
  const char* last_ = nullptr;
  const char* counted_ = text_.data();     // line breaks before it are counted
  const char* line_start_ = text_.data();  // where line line_ starts
  int line_ = 0;
};

// Parses one document (`text` starts at line `line_offset` + 1 of `file`) into a value; null
// when the document is empty. Adds what it expands to to `*spent`.
Value load_document(std::string_view text, const std::string& file, int line_offset,
                    const ReadLimits& limits, Spent* spent = nullptr) {
  const std::size_t wrap_at = wrap_position(text);
  if (wrap_at != std::string_view::npos && limits.json) {
    Builder builder(text, file, limits, line_offset, spent ? *spent : Spent{});
    if (JsonEvents(text, builder).parse()) {
      if (spent) *spent = builder.spent();
      return builder.take();
    }
  }
  // yaml-cpp reads the first bytes and puts them back (to find the encoding): they are one
  // part, the wrapper and what follows it up to 64 bytes, so that none is put back across
  // two parts.
  const std::size_t head_end =
      wrap_at == std::string_view::npos ? 0 : std::min(text.size(), wrap_at + 64);
  const std::string head = wrap_at == std::string_view::npos
                               ? std::string()
                               : std::string(text.substr(0, wrap_at)) + std::string(kWrapKey) +
                                     std::string(text.substr(wrap_at, head_end - wrap_at));
  MemoryBuf buf(wrap_at == std::string_view::npos
                    ? std::vector<std::string_view>{text}
                    : std::vector<std::string_view>{head, text.substr(head_end)});
  std::istream in(&buf);
  Builder builder(text, file, limits, line_offset, spent ? *spent : Spent{}, wrap_at);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
  } catch (const YAML::DeepRecursion& e) {
    const YAML::Mark m = builder.unwrap(e.mark);
    throw InputError(Location{file, m.line + 1 + line_offset, m.column + 1}, "",
                     "nesting deeper than " + std::to_string(e.depth() - 1) +
                         " levels; refusing to read further");
  } catch (YAML::Exception& e) {
    e.mark = builder.unwrap(e.mark);
    Location where{file, e.mark.is_null() ? 0 : e.mark.line + 1 + line_offset,
                   e.mark.is_null() ? 0 : e.mark.column + 1};
    // A tab in the indentation is the usual cause, and yaml-cpp's words do not say so.
    if (!e.mark.is_null()) {
      std::size_t pos = 0;
      for (int l = 0; l < e.mark.line && pos != std::string_view::npos; ++l) {
        pos = text.find('\n', pos);
        if (pos != std::string_view::npos) ++pos;
      }
      if (pos != std::string_view::npos) {
        std::string_view line = text.substr(pos, text.find('\n', pos) - pos);
        std::size_t indent = line.find_first_not_of(" \t");
        std::string_view lead =
            line.substr(0, indent == std::string_view::npos ? line.size() : indent);
        if (lead.find('\t') != std::string_view::npos)
          throw InputError(Location{file, where.line, static_cast<int>(lead.find('\t')) + 1}, "",
                           "invalid YAML: a tab in the indentation (YAML indents with spaces "
                           "only; yaml-cpp says: " +
                               e.msg + ")");
      }
    }
    throw InputError(where, "", "invalid YAML: " + e.msg);
  }
  if (spent) *spent = builder.spent();
  Value doc = builder.take();
  if (doc.is_null())
    return Value{Kind::Null, "", false, {}, {}, Location{file, line_offset + 1, 1}};
  return doc;
}

}  // namespace

namespace {
// The text with every byte order mark that starts a line (past the first) as a space: one
// column of indentation, as go-yaml v2 counts it (check_text refuses any other). Empty when
// there is none: the text is read as it is.
std::string without_line_boms(std::string_view text) {
  static constexpr std::string_view kBom = "\xEF\xBB\xBF";
  std::string out;
  std::size_t done = 0;
  for (std::size_t p = text.find(kBom, 1); p != std::string_view::npos;
       p = text.find(kBom, p + 1)) {
    if (text[p - 1] != '\n') continue;
    out.append(text.substr(done, p - done)).push_back(' ');
    done = p + kBom.size();
  }
  if (done == 0) return out;
  out.append(text.substr(done));
  return out;
}
}  // namespace

Value read_yaml(std::string_view text, const std::string& file, const ReadLimits& limits) {
  check_text(text, file, limits);
  std::string replaced = without_line_boms(text);
  if (!replaced.empty()) text = replaced;
  std::vector<int> starts;  // the first line of each document with content
  for (const DocumentText& d : split_documents(text, file))
    if (d.content_line > 0) starts.push_back(d.content_line);
  if (starts.size() > 1)
    throw InputError(Location{file, starts[1], 1}, "",
                     "expected one YAML document, found " + std::to_string(starts.size()) +
                         " (a values file holds exactly one)");
  Value top = load_document(text, file, 0, limits);
  if (top.is_null()) return Value::make_map(Location{file, 1, 1});
  if (!top.is_map())
    throw InputError(top.loc, "",
                     "expected a map at the top of the values file, got " + describe(top));
  return top;
}

std::vector<Value> read_yaml_documents(std::string_view text, const std::string& file,
                                       const ReadLimits& limits) {
  check_text(text, file, limits);
  std::string replaced = without_line_boms(text);
  if (!replaced.empty()) text = replaced;
  std::vector<Value> out;
  Spent spent;
  for (const DocumentText& d : split_documents(text, file)) {
    // The budgets are for all documents together: each goes on from what came before it.
    Value doc = load_document(d.text, file, d.line_offset, limits, &spent);
    if (!doc.is_null()) out.push_back(std::move(doc));
  }
  return out;
}

}  // namespace netpol::values
