// exporters/values_writer: `netpol-graph values`, the merged values as YAML or JSON, read back
// by a YAML and a JSON parser as the values a template sees, with origins when asked.
#include "exporters/values_writer.hpp"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "support.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;

namespace {

const char* kValues =
    "svc:\n"
    "  port: 0x2526\n"   // an int to a template: 9510
    "  enabled: yes\n"   // a bool: true
    "  label: \"on\"\n"  // a string that looks like a bool
    "  ratio: 1e3\n"     // a float
    "  nothing: null\n"
    "  list: [a, \"0750\"]\n"
    "  empty: {}\n";

std::string yaml_of(const values::Value& v, bool origins) {
  std::ostringstream out;
  exporters::write_values_yaml(v, origins, out);
  return out.str();
}

nlohmann::json json_of(const values::Value& v, bool origins) {
  std::ostringstream out;
  exporters::write_values_json(v, origins, out);
  return nlohmann::json::parse(out.str());
}

}  // namespace

TEST_SUITE("exporters: values writer") {
  TEST_CASE("YAML reads back as the values a template sees") {
    values::Value v = values::read_yaml(kValues, "values.yaml");
    YAML::Node back = YAML::Load(yaml_of(v, false));
    CHECK(back["svc"]["port"].as<int>() == 9510);
    CHECK(back["svc"]["enabled"].as<bool>());
    CHECK(back["svc"]["label"].Tag() == "!");  // quoted: a string
    CHECK(back["svc"]["label"].as<std::string>() == "on");
    CHECK(back["svc"]["ratio"].as<double>() == 1000.0);
    CHECK(back["svc"]["nothing"].IsNull());
    REQUIRE(back["svc"]["list"].size() == 2);
    CHECK(back["svc"]["list"][1].Tag() == "!");
    CHECK(back["svc"]["list"][1].as<std::string>() == "0750");
    CHECK(back["svc"]["empty"].IsMap());
    CHECK(back["svc"]["empty"].size() == 0);
  }

  TEST_CASE("JSON holds the same values in JSON's types") {
    values::Value v = values::read_yaml(kValues, "values.yaml");
    nlohmann::json j = json_of(v, false);
    CHECK(j["svc"]["port"] == 9510);
    CHECK(j["svc"]["enabled"] == true);
    CHECK(j["svc"]["label"] == "on");
    CHECK(j["svc"]["ratio"] == 1000.0);
    CHECK(j["svc"]["nothing"].is_null());
    CHECK(j["svc"]["list"] == nlohmann::json::array({"a", "0750"}));
    CHECK(j["svc"]["empty"] == nlohmann::json::object());
  }

  TEST_CASE("with origins, each leaf says where it was set, in YAML comments and JSON") {
    values::Value v = values::read_yaml(kValues, "values.yaml");
    std::string yaml = yaml_of(v, true);
    CHECK(yaml.find("port: 9510  # values.yaml:2:9") != std::string::npos);
    CHECK(yaml.find("# values.yaml:7:13") != std::string::npos);  // list[1]
    CHECK(YAML::Load(yaml)["svc"]["port"].as<int>() == 9510);     // comments read back as none
    nlohmann::json j = json_of(v, true);
    CHECK(j["values"]["svc"]["port"] == 9510);
    CHECK(j["origins"]["svc.port"] == "values.yaml:2:9");
    CHECK(j["origins"]["svc.list[1]"] == "values.yaml:7:13");
    CHECK_FALSE(j["origins"].contains("svc"));  // leaves only
  }
}
