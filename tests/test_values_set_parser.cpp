#include "support.hpp"
#include "values/set_parser.hpp"

using netpol::test::input_error;
using namespace netpol::values;

namespace {
Value set(const std::string& arg, bool force_string = false) {
  Value root = Value::make_map({});
  apply_set(root, arg, "<--set 1>", force_string);
  return root;
}
}  // namespace

TEST_SUITE("values: set_parser") {
  TEST_CASE("dotted keys create maps, values are typed as Helm types them") {
    Value v = set("a.b=true,a.c=5,a.d=05,a.e=text,a.f=null,a.g=,a.h=-3,a.i=TRUE");
    const Value* a = v.find("a");
    REQUIRE(a);
    CHECK(as_bool(*a->find("b")) == true);
    CHECK(as_int(*a->find("c")) == 5);
    CHECK(a->find("d")->quoted);  // leading zero: a string
    CHECK(a->find("e")->scalar == "text");
    CHECK(a->find("f")->is_null());
    CHECK(a->find("g")->scalar == "");
    CHECK(as_int(*a->find("h")) == -3);
    CHECK(as_bool(*a->find("i")) == true);
  }

  TEST_CASE("numbers as strvals types them: base 10 int64 only, not YAML's forms") {
    // typedVal: "0"; else ParseInt(val, 10, 64) when it does not start with 0; else a string.
    Value v =
        set("a=0x2526,b=9_510,c=1e3,d=9510.0,e=0,f=-0750,g=9223372036854775807,"
            "h=9223372036854775808,i=+5");
    for (const char* k : {"a", "b", "c", "d", "h"}) {
      INFO(k);
      CHECK(v.find(k)->quoted);
      CHECK_FALSE(as_int(*v.find(k)).has_value());
    }
    CHECK(as_int(*v.find("e")) == 0);
    CHECK(as_int(*v.find("f")) == -750);  // base 10 here, though 0750 in YAML is octal
    CHECK(as_int(*v.find("g")) == INT64_MAX);
    CHECK(as_int(*v.find("i")) == 5);
  }

  TEST_CASE("Helm's strvals corner cases") {
    // set() drops an empty key: ".a=b" and "=b" add nothing (no phantom service "").
    CHECK(set(".networkPolicy.enabled=true").map.empty());
    CHECK(set("=b").map.empty());
    CHECK(set("[0]=x").map.empty());
    // "name[0]" with no "=": the list is set as it is (empty here), no error (listItem at EOF).
    Value listed = set("name[0]");
    REQUIRE(listed.find("name"));
    CHECK(listed.find("name")->is_seq());
    CHECK(listed.find("name")->seq.empty());
    // A trailing backslash escapes nothing: runesUntil drops it.
    CHECK(set("a=b\\").find("a")->scalar == "b");
    // A null from -f cannot be indexed or given keys: Helm's type assertion fails there.
    Value root = read_yaml("query: null\nl: ~\n", "values.yaml");
    CHECK(input_error([&] { apply_set(root, "query.networkPolicy.x=1", "<--set 1>", false); }) ==
          "<--set 1>:1:1: query: cannot set a key inside null (set at values.yaml:1:1)");
    CHECK(input_error([&] { apply_set(root, "l[0]=1", "<--set 1>", false); }) ==
          "<--set 1>:1:1: l: cannot index null as a list (set at values.yaml:2:1)");
  }

  TEST_CASE("--set-string keeps every value a string") {
    Value v = set("a=true,b=5", true);
    CHECK_FALSE(as_bool(*v.find("a")).has_value());
    CHECK(v.find("b")->quoted);
  }

  TEST_CASE("list indices, nested maps in lists, and {a,b} lists") {
    Value v = set("l[1].app=ui,l[1].ports[0]=9510,m={x,y,3}");
    const Value* l = v.find("l");
    REQUIRE(l->is_seq());
    REQUIRE(l->seq.size() == 2);
    CHECK(l->seq[0].is_null());  // Helm pads with null
    CHECK(l->seq[1].find("app")->scalar == "ui");
    CHECK(as_int(l->seq[1].find("ports")->seq.at(0)) == 9510);
    const Value* m = v.find("m");
    REQUIRE(m->seq.size() == 3);
    CHECK(as_int(m->seq[2]) == 3);
  }

  TEST_CASE("escapes") {
    Value v = set("a\\.b=x\\,y");
    CHECK(v.find("a.b")->scalar == "x,y");
  }

  TEST_CASE("locations point into the argument") {
    Value v = set("global.networkPolicy.enabled=true");
    CHECK(v.find("global")->find("networkPolicy")->find("enabled")->loc.str() == "<--set 1>:1:30");
  }

  TEST_CASE("applies on top of existing values") {
    Value root = read_yaml("a:\n  keep: 1\n  l: [1, 2, 3]\n", "f.yaml");
    apply_set(root, "a.new=2,a.l[1]=9", "<--set 1>", false);
    CHECK(as_int(*root.find("a")->find("keep")) == 1);
    CHECK(as_int(*root.find("a")->find("new")) == 2);
    CHECK(as_int(root.find("a")->find("l")->seq[1]) == 9);
    CHECK(root.find("a")->find("l")->seq.size() == 3);
  }

  TEST_CASE("errors") {
    CHECK(input_error([] { set("a.b"); }) == "<--set 1>:1:3: a.b: key \"b\" has no value");
    CHECK(input_error([] { set("a,b=1"); }) ==
          "<--set 1>:1:1: a: key \"a\" has no value (cannot end with ,)");
    CHECK(input_error([] { set("a[x]=1"); }) ==
          "<--set 1>:1:3: a: error parsing index: \"x\" is not a number");
    CHECK(input_error([] { set("a[-1]=1"); }) == "<--set 1>:1:3: a: negative -1 index not allowed");
    CHECK(input_error([] { set("a[70000]=1"); }) ==
          "<--set 1>:1:3: a: index of 70000 is greater than maximum supported index of 65536");
    CHECK(input_error([] { set("a={x,y"); }) == "<--set 1>:1:3: a: list must terminate with '}'");
    CHECK(input_error([] { set("a=1,a.b=2"); }) ==
          "<--set 1>:1:5: a: cannot set a key inside the number 1 (set at <--set 1>:1:3)");
    CHECK(input_error([] { set("a.=1"); }) == "<--set 1>:1:1: a: key map \"a\" has no value");
  }
}
