#include <filesystem>
#include <fstream>
#include <sstream>

#include "support.hpp"
#include "values/value_codec.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol::values;
using netpol::Location;
namespace embedded = netpol::embedded;

namespace {

// The first place where two trees differ ("" when they are the same, node for node).
std::string difference(const Value& a, const Value& b, const std::string& path = "$") {
  if (a.kind != b.kind) return path + ": kind";
  if (a.scalar != b.scalar) return path + ": text " + a.scalar + " vs " + b.scalar;
  if (a.quoted != b.quoted) return path + ": quoted";
  if (!(a.loc == b.loc)) return path + ": location " + a.loc.str() + " vs " + b.loc.str();
  if (a.map.size() != b.map.size()) return path + ": entry count";
  for (std::size_t i = 0; i < a.map.size(); ++i) {
    if (a.map[i].key != b.map[i].key) return path + ": key " + a.map[i].key;
    std::string d = difference(a.map[i].value, b.map[i].value, path + "." + a.map[i].key);
    if (!d.empty()) return d;
  }
  if (a.seq.size() != b.seq.size()) return path + ": item count";
  for (std::size_t i = 0; i < a.seq.size(); ++i) {
    std::string d = difference(a.seq[i], b.seq[i], path + "[" + std::to_string(i) + "]");
    if (!d.empty()) return d;
  }
  return "";
}

std::string invalid_argument(const std::string& data) {
  try {
    decode(data);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

const std::string kVaried = R"(plain: text
quoted: "42"
single: 'yes'
tagged: !!str 7
empty:
nulls: [~, null]
nested:
  list:
  - a: 1
    b: [x, "y"]
  - []
  - {}
  deep: {k: {k: {k: v}}}
"key with spaces": "line\nbreak and \u00e9"
long: ")" + std::string(300, 'z') +
                            R"("
)";

}  // namespace

TEST_SUITE("values: value_codec") {
  TEST_CASE("decoding gives back every node: kind, text, quoting, order and location") {
    Value tree = read_yaml(kVaried, "varied.yaml");
    CHECK(difference(decode(encode(tree)), tree) == "");
    // The test sees a difference when there is one.
    Value changed = tree;
    changed.find("nested")->find("list")->seq[0].find("b")->seq[1].quoted = false;
    CHECK(difference(decode(encode(changed)), tree) == "$.nested.list[0].b[1]: quoted");
  }

  TEST_CASE("every sample round-trips") {
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(NETPOL_SAMPLES_DIR)) {
      if (entry.path().extension() != ".yaml") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      Value tree = read_yaml(text.str(), entry.path().filename().string());
      CAPTURE(entry.path());
      CHECK(difference(decode(encode(tree)), tree) == "");
      ++files;
    }
    CHECK(files >= 5);
  }

  TEST_CASE("the compiled-in trees are what reading the compiled-in YAML gives") {
    CHECK(difference(embedded::chart_values(),
                     read_yaml(embedded::kChartValues, embedded::kChartValuesName)) == "");
    CHECK(difference(embedded::chart_profile(),
                     read_yaml(embedded::kChartProfile, embedded::kChartProfileName)) == "");
    Value defaults = embedded::chart_values();
    REQUIRE(defaults.find("global"));
    CHECK(defaults.find("global")->find("networkPolicy"));
  }

  TEST_CASE("a tree naming two files cannot be encoded") {
    Value tree = Value::make_map(Location{"a.yaml", 1, 1});
    tree.set("k", Value::make_scalar("v", false, Location{"b.yaml", 1, 4}));
    CHECK_THROWS_WITH_AS(encode(tree), "values tree names two files: a.yaml and b.yaml",
                         std::invalid_argument);
  }

  TEST_CASE("damaged data is refused, never read past its end") {
    std::string good = encode(read_yaml(kVaried, "varied.yaml"));
    for (std::size_t n = 0; n < good.size(); ++n) {
      CAPTURE(n);
      CHECK(invalid_argument(good.substr(0, n)) != "");
    }
    CHECK(invalid_argument(good + "x") ==
          "not an encoded values tree (bytes after the root node at byte " +
              std::to_string(good.size()) + ")");
    CHECK(invalid_argument("NPV2" + good.substr(4)) ==
          "not an encoded values tree (no NPV1 header at byte 0)");
    std::string bad_tag = good;
    bad_tag[4 + 1 + std::string("varied.yaml").size()] = char(0x40);
    CHECK(invalid_argument(bad_tag).find("unknown tag") != std::string::npos);
  }
}
