#include <doctest/doctest.h>

#include "graph/sets/selector.hpp"

using namespace netpol::graph;

TEST_SUITE("graph: selector") {
  TEST_CASE("matchLabels and matchExpressions") {
    LabelSelector s;
    s.add_equals("app", "prom");
    s.add(Requirement{"env", Requirement::Op::NotIn, {"dev", "ci"}});
    s.add(Requirement{"team", Requirement::Op::Exists, {}});
    CHECK(s.matches({{"app", "prom"}, {"team", "x"}}));
    CHECK(s.matches({{"app", "prom"}, {"team", "x"}, {"env", "prod"}}));
    CHECK_FALSE(s.matches({{"app", "prom"}, {"team", "x"}, {"env", "ci"}}));
    CHECK_FALSE(s.matches({{"app", "prom"}}));
    CHECK_FALSE(s.matches({{"app", "other"}, {"team", "x"}}));
    LabelSelector none;
    none.add(Requirement{"legacy", Requirement::Op::DoesNotExist, {}});
    CHECK(none.matches({}));
    CHECK_FALSE(none.matches({{"legacy", "1"}}));
    CHECK(LabelSelector().matches({{"anything", "x"}}));
  }

  TEST_CASE("canonical string: sorted requirements, equal forms agree") {
    LabelSelector a, b;
    a.add_equals("tier", "db");
    a.add(Requirement{"app", Requirement::Op::In, {"b", "a", "a"}});
    b.add(Requirement{"app", Requirement::Op::In, {"a", "b"}});
    b.add(Requirement{"tier", Requirement::Op::In, {"db"}});
    CHECK(a == b);
    CHECK(a.str() == "app in (a,b),tier=db");
    CHECK(a.describe() == "app in (a, b) and tier=db");
    LabelSelector c;
    c.add(Requirement{"x", Requirement::Op::DoesNotExist, {}});
    c.add(Requirement{"y", Requirement::Op::NotIn, {"1"}});
    CHECK(c.str() == "!x,y!=1");
    CHECK(LabelSelector().str().empty());
    CHECK(LabelSelector().describe() == "everything");
  }

  TEST_CASE("operator names parse back to the operator they print, and nothing else parses") {
    for (auto op : {Requirement::Op::In, Requirement::Op::NotIn, Requirement::Op::Exists,
                    Requirement::Op::DoesNotExist}) {
      Requirement::Op back =
          op == Requirement::Op::In ? Requirement::Op::NotIn : Requirement::Op::In;
      REQUIRE(parse_operator(operator_name(op), back));
      CHECK(back == op);
    }
    Requirement::Op op = Requirement::Op::In;
    CHECK_FALSE(parse_operator("in", op));
    CHECK_FALSE(parse_operator("Equals", op));
  }

  TEST_CASE("the app peer shape: app In (x), and exactly app In (x)") {
    LabelSelector one;
    one.add_equals("app", "ui");
    CHECK(single_app(one) == "ui");
    REQUIRE(app_in(one));
    LabelSelector more = one;
    more.add_equals("tier", "web");
    CHECK(single_app(more).empty());
    CHECK(app_in(more) != nullptr);
    CHECK(app_in(LabelSelector()) == nullptr);
  }
}
