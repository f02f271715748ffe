// The chart profile (graph/read/profile): what the values cannot say, read and checked.
#include "graph/read/profile.hpp"
#include "support.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;

namespace {

graph::Profile profile(const std::string& yaml) {
  return graph::read_profile(values::read_yaml(yaml, "p.yaml"));
}

std::string profile_error(const std::string& yaml) {
  return test::input_error([&] { profile(yaml); });
}

}  // namespace

TEST_SUITE("graph: profile") {
  TEST_CASE("services keep their order, externals are named by protocol and port") {
    graph::Profile p = profile(
        "services:\n  - name: b\n    needs: [S3]\n  - name: a\n"
        "externals:\n  - {name: S3, port: 443, protocol: TCP}\n  - {name: DNS, port: 53, "
        "protocol: UDP}\n");
    CHECK(p.rank("b") == 0);
    CHECK(p.rank("a") == 1);
    CHECK(p.rank("zzz") == 2);  // unlisted services sort last
    CHECK(p.external_name(graph::Protocol::TCP, 443) == std::optional<std::string>("S3"));
    CHECK(p.external_name(graph::Protocol::UDP, 53) == std::optional<std::string>("DNS"));
    CHECK_FALSE(p.external_name(graph::Protocol::TCP, 53).has_value());
  }

  TEST_CASE("an external's port is checked before it is narrowed to an int") {
    // 4294967377 is 2^32 + 81: cast first, it read as port 81.
    CHECK(profile_error("externals:\n  - {name: X, port: 4294967377}\n") ==
          "p.yaml:2:21: externals[0].port: port 4294967377 is not in 1-65535");
    CHECK(profile_error("externals:\n  - {name: X, port: 0}\n") ==
          "p.yaml:2:21: externals[0].port: port 0 is not in 1-65535");
    CHECK(profile_error("externals:\n  - {name: X, port: 65536}\n") ==
          "p.yaml:2:21: externals[0].port: port 65536 is not in 1-65535");
    CHECK(profile("externals:\n  - {name: X, port: 65535}\n").externals.at(0).port == 65535);
  }

  TEST_CASE("an external named * is an error: it would be the node for any address") {
    CHECK(profile_error("externals:\n  - {name: \"*\", port: 443}\n") ==
          "p.yaml:2:12: externals[0].name: \"*\" would name netpol-graph's node for any "
          "address (ext:*); choose another name");
  }

  TEST_CASE("a service listed twice is an error") {
    CHECK(profile_error("services:\n  - name: a\n  - name: a\n") ==
          "p.yaml:3:11: services[1].name: service \"a\" is listed twice");
  }

  TEST_CASE("the compiled-in profile reads") {
    graph::Profile p = test::embedded_profile();
    CHECK(p.rank("meta") == 0);
    CHECK(p.external_name(graph::Protocol::TCP, 5432) == std::optional<std::string>("PostgreSQL"));
  }
}
