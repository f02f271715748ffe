#include "exporters/values_writer.hpp"

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdlib>

#include "exporters/json_writer.hpp"
#include "exporters/yaml_text.hpp"

namespace netpol::exporters {
namespace {

using values::Kind;
using values::Value;

// A plain scalar as a template receives it: a boolean, an integer, a float, or else a string.
enum class Leaf { Bool, Int, Float, String };
Leaf leaf_of(const Value& value) {
  if (value.quoted) return Leaf::String;
  if (values::as_bool(value)) return Leaf::Bool;
  if (values::as_int(value)) return Leaf::Int;
  if (values::is_number(value)) return Leaf::Float;
  return Leaf::String;
}

// A float as YAML 1.1 and 1.2 readers both read it: the shortest digits that read back as
// the same double, with a '.' in the mantissa (YAML 1.1 needs one: "1e+30" is a string to
// it). 685_230.15 is written 685230.15.
std::string float_text(double d) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::general);
  std::string s(buf, res.ptr);
  std::size_t e = s.find('e');
  std::string mantissa = s.substr(0, e);
  if (mantissa.find('.') == std::string::npos) mantissa += ".0";
  return mantissa + (e == std::string::npos ? "" : s.substr(e));
}

void emit(YAML::Emitter& yaml, const Value& v, bool origins) {
  switch (v.kind) {
    case Kind::Map:
      if (v.map.empty()) {
        yaml << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        break;
      }
      yaml << YAML::BeginMap;
      for (const auto& e : v.map) {
        yaml << YAML::Key << YamlString{e.key} << YAML::Value;
        emit(yaml, e.value, origins);
      }
      yaml << YAML::EndMap;
      return;
    case Kind::Seq:
      if (v.seq.empty()) {
        yaml << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        break;
      }
      yaml << YAML::BeginSeq;
      for (const auto& item : v.seq) emit(yaml, item, origins);
      yaml << YAML::EndSeq;
      return;
    case Kind::Null:
      yaml << YAML::Null;
      break;
    case Kind::Scalar:
      switch (leaf_of(v)) {
        case Leaf::Bool:
          yaml << *values::as_bool(v);
          break;
        case Leaf::Int:
          yaml << static_cast<long long>(*values::as_int(v));
          break;
        case Leaf::Float:
          yaml << float_text(*values::as_double(v));
          break;
        case Leaf::String:
          yaml << YamlString{v.scalar};
          break;
      }
      break;
  }
  if (origins && v.loc.known()) yaml << YAML::Comment(v.loc.str());
}

void emit(JsonWriter& json, const Value& v) {
  switch (v.kind) {
    case Kind::Map:
      json.begin_object();
      for (const auto& e : v.map) {
        json.key(e.key);
        emit(json, e.value);
      }
      json.end_object();
      return;
    case Kind::Seq:
      json.begin_array();
      for (const auto& item : v.seq) emit(json, item);
      json.end_array();
      return;
    case Kind::Null:
      json.null();
      return;
    case Kind::Scalar:
      switch (leaf_of(v)) {
        case Leaf::Bool:
          json.boolean(*values::as_bool(v));
          return;
        case Leaf::Int:
          json.number(*values::as_int(v));
          return;
        case Leaf::Float:
          json.value(nlohmann::ordered_json(*values::as_double(v)));
          return;
        case Leaf::String:
          json.string(v.scalar);
          return;
      }
  }
}

void origins_of(JsonWriter& writer, const Value& v, const std::string& path) {
  if (v.is_map()) {
    for (const auto& e : v.map) origins_of(writer, e.value, values::path_key(path, e.key));
  } else if (v.is_seq()) {
    for (std::size_t i = 0; i < v.seq.size(); ++i)
      origins_of(writer, v.seq[i], values::path_index(path, i));
  }
  if ((!v.is_map() && !v.is_seq()) || (v.is_map() && v.map.empty()) ||
      (v.is_seq() && v.seq.empty()))
    writer.field(path, v.loc.str());
}

}  // namespace

void write_values_yaml(const values::Value& merged, bool origins, std::ostream& out) {
  YAML::Emitter emitter;
  emitter.SetIndent(2);
  emitter.SetSeqFormat(YAML::Block);
  emit(emitter, merged, origins);
  out << emitter.c_str() << "\n";
}

std::string values_yaml_block(const values::Value& value) {
  YAML::Emitter emitter;
  emitter.SetIndent(2);
  emitter.SetSeqFormat(YAML::Block);
  emit(emitter, value, false);
  return emitter.c_str();
}

void write_values_json(const values::Value& merged, bool origins, std::ostream& out) {
  JsonWriter writer(out);
  if (!origins) {
    emit(writer, merged);
    return;
  }
  writer.begin_object();
  writer.key("values");
  emit(writer, merged);
  writer.key("origins").begin_object();
  origins_of(writer, merged, "");
  writer.end_object();
  writer.end_object();
}

}  // namespace netpol::exporters
