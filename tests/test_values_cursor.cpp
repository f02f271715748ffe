// values/cursor: typed, located reading of a values tree; every wrong type is an InputError
// at the node, naming its values path.
#include "values/cursor.hpp"

#include "support.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;
using namespace netpol::values;

namespace {

const char* kYaml =
    "svc:\n"
    "  enabled: yes\n"
    "  port: 0x2526\n"
    "  name: ui\n"
    "  empty: null\n"
    "  list: [a, b]\n"
    "  map: {x: 1, w: 2}\n";

// The InputError `f` throws: its location, path and message.
template <typename F>
InputError thrown(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e;
  }
  FAIL("no InputError thrown");
  return InputError({}, "", "");
}

}  // namespace

TEST_SUITE("values: cursor") {
  TEST_CASE("children carry their values path, and read as the chart's templates read them") {
    Value v = read_yaml(kYaml, "values.yaml");
    Cursor svc = Cursor::root(v)["svc"];
    CHECK(svc.path() == "svc");
    CHECK(svc["port"].path() == "svc.port");
    CHECK(svc["enabled"].as_bool(false));  // YAML 1.1: yes is true
    CHECK(svc["port"].as_int() == 9510);   // 0x2526
    CHECK(svc["name"].as_string() == "ui");
    CHECK(svc["port"].where().line == 3);
    CHECK(svc["port"].where().column == 9);
  }

  TEST_CASE("absent and null are both not present, an absent one is where its parent is") {
    Value v = read_yaml(kYaml, "values.yaml");
    Cursor svc = Cursor::root(v)["svc"];
    CHECK_FALSE(svc["empty"].present());
    CHECK_FALSE(svc["missing"].present());
    CHECK(svc["missing"].value() == nullptr);
    CHECK(svc["missing"].path() == "svc.missing");
    CHECK(svc["missing"].where().line == svc.where().line);
    CHECK(svc["missing"]["deeper"].path() == "svc.missing.deeper");  // absent all the way
    CHECK(svc["missing"].items().empty());
    CHECK(svc["missing"].entries().empty());
    CHECK(svc["missing"].as_bool(true));  // the fallback
    CHECK_FALSE(svc["empty"].as_bool(false));
  }

  TEST_CASE("lists and maps: items and entries in document order, with paths") {
    Value v = read_yaml(kYaml, "values.yaml");
    Cursor svc = Cursor::root(v)["svc"];
    auto items = svc["list"].items();
    REQUIRE(items.size() == 2);
    CHECK(items[1].path() == "svc.list[1]");
    CHECK(items[1].as_string() == "b");
    auto entries = svc["map"].entries();
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].first == "x");
    CHECK(entries[1].second.path() == "svc.map.w");
    CHECK(entries[1].second.as_int() == 2);
  }

  TEST_CASE("a wrong type throws at the node, naming the path and what was expected") {
    Value v = read_yaml(kYaml, "values.yaml");
    Cursor svc = Cursor::root(v)["svc"];
    InputError not_map = thrown([&] { (void)svc["name"]["x"]; });
    CHECK(not_map.path() == "svc.name");
    CHECK(not_map.where().file == "values.yaml");
    CHECK(not_map.where().line == 4);
    CHECK(std::string(not_map.what()).find("map") != std::string::npos);
    InputError not_list = thrown([&] { (void)svc["map"].items(); });
    CHECK(not_list.path() == "svc.map");
    CHECK(std::string(not_list.what()).find("list") != std::string::npos);
    InputError not_int = thrown([&] { (void)svc["name"].as_int(); });
    CHECK(not_int.path() == "svc.name");
    InputError not_bool = thrown([&] { (void)svc["port"].as_bool(false); });
    CHECK(not_bool.path() == "svc.port");
    InputError not_scalar = thrown([&] { (void)svc["list"].as_string(); });
    CHECK(not_scalar.path() == "svc.list");
  }

  TEST_CASE("parse turns a value parser's ValueError into an InputError at the node") {
    Value v = read_yaml(kYaml, "values.yaml");
    Cursor name = Cursor::root(v)["svc"]["name"];
    CHECK(name.parse([](const std::string& s) { return s + "!"; }) == "ui!");
    InputError e = thrown([&] {
      name.parse([](const std::string& s) -> int { throw ValueError("\"" + s + "\" is no port"); });
    });
    CHECK(e.path() == "svc.name");
    CHECK(e.where().line == 4);
    CHECK(e.detail().find("\"ui\" is no port") != std::string::npos);
  }
}
