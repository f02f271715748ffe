#include "values/yaml_reader.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "text.hpp"

namespace netpol::values {
namespace {

class Converter {
 public:
  Converter(std::string file, const ReadLimits& limits, int line_offset = 0)
      : file_(std::move(file)), limits_(limits), line_offset_(line_offset) {}

  Location at(const YAML::Mark& m) const {
    if (m.is_null()) return Location{file_, 0, 0};
    return Location{file_, m.line + 1 + line_offset_, m.column + 1};
  }

  Value convert(const YAML::Node& n, const std::string& path, int depth) {
    if (++nodes_ > limits_.max_nodes)
      throw InputError(at(n.Mark()), path,
                       "the document expands to more than " + std::to_string(limits_.max_nodes) +
                           " nodes (aliases included); refusing to read further");
    if (depth > limits_.max_depth)
      throw InputError(at(n.Mark()), path,
                       "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    switch (n.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return Value{Kind::Null, "", false, {}, {}, at(n.Mark())};
      case YAML::NodeType::Scalar:
        return scalar(n, path);
      case YAML::NodeType::Sequence: {
        Value out = Value::make_seq(at(n.Mark()));
        std::size_t i = 0;
        for (const auto& item : n)
          out.seq.push_back(convert(item, path_index(path, i++), depth + 1));
        return out;
      }
      case YAML::NodeType::Map:
        return convert_map(n, path, depth);
    }
    return Value{};
  }

 private:
  // A string after YAML's escapes ("\e", "\x85", "\uD800" in double quotes): what is not
  // Unicode text and control characters are refused there too. Keys may not hold line
  // breaks or tabs either.
  static void check_string(const std::string& s, const Location& loc, const std::string& path,
                           bool key) {
    for (std::size_t i = 0; i < s.size();) {
      CodePoint c = code_point_at(s, i);
      if (!c.valid)
        throw InputError(loc, path,
                         std::string(key ? "a key" : "a string") +
                             " is not Unicode text (a surrogate or ill-formed UTF-8)");
      if (std::string what = control_name(c.cp, !key); !what.empty())
        throw InputError(loc, path,
                         std::string(key ? "a key" : "a string") + " holds " + what +
                             "; names and values may not carry control characters");
      i += c.length;
    }
  }

  // A scalar as go-yaml v2 reads it: plain ones resolve by their text; quoted ones, !!str and
  // tags it does not know are strings; !!int, !!float, !!bool and !!null must resolve to
  // their type (!!float takes an integer too), as go-yaml refuses the file otherwise.

  Value scalar(const YAML::Node& n, const std::string& path) {
    const std::string& tag = n.Tag();
    Location loc = at(n.Mark());
    check_string(n.Scalar(), loc, path, false);
    if (tag == "?") return Value::make_scalar(n.Scalar(), false, loc);
    static const std::string prefix = "tag:yaml.org,2002:";
    if (tag.rfind(prefix, 0) != 0) return Value::make_scalar(n.Scalar(), true, loc);
    std::string name = tag.substr(prefix.size());
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
      return Value::make_scalar(n.Scalar(), true, loc);  // !!str, !!binary, !!timestamp ...
    ScalarType got = resolve_plain(n.Scalar());
    if (got != want && !(want == ScalarType::Float && got == ScalarType::Int))
      throw InputError(loc, path,
                       "\"" + n.Scalar() + "\" is tagged !!" + name + " but is not " +
                           (want == ScalarType::Int     ? "an integer"
                            : want == ScalarType::Float ? "a number"
                            : want == ScalarType::Bool  ? "a boolean"
                                                        : "null") +
                           " (Helm's parser refuses it)");
    if (want == ScalarType::Null) return Value{Kind::Null, "", false, {}, {}, loc};
    return Value::make_scalar(n.Scalar(), false, loc);
  }

  // A map as go-yaml v2 decodes one (decode.go, mapping and merge): entries in key order; a
  // merge key (<<) sets every key of its map (of a list of maps, the earlier ones winning)
  // over what is there, so a later << overrides an earlier one and keys written before it;
  // a key written after a << overrides what it merged. A key written twice is an error.
  Value convert_map(const YAML::Node& n, const std::string& path, int depth) {
    Value out = Value::make_map(at(n.Mark()));
    std::unordered_map<std::string, Location> written;   // explicit keys, for duplicates
    std::unordered_map<std::string, std::size_t> index;  // key -> entry, once the map is big
    auto find = [&](const std::string& k) -> std::size_t {
      if (out.map.size() < 16) {
        for (std::size_t i = 0; i < out.map.size(); ++i)
          if (out.map[i].key == k) return i;
        return out.map.size();
      }
      if (index.size() != out.map.size()) {
        index.clear();
        for (std::size_t i = 0; i < out.map.size(); ++i) index.emplace(out.map[i].key, i);
      }
      auto it = index.find(k);
      return it == index.end() ? out.map.size() : it->second;
    };
    auto put = [&](std::string k, Value v, Location key_at) {  // keeps a key's first place
      std::size_t i = find(k);
      if (i < out.map.size()) {
        out.map[i].value = std::move(v);
        out.map[i].key_line = key_at.line;  // the key that set the value
        out.map[i].key_column = key_at.column;
        return;
      }
      if (!index.empty()) index.emplace(k, out.map.size());
      out.map.push_back(MapEntry{std::move(k), std::move(v), key_at.line, key_at.column});
    };
    for (auto it = n.begin(); it != n.end(); ++it) {
      const YAML::Node key = it->first;
      if (!key.IsScalar())
        throw InputError(
            at(key.Mark()), path,
            "map keys must be strings, not " + std::string(key.IsMap() ? "maps" : "lists"));
      const std::string& k = key.Scalar();
      check_string(k, at(key.Mark()), path, true);
      if (k == "<<" && key.Tag() == "?") {  // YAML merge key, which Helm's parser honours
        merge(it->second, path, depth, put);
        continue;
      }
      if (auto w = written.find(k); w != written.end())
        throw InputError(at(key.Mark()), path_key(path, k),
                         "duplicate key \"" + k + "\" (first at line " +
                             std::to_string(w->second.line) +
                             "); Helm would silently use the last one");
      written.emplace(k, at(key.Mark()));
      Value v = convert(it->second, path_key(path, k), depth + 1);
      if (v.is_null()) v.loc = at(key.Mark());  // an empty value has no position of its own
      put(k, std::move(v), at(key.Mark()));
    }
    return out;
  }

  template <typename Put>
  void merge(const YAML::Node& m, const std::string& path, int depth, Put& put) {
    std::vector<YAML::Node> sources;
    if (m.IsMap())
      sources.push_back(m);
    else if (m.IsSequence())
      for (const auto& s : m) sources.insert(sources.begin(), s);  // backwards: earlier win
    else
      throw InputError(at(m.Mark()), path, "a merge key (<<) takes a map or a list of maps");
    for (const YAML::Node& s : sources) {
      if (!s.IsMap())
        throw InputError(at(s.Mark()), path, "a merge key (<<) takes a map or a list of maps");
      Value merged = convert_map(s, path, depth + 1);
      for (auto& e : merged.map) {
        Location key_at = e.key_location();
        put(std::move(e.key), std::move(e.value), key_at);
      }
    }
  }

  std::string file_;
  ReadLimits limits_;
  int line_offset_ = 0;
  std::size_t nodes_ = 0;
};

// How many nodes `n` expands to when every alias is copied out, capped just above `budget`.
// Aliased nodes are one node in yaml-cpp's tree, at one position: the sizes of collections
// are memoised by position, so an alias bomb is measured without being expanded.
std::size_t expanded_size(const YAML::Node& n, std::unordered_map<std::size_t, std::size_t>& memo,
                          std::size_t budget) {
  if (!n.IsMap() && !n.IsSequence()) return 1;
  std::size_t key = static_cast<std::size_t>(n.Mark().pos);
  if (!n.Mark().is_null()) {
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    memo[key] = budget + 1;  // while being measured: a node that contains itself is endless
  }
  std::size_t total = 1;
  for (auto it = n.begin(); it != n.end() && total <= budget; ++it) {
    if (n.IsMap()) {
      total += expanded_size(it->first, memo, budget) + expanded_size(it->second, memo, budget);
    } else {
      total += expanded_size(*it, memo, budget);
    }
  }
  total = std::min(total, budget + 1);
  if (!n.Mark().is_null()) memo[key] = total;
  return total;
}

}  // namespace

std::string control_name(char32_t cp, bool line_breaks_allowed) {
  if ((cp == '\n' || cp == '\t' || cp == '\r') && line_breaks_allowed) return "";
  if (cp == '\n') return "a line break";
  if (cp == '\t') return "a tab";
  if (cp == '\r') return "a carriage return";
  bool c0 = cp < 0x20, c1 = cp >= 0x80 && cp <= 0x9F;
  if (!c0 && !c1 && cp != 0x7F) return "";
  char code[16];
  std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
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

void check_text(std::string_view text, const std::string& file, const ReadLimits& limits) {
  if (text.size() > limits.max_bytes)
    throw InputError(
        Location{file, 0, 0}, "",
        "the input is " + std::to_string(text.size()) + " bytes, more than the limit of " +
            std::to_string(limits.max_bytes >> 20) + " MiB (raise it with --input-limit)");
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    CodePoint c = code_point_at(text, i);
    if (!c.valid) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", byte);
      throw InputError(Location{file, line, column}, "",
                       std::string("not UTF-8 text: invalid byte ") + hex);
    }
    if (byte == 0)
      throw InputError(Location{file, line, column}, "",
                       "binary data (a NUL byte); expected YAML text");
    if (std::string what = control_name(c.cp, true); !what.empty())
      throw InputError(
          Location{file, line, column}, "",
          "the text holds " + what + "; names and values may not carry control characters");
    if (byte == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += c.length;
  }
}

namespace {

// Where each YAML document with content starts (1-based lines). Document markers ("---",
// "...") at the start of a line cannot occur inside a scalar, so lines are enough; counting
// here also keeps yaml-cpp's LoadAll, which can loop forever on some malformed input, out.
std::vector<int> document_starts(std::string_view text) {
  std::vector<int> starts;
  bool in_document_with_content = false;
  int line_no = 0;
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    auto marker = [&](std::string_view m) {
      return line.substr(0, 3) == m &&
             (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
    };
    if (marker("---") || marker("...")) {
      in_document_with_content = false;
      std::string_view rest = line.size() > 3 ? line.substr(4) : std::string_view();
      auto first = rest.find_first_not_of(" \t\r");
      if (marker("---") && first != std::string_view::npos && rest[first] != '#') {
        starts.push_back(line_no);  // "--- value" on the marker line
        in_document_with_content = true;
      }
    } else {
      auto first = line.find_first_not_of(" \t\r");
      bool content = first != std::string_view::npos && line[first] != '#' &&
                     !(starts.empty() && !in_document_with_content && line[0] == '%');
      if (content && !in_document_with_content) {
        starts.push_back(line_no);
        in_document_with_content = true;
      }
    }
    pos = end + 1;
  }
  return starts;
}

}  // namespace

namespace {

// Parses one document (`text` starts at line `line_offset` + 1 of `file`) into a value; null
// when the document is empty. Adds the nodes it expands to to `*nodes`.
Value load_document(std::string_view text, const std::string& file, int line_offset,
                    const ReadLimits& limits, std::size_t* nodes = nullptr) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    throw InputError(Location{file, e.mark.line + 1 + line_offset, e.mark.column + 1}, "",
                     "nesting deeper than " + std::to_string(e.depth() - 1) +
                         " levels; refusing to read further");
  } catch (const YAML::Exception& e) {
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
  Location first{file, line_offset + 1, 1};
  if (!doc.IsDefined() || doc.IsNull()) return Value{Kind::Null, "", false, {}, {}, first};
  std::unordered_map<std::size_t, std::size_t> memo;
  std::size_t size = expanded_size(doc, memo, limits.max_nodes);
  if (nodes) *nodes += size;
  if (size > limits.max_nodes)
    throw InputError(first, "",
                     "the document expands to more than " + std::to_string(limits.max_nodes) +
                         " nodes once its aliases are copied out; refusing to read it");
  return Converter(file, limits, line_offset).convert(doc, "", 0);
}

// Each document's text between "---" marker lines, with the number of lines before it.
std::vector<std::pair<int, std::string_view>> split_documents(std::string_view text) {
  std::vector<std::pair<int, std::string_view>> out;
  std::size_t begin = 0;
  int begin_line = 0, line_no = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    bool marker = line.substr(0, 3) == "---" &&
                  (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
    if (marker && pos > begin) {
      out.emplace_back(begin_line, text.substr(begin, pos - begin));
      begin = pos;
      begin_line = line_no;
    }
    ++line_no;
    pos = end + 1;
  }
  if (begin < text.size()) out.emplace_back(begin_line, text.substr(begin));
  return out;
}

}  // namespace

Value read_yaml(std::string_view text, const std::string& file, const ReadLimits& limits) {
  check_text(text, file, limits);
  std::vector<int> starts = document_starts(text);
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
  std::vector<Value> out;
  std::size_t nodes = 0;
  for (const auto& [offset, chunk] : split_documents(text)) {
    ReadLimits left = limits;
    left.max_nodes = limits.max_nodes - nodes;  // the budget is for all documents together
    Value doc = load_document(chunk, file, offset, left, &nodes);
    if (!doc.is_null()) out.push_back(std::move(doc));
  }
  return out;
}

}  // namespace netpol::values
