#include "support.hpp"
#include "values/yaml_reader.hpp"

using netpol::test::input_error;
using namespace netpol::values;

TEST_SUITE("values: yaml_reader") {
  TEST_CASE("nodes keep 1-based line and column, quoted scalars are strings") {
    Value v = read_yaml("a:\n  b: 1\n  c: \"2\"\n  d:\n  - x\n", "f.yaml");
    const Value* b = v.find("a")->find("b");
    REQUIRE(b);
    CHECK(b->loc.str() == "f.yaml:2:6");
    CHECK(as_int(*b) == 1);
    const Value* c = v.find("a")->find("c");
    CHECK(c->quoted);
    CHECK_FALSE(as_int(*c).has_value());
    CHECK(v.find("a")->find("d")->seq.at(0).loc.str() == "f.yaml:5:5");
  }

  TEST_CASE("an empty value is null and points at its key") {
    Value v = read_yaml("a:\nb: 2\n", "f.yaml");
    CHECK(v.find("a")->is_null());
    CHECK(v.find("a")->loc.str() == "f.yaml:1:1");
  }

  TEST_CASE("an empty document is an empty map") {
    CHECK(read_yaml("", "f.yaml").is_map());
    CHECK(read_yaml("# only a comment\n", "f.yaml").map.empty());
  }

  TEST_CASE("YAML booleans follow Helm's YAML 1.1 reading") {
    Value v = read_yaml("a: yes\nb: Off\nc: 'true'\nd: maybe\n", "f.yaml");
    CHECK(as_bool(*v.find("a")) == true);
    CHECK(as_bool(*v.find("b")) == false);
    CHECK_FALSE(as_bool(*v.find("c")).has_value());
    CHECK_FALSE(as_bool(*v.find("d")).has_value());
  }

  TEST_CASE("merge keys (<<) bring in the anchored map, explicit keys win") {
    Value v = read_yaml("base: &b\n  x: 1\n  w: 1\nd:\n  <<: *b\n  w: 2\n", "f.yaml");
    const Value* d = v.find("d");
    CHECK(as_int(*d->find("x")) == 1);
    CHECK(as_int(*d->find("w")) == 2);
    CHECK(d->map.size() == 2);
  }

  TEST_CASE("merge keys apply in key order, as go-yaml v2's decoder applies them") {
    // A key written before << is overridden by it; one written after overrides it.
    Value v = read_yaml(
        "a: &a {x: 1, w: 1}\nb: &b {x: 2, z: 2}\n"
        "before: {x: 0, <<: *a}\n"
        "after: {<<: *a, x: 0}\n"
        "two: {<<: *a, <<: *b}\n"  // a later << overrides an earlier one
        "list: {<<: [*a, *b]}\n",  // in a list, earlier maps win
        "f.yaml");
    CHECK(as_int(*v.find("before")->find("x")) == 1);
    CHECK(as_int(*v.find("after")->find("x")) == 0);
    CHECK(as_int(*v.find("two")->find("x")) == 2);
    CHECK(as_int(*v.find("two")->find("w")) == 1);
    CHECK(as_int(*v.find("list")->find("x")) == 1);
    CHECK(as_int(*v.find("list")->find("z")) == 2);
    CHECK(input_error([] { read_yaml("m: {x: 1, <<: {w: 2}, x: 3}\n", "f.yaml"); }) ==
          "f.yaml:1:23: m.x: duplicate key \"x\" (first at line 1); Helm would silently use the "
          "last one");
  }

  TEST_CASE("regression: input on which yaml-cpp's LoadAll loops forever (found by fuzzing)") {
    // tests/golden/inputs/regression-loadall-hang.yaml; reading it must simply end.
    std::string text =
        "# samples/enabled.yaml written differently: flow style, other key order, comments,\n# and "
        "the default 0.0.0.0/0 egress split into halves. The ebal: {networkPolicy: "
        "{externalEgress: [\n    {ports: [{protocol: \x14"
        "CP, port: 443}], cidr: 0.0.0.0/1},\n    {cidr: 128.0.0.0/1, ports: [443]},\n    {cidr: "
        "0.0.0.0/0, ports: [{port: 543ext:Postgrnabled: yes}}\n";
    // It ends, refused for what is wrong with it (the control character), not by a timeout.
    std::string msg = input_error([&] { read_yaml(text, "hang.yaml"); });
    CHECK(msg.rfind("hang.yaml:3:25: ", 0) == 0);
    CHECK(msg.find("control character") != std::string::npos);
  }

  TEST_CASE("regression: an alias inside its own anchor (found by fuzzing)") {
    std::string msg =
        input_error([] { read_yaml("a: &a [lol]\nb: &b [*a, b, *b,]\n", "rec.yaml"); });
    CHECK(msg == "rec.yaml:2:15: b[2]: an alias refers to a node that contains it (endless)");
  }

  TEST_CASE("errors") {
    SUBCASE("syntax error names line and column") {
      CHECK(input_error([] { read_yaml("a: [1\nb: 2\n", "bad.yaml"); }) ==
            "bad.yaml:2:2: invalid YAML: end of sequence flow not found");
    }
    SUBCASE("more than one document") {
      CHECK(input_error([] { read_yaml("a: 1\n---\nb: 2\n", "two.yaml"); }) ==
            "two.yaml:3:1: expected one YAML document, found 2 (a values file holds exactly one)");
    }
    SUBCASE("top is not a map") {
      CHECK(input_error([] { read_yaml("- a\n- b\n", "list.yaml"); }) ==
            "list.yaml:1:1: expected a map at the top of the values file, got a list");
    }
    SUBCASE("duplicate keys") {
      CHECK(input_error([] { read_yaml("a:\n  b: 1\n  b: 2\n", "dup.yaml"); }) ==
            "dup.yaml:3:3: a.b: duplicate key \"b\" (first at line 2); Helm would silently use "
            "the last one");
    }
    SUBCASE("expanding aliases beyond the node budget") {
      std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
      std::string prev = "a";
      for (char c = 'b'; c <= 'h'; ++c) {
        bomb += std::string(1, c) + ": &" + c + " [";
        for (int i = 0; i < 9; ++i) bomb += std::string(i ? ", " : "") + "*" + prev;
        bomb += "]\n";
        prev = std::string(1, c);
      }
      // Refused as go-yaml v2 refuses it (almost all of it from aliases), at the alias
      // that tips it, before that alias is copied.
      std::string msg = input_error([&] { read_yaml(bomb, "bomb.yaml"); });
      CHECK(msg ==
            "bomb.yaml:4:20: d[3]: the document expands its aliases too far (4630 of 4670 "
            "nodes); Helm refuses it as excessive aliasing");
      // Under a smaller budget, the budget refuses it first.
      ReadLimits limits;
      limits.max_nodes = 500;
      CHECK(input_error([&] { read_yaml(bomb, "bomb.yaml", limits); }) ==
            "bomb.yaml:3:20: c[3]: the document expands to more than 500 nodes (aliases "
            "included); refusing to read further");
    }
    SUBCASE("expanding aliases beyond the input limit in bytes") {
      // Few nodes, much text: the bytes an alias copies count as if they were written out.
      ReadLimits limits;
      limits.max_bytes = 1u << 20;
      std::string big(100'000, 'x');
      std::string doc = "big: &b " + big + "\nlist:\n";
      for (int i = 0; i < 10; ++i) doc += "  - *b\n";
      // 11 copies of 100,000 bytes: 1.1 MB, past 1 MiB at the tenth alias.
      CHECK(input_error([&] { read_yaml(doc, "wide.yaml", limits); }) ==
            "wide.yaml:12:5: list[9]: the document expands its aliases to more than 1 MiB of "
            "text, the input limit (raise it with --input-limit)");
      // One alias fewer is within it.
      std::string fewer = "big: &b " + big + "\nlist:\n";
      for (int i = 0; i < 9; ++i) fewer += "  - *b\n";
      CHECK(read_yaml(fewer, "wide.yaml", limits).find("list")->seq.size() == 9);
      // Keys count too, and a stream's documents count together (each of these four is
      // 300,000 bytes expanded, within the limit on its own).
      std::string keys = "m: &m {";  // 100 keys of 1,000 bytes (implicit keys end there)
      for (int k = 0; k < 100; ++k)
        keys += (k ? ", " : "") + std::string(997, 'k') + std::to_string(100 + k) + ": 1";
      keys += "}\nlist:\n";
      for (int i = 0; i < 10; ++i) keys += "  - *m\n";
      CHECK(input_error([&] {
              read_yaml(keys, "keys.yaml", limits);
            }).find("keys.yaml:12:5: list[9]: the document expands its aliases") == 0);
      std::string one = "a: &a " + big + "\nb: [*a, *a]\n---\n", docs;
      for (int i = 0; i < 4; ++i) docs += one;
      CHECK(read_yaml_documents(one, "docs.yaml", limits).size() == 1);
      CHECK(input_error([&] { read_yaml_documents(docs, "docs.yaml", limits); }) ==
            "docs.yaml:11:5: b[0]: the document expands its aliases to more than 1 MiB of text, "
            "the input limit (raise it with --input-limit)");
    }
    SUBCASE("aliases as Helm allows them") {
      // 200 copies of a 10-node map: 2,000 nodes from aliases against some 220 written,
      // 90% of the document, which go-yaml v2 allows (99% below 400,000 nodes).
      std::string doc = "base: &b {a: 1, b: 2, c: 3, d: 4}\nlist:\n";
      for (int i = 0; i < 200; ++i) doc += "  - *b\n";
      CHECK(read_yaml(doc, "ok.yaml").find("list")->seq.size() == 200);
    }
    SUBCASE("nesting deeper than the limit, refused while parsing") {
      std::string deep = "a: " + std::string(250, '[') + std::string(250, ']') + "\n";
      CHECK(input_error([&] {
              read_yaml(deep, "deep.yaml");
            }).find("nesting deeper than 200 levels") != std::string::npos);
    }
  }
}

TEST_SUITE("values: YAML streams (manifests)") {
  TEST_CASE("documents keep their own lines, empty ones are skipped") {
    auto docs = read_yaml_documents(
        "# header\na: 1\n---\n---\n# nothing\n---\nb:\n  c: 2\n--- {d: 3}\n...\n", "m.yaml");
    REQUIRE(docs.size() == 3);
    CHECK(docs[0].find("a")->loc.str() == "m.yaml:2:4");
    CHECK(docs[1].find("b")->find("c")->loc.str() == "m.yaml:8:6");
    CHECK(docs[2].find("d")->loc.str() == "m.yaml:9:9");
  }

  TEST_CASE(
      "a document ends at \"...\": what follows is the next one, in a stream and a values file") {
    auto docs = read_yaml_documents("a: 1\n...\n# comment\nb: 2\n...\n", "m.yaml");
    REQUIRE(docs.size() == 2);
    CHECK(docs[0].find("a")->loc.str() == "m.yaml:1:4");
    CHECK(docs[1].find("b")->loc.str() == "m.yaml:4:4");
    CHECK(input_error([] { read_yaml("a: 1\n...\nb: 2\n", "v.yaml"); }) ==
          "v.yaml:3:1: expected one YAML document, found 2 (a values file holds exactly one)");
    // A directive before the first document is not content.
    CHECK(read_yaml("%YAML 1.1\n---\na: 1\n", "v.yaml").find("a")->loc.str() == "v.yaml:3:4");
    CHECK(read_yaml("# only\n...\n", "v.yaml").map.empty());
    // ... and one after a document's end.
    auto two = read_yaml_documents("a: 1\n...\n%YAML 1.1\n---\nb: 2\n", "m.yaml");
    REQUIRE(two.size() == 2);
    CHECK(two[1].find("b")->loc.str() == "m.yaml:5:4");
  }

  TEST_CASE("errors point into the right document") {
    CHECK(input_error([] {
            read_yaml_documents("a: 1\n---\nb: [\n", "m.yaml");
          }).rfind("m.yaml:4:1: invalid YAML", 0) == 0);
    CHECK(input_error([] { read_yaml_documents("a: 1\n---\nb: 1\nb: 2\n", "m.yaml"); }) ==
          "m.yaml:4:1: b: duplicate key \"b\" (first at line 3); Helm would silently use the "
          "last one");
  }

  TEST_CASE("the node budget holds for all documents together") {
    std::string text;
    for (int i = 0; i < 40; ++i) text += "---\nk: [1, 2, 3, 4]\n";  // 7 nodes each
    ReadLimits limits;
    limits.max_nodes = 200;
    CHECK(read_yaml_documents(text.substr(0, text.size() / 2), "m.yaml", limits).size() == 20);
    CHECK(input_error([&] {
            read_yaml_documents(text, "m.yaml", limits);
          }).find("expands to more than") != std::string::npos);
  }
}

// Scalars resolve as go-yaml v2 (Helm's YAML parser) resolves them: resolve.go's rules,
// cited per row. Ints are what a template receives after Helm's JSON round trip, where
// every number is a float: an integral float is that integer.
TEST_SUITE("values: scalar resolution (go-yaml v2)") {
  struct Row {
    const char* yaml;
    std::optional<std::int64_t> as_int;
    ScalarType type;
    const char* rule;
  };
  const Row kRows[] = {
      {"9510", 9510, ScalarType::Int, "decimal: strconv.ParseInt(s, 0, 64)"},
      {"+9510", 9510, ScalarType::Int, "a leading sign is part of the number (resolve table 'S')"},
      {"-1", -1, ScalarType::Int, "negative decimal"},
      {"9_510", 9510, ScalarType::Int, "underscores are dropped before parsing"},
      {"0x2526", 9510, ScalarType::Int, "0x: hexadecimal (ParseInt base 0)"},
      {"0X2526", 9510, ScalarType::Int, "0X: hexadecimal"},
      {"-0x10", -16, ScalarType::Int, "a sign before a base prefix"},
      {"0o22446", 9510, ScalarType::Int, "0o: octal"},
      {"0b10010100100110", 9510, ScalarType::Int, "0b: binary"},
      {"0750", 488, ScalarType::Int, "a leading 0 is octal (YAML 1.1, ParseInt base 0)"},
      {"0", 0, ScalarType::Int, "zero"},
      {"08", 8, ScalarType::Float, "not octal: falls to the float pattern, 8.0"},
      {"9510.0", 9510, ScalarType::Float, "a float with an integral value is that integer"},
      {"1e3", 1000, ScalarType::Float, "exponent form matches the float pattern"},
      {"9510.", 9510, ScalarType::Float, "digits and a dot are a float"},
      {"9510.5", std::nullopt, ScalarType::Float, "a float that is not integral is no integer"},
      {".5", std::nullopt, ScalarType::Float, "a leading dot is a float"},
      {"9223372036854775807", INT64_MAX, ScalarType::Int, "int64 max"},
      {"9223372036854775808", std::nullopt, ScalarType::Int, "beyond int64 (ParseUint): no int64"},
      {"0x", std::nullopt, ScalarType::Str, "a prefix without digits is a string"},
      {"_9510", std::nullopt, ScalarType::Str, "numbers start with a digit, sign or dot"},
      {"0x2526g", std::nullopt, ScalarType::Str, "a bad digit makes a string"},
      {"1e", std::nullopt, ScalarType::Str, "an exponent needs digits"},
      {"9510 ", 9510, ScalarType::Int, "YAML trims the trailing space of a plain scalar"},
      {"yes", std::nullopt, ScalarType::Bool, "YAML 1.1 booleans: yes/no/on/off/y/n"},
      {"~", std::nullopt, ScalarType::Null, "~ is null"},
      {"\"9510\"", std::nullopt, ScalarType::Str, "quoted: a string, whatever it looks like"},
      {"!!str 9510", std::nullopt, ScalarType::Str, "!!str: a string"},
      {"!!int \"9510\"", 9510, ScalarType::Int, "!!int on a quoted scalar: resolved as plain"},
      {"!!float 9510", 9510, ScalarType::Int, "!!float takes an integer (resolve's defer)"},
      {"!custom 9510", std::nullopt, ScalarType::Str, "an unknown tag keeps the text"},
      {"685_230.15", std::nullopt, ScalarType::Float, "underscores dropped in floats too"},
      {"0xFFFFFFFFFFFFFFFF", std::nullopt, ScalarType::Int, "past int64 in hex: ParseUint"},
      {"-0x8000000000000001", std::nullopt, ScalarType::Str,
       "below int64 in a base: neither ParseInt, ParseUint nor the float pattern"},
      {"-9223372036854775809", std::nullopt, ScalarType::Float,
       "below int64 in decimal: the float pattern"},
      {"1e400", std::nullopt, ScalarType::Str, "out of a double's range: ParseFloat fails"},
      {"-.nan", std::nullopt, ScalarType::Str, "not in the resolve map: a string"},
      {"!!binary aGVsbG8=", std::nullopt, ScalarType::Str, "!!binary: base64, decoded"},
      {"!!timestamp 2001-12-14t21:59:43.10-05:00", std::nullopt, ScalarType::Str,
       "!!timestamp: a string, when it is one of allowedTimestampFormats"},
      {"2001-12-14", std::nullopt, ScalarType::Str, "a plain timestamp: a string (decode.go)"},
  };

  // The number a template receives (Helm's JSON round trip: every number a double).
  TEST_CASE("numbers as Helm hands them on") {
    struct Number {
      const char* yaml;
      double value;
    };
    const Number numbers[] = {
        {"685_230.15", 685230.15},
        {"1_0.5", 10.5},
        {"0xFFFFFFFFFFFFFFFF", 18446744073709551615.0},
        {"0b1111111111111111111111111111111111111111111111111111111111111111",
         18446744073709551615.0},
        {"0o1777777777777777777777", 18446744073709551615.0},
        {"01777777777777777777777", 18446744073709551615.0},  // YAML 1.1 octal
        {"-9223372036854775809", -9223372036854775809.0},
        {"0789", 789.0},  // not octal: the float pattern, decimal
    };
    for (const Number& n : numbers) {
      INFO(n.yaml);
      Value doc = read_yaml(std::string("v: ") + n.yaml + "\n", "f.yaml");
      CHECK(as_double(*doc.find("v")) == n.value);
    }
    CHECK(read_yaml("v: !!binary aGVsbG8=\n", "f.yaml").find("v")->scalar == "hello");
    CHECK(read_yaml("v: !!binary |\n  aGVs\n  bG8=\n", "f.yaml").find("v")->scalar == "hello");
  }

  // sigs.k8s.io/yaml turns go-yaml's typed keys into JSON's strings.
  TEST_CASE("plain keys that are not strings become Helm's strings for them") {
    Value v = read_yaml(
        "0x1F: a\nyes: b\n1e3: c\n1.5: d\n1e6: e\n0.1: f\n-1e-7: g\n3.14159265358979: h\n"
        "\"0x20\": i\n.inf: j\n-1e39: k\n1e-50: l\n",
        "f.yaml");
    std::vector<std::string> keys;
    for (const auto& e : v.map) keys.push_back(e.key);
    CHECK(keys == std::vector<std::string>{"31", "true", "1000", "1.5", "1e+06", "0.1", "-1e-07",
                                           "3.1415927", "0x20", ".inf", "-.inf", "0"});
    // Past float's range (Go formats keys in 32 bits): infinity, so the same key as .inf.
    CHECK(input_error([] {
            read_yaml(".inf: a\n1e39: b\n", "f.yaml");
          }).find("duplicate key \".inf\"") != std::string::npos);
    CHECK(input_error([] {
            read_yaml("18446744073709551615: a\n", "f.yaml");
          }).find("f.yaml:1:1: the key 18446744073709551615 is the number") == 0);
    CHECK(input_error([] {
            read_yaml("a: 1\n0x61: 2\n97: 3\n", "f.yaml");
          }).find("duplicate key \"97\"") != std::string::npos);
  }

  TEST_CASE("what Helm's parser refuses, refused with the reason") {
    CHECK(input_error([] { read_yaml("v: .inf\n", "f.yaml"); }) ==
          "f.yaml:1:4: v: .inf is infinity, which Helm cannot pass on: its values go through "
          "JSON, which has neither (Helm refuses the file); quote it to mean the text");
    CHECK(input_error([] {
            read_yaml("v: [.NaN]\n", "f.yaml");
          }).find("v[0]: .NaN is not a number") != std::string::npos);
    CHECK(input_error([] { read_yaml("v: !!float .inf\n", "f.yaml"); }).find("is infinity") !=
          std::string::npos);
    CHECK(read_yaml("v: \".inf\"\n", "f.yaml").find("v")->scalar == ".inf");
    CHECK(input_error([] { read_yaml("v: !!timestamp foo\n", "f.yaml"); }) ==
          "f.yaml:1:4: v: \"foo\" is tagged !!timestamp but is not a timestamp such as "
          "2001-12-14 or 2001-12-14T21:59:43Z (Helm's parser refuses it)");
    CHECK(input_error([] {
            read_yaml("v: !!timestamp 2001-02-29\n", "f.yaml");
          }).find("is tagged !!timestamp") != std::string::npos);  // not a leap year
    CHECK(input_error([] { read_yaml("v: !!binary aGVsbG8\n", "f.yaml"); }) ==
          "f.yaml:1:4: v: a !!binary value that is not base64 (Helm's parser refuses it)");
    CHECK(input_error([] { read_yaml("v: \"a\\/b\"\n", "f.yaml"); }) ==
          "f.yaml:1:4: v: \"\\/\" is not an escape to Helm's YAML parser (YAML 1.1), which "
          "refuses the file; write \"/\"");
    CHECK(read_yaml("v: \"a\\\\/b\"\n", "f.yaml").find("v")->scalar == "a\\/b");  // "\\" then '/'
    CHECK(input_error([] { read_yaml("%YAML 1.2\n---\nv: 1\n", "f.yaml"); }) ==
          "f.yaml:1:7: %YAML 1.2: Helm's YAML parser (go-yaml v2) reads YAML 1.1 only and "
          "refuses this document as incompatible; remove the directive or write %YAML 1.1");
    CHECK(read_yaml("%YAML 1.1\n---\nv: 1\n", "f.yaml").find("v"));
  }

  TEST_CASE("a byte order mark starts the file or a line, as go-yaml v2 skips it") {
    // At a line's start it is one column of indentation: s stays under q.
    Value v = read_yaml("\xEF\xBB\xBFq:\n\xEF\xBB\xBF  s: x\n", "f.yaml");
    REQUIRE(v.find("q"));
    REQUIRE(v.find("q")->is_map());
    CHECK(v.find("q")->find("s")->scalar == "x");
    CHECK(v.map.size() == 1);
    CHECK(input_error([] { read_yaml("q: a\xEF\xBB\xBF\n", "f.yaml"); }) ==
          "f.yaml:1:5: a byte order mark (U+FEFF) inside a line; Helm's parser refuses it (only a "
          "line's first character may be one)");
  }

  TEST_CASE("every row of the table") {
    for (const Row& row : kRows) {
      INFO(row.yaml << ": " << row.rule);
      Value doc = read_yaml(std::string("v: ") + row.yaml + "\n", "f.yaml");
      const Value* v = doc.find("v");
      REQUIRE(v);
      CHECK(as_int(*v) == row.as_int);
      if (row.type == ScalarType::Null) {
        CHECK(v->is_null());
      } else {
        REQUIRE(v->is_scalar());
        CHECK((v->quoted ? ScalarType::Str : resolve_plain(v->scalar)) == row.type);
      }
    }
  }

  TEST_CASE("tags that do not fit their text are refused, as go-yaml refuses them") {
    CHECK(input_error([] { read_yaml("v: !!int abc\n", "f.yaml"); }) ==
          "f.yaml:1:4: v: \"abc\" is tagged !!int but is not an integer (Helm's parser refuses "
          "it)");
    CHECK(input_error([] { read_yaml("v: !!int 1.5\n", "f.yaml"); }) ==
          "f.yaml:1:4: v: \"1.5\" is tagged !!int but is not an integer (Helm's parser refuses "
          "it)");
    CHECK(input_error([] { read_yaml("v: !!bool 1\n", "f.yaml"); }) ==
          "f.yaml:1:4: v: \"1\" is tagged !!bool but is not a boolean (Helm's parser refuses it)");
    CHECK(read_yaml("v: !!null ~\n", "f.yaml").find("v")->is_null());
    CHECK(read_yaml("v: !!bool yes\n", "f.yaml").find("v")->scalar == "yes");
  }
}

// Names and strings are Unicode text without control characters: whatever a values file
// says cannot smuggle terminal escapes, CI workflow commands on a new line, or invalid
// UTF-8 into an output.
TEST_SUITE("values: hostile text") {
  TEST_CASE("ill-formed UTF-8 is refused: overlong forms, surrogates, past U+10FFFF") {
    for (const char* bad : {"a: \xC0\xAF\n", "a: \xE0\x80\xAF\n", "a: \xED\xA0\x80\n",
                            "a: \xF4\x90\x80\x80\n", "a: \xF5\x80\x80\x80\n"}) {
      INFO(bad);
      CHECK(input_error([&] { read_yaml(bad, "f.yaml"); }).find("not UTF-8 text") !=
            std::string::npos);
    }
    // U+10FFFD (the last that is not a noncharacter) and U+2028 are text.
    CHECK(read_yaml("a: \"\xF4\x8F\xBF\xBD \xE2\x80\xA8\"\n", "f.yaml").find("a"));
  }

  TEST_CASE("the 66 noncharacters are refused, raw or escaped") {
    // U+FDD0..U+FDEF and U+nFFFE, U+nFFFF of each of the 17 planes: no XML 1.0 document can
    // hold U+FFFE or U+FFFF, so an SVG with one would not parse.
    int refused = 0, wrong = 0;
    for (char32_t cp = 0xA0; cp <= 0x10FFFF; ++cp) {
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      bool noncharacter = (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFF) >= 0xFFFE;
      wrong += forbidden_character(cp, true).empty() == noncharacter;
      refused += !forbidden_character(cp, true).empty();
    }
    CHECK(wrong == 0);
    CHECK(refused == 66);
    CHECK(input_error([] { read_yaml("a: x\xEF\xBF\xBE\n", "f.yaml"); }) ==
          "f.yaml:1:5: the text holds the noncharacter U+FFFE, which XML and YAML cannot carry; "
          "names and values may not carry noncharacters");
    CHECK(input_error([] { read_yaml("a: \"\\uFFFF\"\n", "f.yaml"); }) ==
          "f.yaml:1:4: a: a string holds the noncharacter U+FFFF, which XML and YAML cannot "
          "carry; names and values may not carry noncharacters");
    CHECK(input_error([] {
            read_yaml("a: \"\\U0010FFFE\"\n", "f.yaml");
          }).find("the noncharacter U+10FFFE") != std::string::npos);
    CHECK(input_error([] {
            read_yaml("a: \xEF\xB7\x90\n", "f.yaml");
          }).find("the noncharacter U+FDD0") != std::string::npos);
  }

  TEST_CASE("control characters are refused, raw or escaped") {
    struct Case {
      const char* yaml;
      const char* error;
    };
    const Case cases[] = {
        {"a: x\x1B[31m\n", "f.yaml:1:5: the text holds the control character ESC (U+001B)"},
        {"a: \"x\\e[31m\"\n", "f.yaml:1:4: a: a string holds the control character ESC (U+001B)"},
        {"a: \"\\x85\"\n", "f.yaml:1:4: a: a string holds the C1 control character U+0085"},
        {"a: \"\\x7F\"\n", "f.yaml:1:4: a: a string holds the control character DEL (U+007F)"},
        {"a: \"\\a\"\n", "f.yaml:1:4: a: a string holds the C0 control character U+0007"},
        {"\"a\\tb\": 1\n", "f.yaml:1:1: a key holds a tab"},
        {"\"a\\nb\": 1\n", "f.yaml:1:1: a key holds a line break"},
    };
    for (const Case& c : cases) {
      INFO(c.yaml);
      std::string e = input_error([&] { read_yaml(c.yaml, "f.yaml"); });
      CHECK(e.rfind(c.error, 0) == 0);
      CHECK(e.find("names and values may not carry control characters") != std::string::npos);
    }
    // Tabs and line breaks inside values are text.
    Value v = read_yaml("a: \"x\\ty\"\nb: |\n  two\n  lines\n", "f.yaml");
    CHECK(v.find("a")->scalar == "x\ty");
    CHECK(v.find("b")->scalar == "two\nlines\n");
  }
}

namespace {

// A tree with every node's kind, text, quoting and place, and every key's place: two
// readings are the same when these are.
std::string tree(const Value& v) {
  std::string out =
      std::to_string(static_cast<int>(v.kind)) + (v.quoted ? "q" : "") + "@" + v.loc.str();
  if (v.is_scalar()) out += "=" + v.scalar;
  if (v.is_map()) {
    out += "{";
    for (const MapEntry& e : v.map)
      out += e.key + "@" + std::to_string(e.key_line) + ":" + std::to_string(e.key_column) + ":" +
             tree(e.value) + ",";
    out += "}";
  }
  if (v.is_seq()) {
    out += "[";
    for (const Value& s : v.seq) out += tree(s) + ",";
    out += "]";
  }
  return out;
}

std::string trees(const std::vector<Value>& docs) {
  std::string out;
  for (const Value& d : docs) out += tree(d) + "\n";
  return out;
}

// A random JSON document of what kubectl prints and what it may hold: nested objects and
// arrays, strings with escapes and non-ASCII text, numbers in every JSON form, literals,
// white space and line breaks where JSON and YAML both allow them.
struct JsonGen {
  unsigned state;
  unsigned next(unsigned n) {
    state = state * 1103515245u + 12345u;
    return (state >> 8) % n;
  }
  std::string space() {
    static const char* const spaces[] = {"", " ", "\n", "\n    ", "  ", "\r\n  "};
    return spaces[next(6)];
  }
  std::string string() {
    static const char* const parts[] = {
        "a",     "web",  "\\\"", "\\\\", "\\n", "\\u00e9", "é",  "\\u2028", "ns-01/app", " ",
        "x\\ty", "0x1F", "yes",  "~",    "<<",  "#",       ": ", "- ",      "{",         "]"};
    std::string s = "\"";
    for (unsigned i = next(4); i > 0; --i) s += parts[next(20)];
    return s + "\"";
  }
  std::string value(int depth) {
    unsigned pick = next(depth > 4 ? 3 : 5);
    if (pick == 0) return string();
    if (pick == 1) {
      static const char* const numbers[] = {
          "0", "-0", "8080", "-12", "1.5", "1.50", "1e3", "-2.5E-3", "12345678901234567890", "0.0"};
      return numbers[next(10)];
    }
    if (pick == 2) {
      static const char* const literals[] = {"true", "false", "null"};
      return literals[next(3)];
    }
    std::string out = pick == 3 ? "{" : "[";
    unsigned n = next(4);
    for (unsigned i = 0; i < n; ++i) {
      out += space();
      // A line break between a key and its ':' is JSON but not YAML 1.1 (an implicit key is
      // one line): kubectl never writes one.
      if (pick == 3) out += "\"k" + std::to_string(i) + "\"" + (next(2) ? " " : "") + ":" + space();
      out += value(depth + 1) + space() + (i + 1 < n ? "," : "");
    }
    return out + space() + (pick == 3 ? "}" : "]");
  }
};

ReadLimits json_limits(const SkipFields* skip = nullptr) {
  ReadLimits l;
  l.json = true;
  l.skip = skip;
  return l;
}

}  // namespace

TEST_SUITE("values: JSON documents and skipped fields (manifests)") {
  TEST_CASE("a JSON document read as JSON is the tree the YAML reader makes of it") {
    // 2,000 random documents: every node's text, kind and place agree; so do their errors.
    JsonGen gen{20261205};
    int compared = 0;
    for (int i = 0; i < 2000; ++i) {
      std::string text =
          gen.space() + "{\"items\":" + gen.space() + gen.value(0) + "}" + gen.space();
      INFO(text);
      std::string as_json, as_yaml;
      try {
        as_json = trees(read_yaml_documents(text, "d.json", json_limits()));
      } catch (const netpol::InputError& e) {
        as_json = std::string("error: ") + e.what();
      }
      try {
        as_yaml = trees(read_yaml_documents(text, "d.json"));
      } catch (const netpol::InputError& e) {
        as_yaml = std::string("error: ") + e.what();
      }
      CHECK(as_json == as_yaml);
      compared += as_json.rfind("error", 0) != 0;
    }
    CHECK(compared > 1500);  // most documents read (a string may hold what a key may not)
  }

  TEST_CASE("JSON's own escapes are JSON's, and text that is not JSON is read as YAML") {
    // `\/` is JSON's escape for '/'; YAML 1.1 (Helm's parser) has none.
    CHECK(read_yaml_documents("{\"a\": \"x\\/y\"}", "d.json", json_limits())[0].find("a")->scalar ==
          "x/y");
    CHECK(input_error([] {
            read_yaml_documents("{\"a\": \"x\\/y\"}", "d.json");
          }).find("\"\\/\" is not an escape") != std::string::npos);
    // YAML flow (unquoted) is read as YAML; broken JSON gets YAML's error at its place.
    CHECK(read_yaml_documents("{a: b}", "d.yaml", json_limits())[0].find("a")->scalar == "b");
    CHECK(input_error([] {
            read_yaml_documents("{\"a\": 1,\n \"b\" 2}", "d.json", json_limits());
          }).rfind("d.json:2:", 0) == 0);
    // Duplicate keys are refused as in YAML, at the second.
    CHECK(input_error(
              [] { read_yaml_documents("{\"a\": 1,\n \"a\": 2}", "d.json", json_limits()); }) ==
          "d.json:2:2: a: duplicate key \"a\" (first at line 1); Helm would silently use the "
          "last one");
  }

  TEST_CASE("a flow document's places are its own, not the wrapper's") {
    // The YAML path reads a top-level flow collection as a map key's value (yaml-cpp holds
    // a top-level one whole otherwise); marks and errors are moved back.
    auto docs = read_yaml_documents("  {\"a\": [1, {\"b\": x}]}\n", "d.yaml");
    CHECK(docs[0].loc.str() == "d.yaml:1:3");
    CHECK(docs[0].find("a")->seq[1].find("b")->loc.str() == "d.yaml:1:19");
    CHECK(input_error([] {
            read_yaml_documents("  {\"a\": [1, {\"b\": x}", "d.yaml");
          }).rfind("d.yaml:1:", 0) == 0);
  }

  TEST_CASE("skipped fields are not built, not counted, and still nested within bounds") {
    SkipFields skip({"status", "metadata.!name,labels", "items.*.@", "spec.c.*.!ports"});
    std::string text =
        "{\"kind\": \"List\", \"items\": [\n"
        " {\"metadata\": {\"name\": \"a\", \"uid\": \"1\", \"labels\": {\"x\": \"y\"}},\n"
        "  \"spec\": {\"c\": [{\"image\": \"i\", \"ports\": [1]}], \"d\": 2},\n"
        "  \"status\": {\"phase\": \"Running\", \"conditions\": [1, 2, 3, 4, 5, 6, 7, 8]}},\n"
        " {\"kind\": \"List\", \"items\": [{\"status\": 1, \"metadata\": {\"uid\": 2}}]}]}";
    for (bool json : {true, false}) {
      INFO(json);
      ReadLimits limits = json_limits(&skip);
      limits.json = json;
      Value doc = read_yaml_documents(text, "d.json", limits).at(0);
      const Value& item = doc.find("items")->seq.at(0);
      CHECK(item.find("status") == nullptr);
      CHECK(item.find("metadata")->find("uid") == nullptr);
      CHECK(item.find("metadata")->find("name")->scalar == "a");
      CHECK(item.find("metadata")->find("labels")->find("x")->scalar == "y");
      CHECK(item.find("spec")->find("c")->seq.at(0).find("image") == nullptr);
      CHECK(item.find("spec")->find("c")->seq.at(0).find("ports")->seq.size() == 1);
      CHECK(item.find("spec")->find("d")->scalar == "2");  // no pattern: read
      // A List inside a List: its items are objects too.
      const Value& inner = doc.find("items")->seq.at(1).find("items")->seq.at(0);
      CHECK(inner.find("status") == nullptr);
      CHECK(inner.find("metadata")->map.empty());
      // The node budget counts what is read, not what is skipped: the values of status (13
      // nodes), two uids, an image and the inner status, 17 nodes (their keys are read).
      auto least_budget = [&](const SkipFields* s) {
        ReadLimits l = limits;
        l.skip = s;
        for (l.max_nodes = 1;; ++l.max_nodes) try {
            read_yaml_documents(text, "d.json", l);
            return l.max_nodes;
          } catch (const netpol::InputError&) {
          }
      };
      const std::size_t read = least_budget(&skip), all = least_budget(nullptr);
      CHECK(read == all - 17);
      // Nesting inside a skipped field is still bounded.
      std::string deep = "{\"status\": " + std::string(300, '[') + std::string(300, ']') + "}";
      CHECK(input_error([&] {
              read_yaml_documents(deep, "d.json", limits);
            }).find("nesting deeper than 200 levels") != std::string::npos);
    }
    // An alias to a node of a skipped field is an error, not a null.
    CHECK(input_error([&] {
            ReadLimits l;
            l.skip = &skip;
            read_yaml_documents("status: &s {a: 1}\nspec: *s\n", "d.yaml", l);
          }).find("an alias refers to a node of a field netpol-graph does not read") !=
          std::string::npos);
  }
}
