// values/loader: Helm's layers (chart defaults, each -f file, --set, --set-string) merged in
// Helm's order, and a values file of several documents.
#include "values/loader.hpp"

#include "support.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;
using namespace netpol::values;

TEST_SUITE("values: loader") {
  TEST_CASE("--set applies after every file and --set-string after every --set") {
    Layers layers;
    layers.defaults = {"<defaults>", "a: 0\n"};
    layers.files = {{"one.yaml", "a: 1\nb: 1\n"}, {"two.yaml", "a: 2\n"}};
    layers.set = {"b=3"};
    layers.set_string = {"b=4"};
    Value v = load_values(layers);
    CHECK(as_int(*v.find("a")) == 2);
    CHECK(v.find("b")->scalar == "4");
    CHECK(v.find("b")->quoted);
  }

  TEST_CASE("a --set list index replaces the whole default list, as in Helm") {
    Layers layers;
    layers.defaults = {"<defaults>", "l:\n  - a\n  - b\n"};
    layers.set = {"l[0]=z"};
    Value v = load_values(layers);
    REQUIRE(v.find("l")->seq.size() == 1);
    CHECK(v.find("l")->seq[0].scalar == "z");
  }

  TEST_CASE("defaults already read are used as they are, their text is not parsed again") {
    Layers layers;
    layers.defaults = {"<defaults>", "a: [not, parsed"};  // would be a syntax error
    layers.defaults_tree = read_yaml("a: 0\nb: 0\n", "<defaults>");
    layers.files = {{"one.yaml", "a: 1\n"}};
    Value v = load_values(layers);
    CHECK(as_int(*v.find("a")) == 1);
    CHECK(as_int(*v.find("b")) == 0);
    CHECK(v.find("b")->loc.str() == "<defaults>:2:4");
  }
  TEST_CASE("a file's tree already read is used, its text not parsed again") {
    Layers layers;
    layers.defaults = {"<defaults>", "a: 0\n"};
    Value shared = read_yaml("a: 5\n", "shared.yaml");
    layers.files = {{"shared.yaml", "a: [not, parsed"}, {"two.yaml", "b: 2\n"}};
    layers.file_trees = {&shared, nullptr};
    Value v = load_values(layers);
    CHECK(as_int(*v.find("a")) == 5);
    CHECK(as_int(*v.find("b")) == 2);
    CHECK(v.find("a")->loc.file == "shared.yaml");
  }

  TEST_CASE("command-line values are located at a name that says which --set") {
    CHECK(set_source_name(0, false) == "<--set 1>");
    CHECK(set_source_name(1, true) == "<--set-string 2>");
    Layers layers;
    layers.defaults = {"<defaults>", "a: 0\n"};
    layers.set = {"a=1", "b=2"};
    layers.set_string = {"c=003"};
    Value v = load_values(layers);
    CHECK(v.find("b")->loc.file == "<--set 2>");
    CHECK(v.find("c")->loc.file == "<--set-string 1>");
    CHECK(v.find("c")->quoted);  // a string whatever it looks like
    CHECK(v.find("c")->scalar == "003");
  }

  TEST_CASE("a user null deletes a default key, whichever layer says it") {
    for (const char* how : {"file", "set"}) {
      CAPTURE(how);
      Layers layers;
      layers.defaults = {"<defaults>", "a:\n  x: 1\n  w: 2\n"};
      if (std::string(how) == "file")
        layers.files = {{"one.yaml", "a:\n  x: null\n"}};
      else
        layers.set = {"a.x=null"};
      Value v = load_values(layers);
      CHECK(v.find("a")->find("x") == nullptr);
      CHECK(as_int(*v.find("a")->find("w")) == 2);
    }
  }

  TEST_CASE("a layer that is not YAML or not a map is an error at its line") {
    Layers layers;
    layers.defaults = {"<defaults>", "a: 0\n"};
    layers.files = {{"bad.yaml", "a: 1\n- x\n"}};
    CHECK(test::input_error([&] { load_values(layers); }).rfind("bad.yaml:", 0) == 0);
    layers.files = {{"list.yaml", "- x\n"}};
    CHECK(test::input_error([&] { load_values(layers); }).rfind("list.yaml:1:1: ", 0) == 0);
  }
}

TEST_SUITE("values: files of several documents") {
  TEST_CASE("each document is merged in order, as Helm 4 merges them, empty ones add nothing") {
    Value v = read_values_file(
        "---\n# empty\n---\na: {x: 1, w: 1}\nl: [1]\n---\na: {w: 2}\nl: [2, 3]\n---\n", "f.yaml");
    CHECK(as_int(*v.find("a")->find("x")) == 1);
    CHECK(as_int(*v.find("a")->find("w")) == 2);
    CHECK(v.find("l")->seq.size() == 2);  // lists replace, as between -f files
    CHECK(v.find("a")->find("w")->loc.str() == "f.yaml:7:8");
    CHECK(test::input_error([] { read_values_file("a: 1\n---\n- x\n", "f.yaml"); }) ==
          "f.yaml:3:1: expected a map at the top of the values file, got a list");
  }
}
