#include "exporters/overlay.hpp"

#include <sstream>

#include "exporters/values_writer.hpp"
#include "text.hpp"

namespace netpol::exporters {

namespace {

// A values path's keys: "a.b\.c.d" is a, b.c, d (Helm's escaped dots).
std::vector<std::string> path_keys(const std::string& path) {
  std::vector<std::string> out(1);
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '\\' && i + 1 < path.size() && path[i + 1] == '.') {
      out.back() += '.';
      ++i;
    } else if (path[i] == '.') {
      out.emplace_back();
    } else {
      out.back() += path[i];
    }
  }
  return out;
}

// Comment lines, each wrapped at spaces to fit 100 columns (a word longer than that, a path
// or a file name, stays whole); continuation lines indented by two.
void comment(std::ostream& out, const std::string& indent, const std::vector<std::string>& lines) {
  constexpr std::size_t kWidth = 100;
  for (const auto& text : lines) {
    std::string line = one_line(text), lead = indent + "# ";
    while (lead.size() + line.size() > kWidth) {
      std::size_t cut = line.rfind(' ', kWidth - lead.size());
      if (cut == std::string::npos || cut == 0) cut = line.find(' ', kWidth - lead.size());
      if (cut == std::string::npos) break;
      out << lead << line.substr(0, cut) << "\n";
      line = line.substr(cut + 1);
      lead = indent + "#   ";
    }
    out << lead << line << "\n";
  }
}

// `text` (a YAML block) with `first` before its first line and `rest` before the others.
void block(std::ostream& out, const std::string& text, const std::string& first,
           const std::string& rest) {
  std::istringstream in(text);
  std::string line;
  bool at_first = true;
  while (std::getline(in, line)) {
    out << (at_first ? first : rest) << line << "\n";
    at_first = false;
  }
}

// A key as YAML writes it (quoted where plain text would not read back as the same key).
std::string key_text(const std::string& key) {
  return values_yaml_block(values::Value::make_scalar(key, true, {}));
}

}  // namespace

void write_overlay_yaml(const graph::Suggestion& suggestion, const std::vector<std::string>& header,
                        std::ostream& out) {
  comment(out, "", header);
  if (suggestion.keys.empty()) {
    out << "{}\n";
    return;
  }
  std::vector<std::string> open;  // the maps written so far, outermost first
  for (const auto& key : suggestion.keys) {
    std::vector<std::string> keys = path_keys(key.path);
    std::string leaf = keys.back();
    keys.pop_back();
    std::size_t same = 0;
    while (same < open.size() && same < keys.size() && open[same] == keys[same]) ++same;
    open.resize(same);
    for (std::size_t i = same; i < keys.size(); ++i) {
      out << std::string(2 * i, ' ') << key_text(keys[i]) << ":\n";
      open.push_back(keys[i]);
    }
    const std::string indent(2 * keys.size(), ' ');
    comment(out, indent, key.comment);
    const values::Value& v = key.value;
    if (v.is_seq() && !v.seq.empty()) {
      out << indent << key_text(leaf) << ":\n";
      for (std::size_t i = 0; i < v.seq.size(); ++i) {
        if (i < key.item_comments.size()) comment(out, indent + "  ", key.item_comments[i]);
        block(out, values_yaml_block(v.seq[i]), indent + "  - ", indent + "    ");
      }
    } else if (v.is_map() && !v.map.empty()) {
      out << indent << key_text(leaf) << ":\n";
      block(out, values_yaml_block(v), indent + "  ", indent + "  ");
    } else {
      out << indent << key_text(leaf) << ": " << values_yaml_block(v) << "\n";
    }
  }
}

}  // namespace netpol::exporters
