// exporters/yaml_text: a string written for YAML reads back as that string, quoted exactly
// where plain text would read as something else.
#include "exporters/yaml_text.hpp"

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "support.hpp"
#include "values/value.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;

namespace {

// `{k: s}` as the writers emit it.
std::string emitted(const std::string& s) {
  YAML::Emitter y;
  y << YAML::BeginMap << YAML::Key << "k" << YAML::Value << exporters::YamlString{s}
    << YAML::EndMap;
  return y.c_str();
}

}  // namespace

TEST_SUITE("exporters: yaml text") {
  TEST_CASE("what plain text would read as another type is quoted, and reads back as itself") {
    // Each would be a number, boolean, null or timestamp to a YAML 1.1 reader (go-yaml v2,
    // as Helm reads), or a merge key, or begin a line "::", or hold a line break.
    const std::vector<std::string> other_types = {
        "0x2526", "9510",  "1e3",   "on",   "off", "yes",  "no",         "y",
        "n",      "true",  "False", "null", "~",   "",     "2024-01-02", ".inf",
        "0o17",   "0b101", "1_000", "<<",   ":x",  "a\nb", "##[cmd]"};
    for (const std::string& s : other_types) {
      CAPTURE(s);
      std::string text = emitted(s);
      YAML::Node back = YAML::Load(text);
      CHECK(back["k"].Tag() == "!");  // a quoted scalar: a string to every reader
      CHECK(back["k"].as<std::string>() == s);
      // Our own reader (go-yaml v2's rules) takes it as a quoted string too.
      values::Value ours = values::read_yaml(text, "out.yaml");
      CHECK(ours.find("k")->quoted);
      CHECK(ours.find("k")->scalar == s);
    }
  }

  TEST_CASE("a string that is a string as it is stays plain") {
    for (const std::string s : {"ui", "svc-00001", "otel-collector.monitoring", "a b", "TCP"}) {
      CAPTURE(s);
      std::string text = emitted(s);
      CHECK(text == "k: " + s);
      values::Value ours = values::read_yaml(text, "out.yaml");
      CHECK(values::resolve_plain(ours.find("k")->scalar) == values::ScalarType::Str);
    }
  }

  TEST_CASE("YAML 1.1 line breaks inside a string are written as escapes") {
    for (const std::string s : {"a\xE2\x80\xA8"
                                "b",
                                "a\xE2\x80\xA9"
                                "b",
                                "a\xC2\x85"
                                "b"}) {
      std::string text = emitted(s);
      CHECK(text.find("\\") != std::string::npos);
      CHECK(text.find(s) == std::string::npos);  // the raw break is not in the text
      CHECK(YAML::Load(text)["k"].as<std::string>() == s);
    }
  }
}
