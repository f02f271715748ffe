#include "graph/read/k8s_names.hpp"
#include "support.hpp"

using namespace netpol::graph;

// Rows follow k8s.io/apimachinery/pkg/util/validation (IsDNS1123Label, IsDNS1035Label,
// IsDNS1123Subdomain, IsValidLabelValue, IsQualifiedName) and its own test tables.
TEST_SUITE("graph: k8s_names") {
  TEST_CASE("RFC 1123 labels (namespaces)") {
    for (const char* ok : {"a", "ab", "a-b", "0", "01", "a0", "0a"})
      CHECK_MESSAGE(dns1123_label_problem(ok) == "", ok);
    CHECK(dns1123_label_problem(std::string(63, 'a')) == "");
    CHECK(dns1123_label_problem("") == "it is empty");
    CHECK(dns1123_label_problem(std::string(64, 'a')) == "it is longer than 63 characters");
    CHECK(dns1123_label_problem("A") == "it may hold only lower-case letters, digits and '-'");
    CHECK(dns1123_label_problem("a.b") == "it may hold only lower-case letters, digits and '-'");
    CHECK(dns1123_label_problem("a_b") == "it may hold only lower-case letters, digits and '-'");
    CHECK(dns1123_label_problem("-a") == "it must start and end with a letter or digit");
    CHECK(dns1123_label_problem("a-") == "it must start and end with a letter or digit");
  }

  TEST_CASE("RFC 1035 labels (Service names) start with a letter") {
    CHECK(dns1035_label_problem("meta") == "");
    CHECK(dns1035_label_problem("a-1") == "");
    CHECK(dns1035_label_problem("1a") == "it must start with a lower-case letter");
    CHECK(dns1035_label_problem("123") == "it must start with a lower-case letter");
    CHECK(dns1035_label_problem("") == "it is empty");
  }

  TEST_CASE("RFC 1123 subdomains (object names, label-key prefixes)") {
    for (const char* ok : {"a", "a.b", "a-1.b-2", "0.1", "example.com"})
      CHECK_MESSAGE(dns1123_subdomain_problem(ok) == "", ok);
    CHECK(dns1123_subdomain_problem("a..b") == "it has an empty part between dots");
    CHECK(dns1123_subdomain_problem(".a") == "it has an empty part between dots");
    CHECK(dns1123_subdomain_problem("a.") == "it has an empty part between dots");
    CHECK(dns1123_subdomain_problem("a.-b") ==
          "each part between dots must start and end with a letter or digit");
    CHECK(dns1123_subdomain_problem("A.b") ==
          "it may hold only lower-case letters, digits, '-' and '.'");
    CHECK(dns1123_subdomain_problem(std::string(254, 'a')) == "it is longer than 253 characters");
  }

  TEST_CASE("label values") {
    for (const char* ok : {"", "a", "A", "a.b_c-d", "1", "x.y-z_w", "ABC123"})
      CHECK_MESSAGE(label_value_problem(ok) == "", ok);
    for (const char* bad : {"a b", "a\"b", "x<y>", "a|b", "a\nb", "a/b", "a,b", "::error::x"})
      CHECK_MESSAGE(
          label_value_problem(bad) == "it may hold only letters, digits, '-', '_' and '.'", bad);
    CHECK(label_value_problem("-a") == "it must start and end with a letter or digit");
    CHECK(label_value_problem("a.") == "it must start and end with a letter or digit");
    CHECK(label_value_problem(std::string(64, 'a')) == "it is longer than 63 characters");
  }

  TEST_CASE("label keys: [prefix/]name") {
    for (const char* ok : {"app", "App_1.x-y", "example.com/team", "kubernetes.io/metadata.name"})
      CHECK_MESSAGE(label_key_problem(ok) == "", ok);
    CHECK(label_key_problem("") == "its name part is empty");
    CHECK(label_key_problem("example.com/") == "its name part is empty");
    CHECK(label_key_problem("a/b/c") == "it may hold at most one '/'");
    CHECK(label_key_problem("Example.com/x") ==
          "its prefix \"Example.com\" is not a DNS subdomain: it may hold only lower-case "
          "letters, digits, '-' and '.'");
    CHECK(label_key_problem("/x") == "its prefix \"\" is not a DNS subdomain: it is empty");
    CHECK(label_key_problem("env]") == "it may hold only letters, digits, '-', '_' and '.'");
  }
}
