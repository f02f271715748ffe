#include "support.hpp"
#include "values/merge.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol::values;

TEST_SUITE("values: merge") {
  TEST_CASE("maps merge, lists and scalars replace") {
    Value base = read_yaml("a:\n  x: 1\n  l: [1, 2]\n", "a.yaml");
    merge_over(base, read_yaml("a:\n  w: 2\n  l: [3]\n", "b.yaml"));
    CHECK(as_int(*base.find("a")->find("x")) == 1);
    CHECK(as_int(*base.find("a")->find("w")) == 2);
    REQUIRE(base.find("a")->find("l")->seq.size() == 1);
    CHECK(base.find("a")->find("l")->seq[0].loc.file == "b.yaml");
  }

  TEST_CASE("a user null deletes the default key, a user null between files survives merging") {
    Value defaults = read_yaml("a:\n  x: 1\n  w: 2\n", "<defaults>");
    Value user = read_yaml("a:\n  x: 5\n", "one.yaml");
    merge_over(user, read_yaml("a:\n  x: null\n", "two.yaml"));
    Value out = coalesce(user, defaults);
    CHECK(out.find("a")->find("x") == nullptr);
    CHECK(as_int(*out.find("a")->find("w")) == 2);
  }

  TEST_CASE("a null in the chart defaults is kept beside the user's keys (helm#32530)") {
    Value defaults = read_yaml("keyMapping:\n  password: null\n  user: u\n", "<defaults>");
    Value out = coalesce(read_yaml("keyMapping:\n  user: x\n", "one.yaml"), defaults);
    const Value* km = out.find("keyMapping");
    REQUIRE(km);
    REQUIRE(km->find("password"));
    CHECK(km->find("password")->is_null());
    CHECK(km->find("user")->scalar == "x");
  }

  TEST_CASE("defaults' key order first, then the user's new keys") {
    Value out = coalesce(read_yaml("z: 1\nb: 2\n", "u"), read_yaml("a: 1\nb: 1\n", "d"));
    REQUIRE(out.map.size() == 3);
    CHECK(out.map[0].key == "a");
    CHECK(out.map[1].key == "b");
    CHECK(out.map[2].key == "z");
    CHECK(out.map[1].value.loc.file == "u");
  }
}

TEST_SUITE("values: merge, moved layers") {
  // Every node: kind, text, location, and each key with its position.
  std::string dump(const Value& v) {
    std::string s = std::to_string(static_cast<int>(v.kind)) + "'" + v.scalar + "'" +
                    (v.quoted ? "q" : "") + "@" + v.loc.file + ":" + std::to_string(v.loc.line) +
                    ":" + std::to_string(v.loc.column) + "{";
    for (const auto& e : v.map)
      s += e.key + "@" + std::to_string(e.key_line) + ":" + std::to_string(e.key_column) + "=" +
           dump(e.value) + ",";
    s += "}[";
    for (const auto& x : v.seq) s += dump(x) + ",";
    return s + "]";
  }

  // A layer of `n` services over a base that holds every other one, some as maps that merge,
  // some replaced by a scalar or a list, some deleted by a null.
  std::string layer_text(int n, int variant) {
    std::string s;
    for (int i = 0; i < n; i += 1 + variant) {
      s += "svc" + std::to_string(i) + ":\n";
      switch ((i + variant) % 4) {
        case 0:
          s += "  networkPolicy:\n    enabled: " + std::to_string(variant) + "\n";
          break;
        case 1:
          s += "  port: " + std::to_string(i * 7 + variant) + "\n";
          break;
        case 2:
          s += "  l: [" + std::to_string(variant) + "]\n";
          break;
        default:
          s += "  x: null\n";
          break;
      }
    }
    return s;
  }

  TEST_CASE("a moved layer merges and coalesces exactly as a copied one, small and big maps") {
    for (int n : {6, 40}) {
      CAPTURE(n);
      Value defaults = read_yaml(layer_text(n, 0), "<defaults>");
      Value base = read_yaml(layer_text(n, 1), "one.yaml");
      Value layer = read_yaml(layer_text(n, 2), "two.yaml");
      Value copied = base, moved = base;
      merge_over(copied, layer);
      merge_over(moved, Value(layer));
      CHECK(dump(moved) == dump(copied));
      CHECK(dump(coalesce(Value(copied), defaults)) == dump(coalesce(copied, defaults)));
      // And the result is the merge, not two equal wrong trees: a key of the layer wins.
      const Value* svc0 = copied.find("svc0");
      REQUIRE(svc0 != nullptr);
      REQUIRE(svc0->find("l") != nullptr);
      CHECK(svc0->find("l")->loc.file == "two.yaml");
      REQUIRE(svc0->find("port") != nullptr);
      CHECK(svc0->find("port")->loc.file == "one.yaml");
    }
  }
}
