#include "exporters/diagram.hpp"
#include "support.hpp"

using namespace netpol;
using exporters::DiagramEdge;
using exporters::Look;

namespace {

const exporters::DiagramNode& node(const exporters::Diagram& d, const std::string& id) {
  for (const auto& n : d.nodes)
    if (n.id == id) return n;
  FAIL("no node " << id);
  throw;
}

std::vector<std::string> edges_to(const exporters::Diagram& d, const std::string& to) {
  std::vector<std::string> out;
  for (const auto& e : d.edges)
    if (e.to == to && !e.invisible)
      out.push_back((e.from.empty() ? "(namespace)" : e.from) + ": " + e.label);
  return out;
}

}  // namespace

TEST_SUITE("exporters: diagram") {
  TEST_CASE("destinations every service reaches alike get one edge from the namespace") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::Diagram d = exporters::make_diagram(a, {});
    CHECK(edges_to(d, "dns") ==
          std::vector<std::string>{"(namespace): every service: TCP 53; UDP 53"});
    CHECK(edges_to(d, "ext:S3") == std::vector<std::string>{"(namespace): every service: TCP 443"});
    CHECK(edges_to(d, "meta").size() == 5);
    exporters::DiagramOptions every;
    every.every_edge = true;
    CHECK(edges_to(exporters::make_diagram(a, every), "dns").size() == 6);
  }

  TEST_CASE("no grouping when one service differs") {
    graph::Analysis a = test::analyze_values(
        test::kEnabled + "meta:\n  networkPolicy:\n    allowExternalEgress: false\n");
    exporters::Diagram d = exporters::make_diagram(a, {});
    CHECK(edges_to(d, "ext:S3").size() == 5);
    CHECK(edges_to(d, "dns").size() == 1);  // DNS is still alike for all
  }

  TEST_CASE("looks, places and warnings") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::Diagram d = exporters::make_diagram(a, {});
    CHECK(node(d, "ui").look == Look::ExposedService);
    CHECK(node(d, "meta").look == Look::Service);
    CHECK(node(d, "any-source").look == Look::AnySource);
    CHECK(node(d, "any-source").place == exporters::Place::Source);
    CHECK(node(d, "ext:S3").look == Look::OpenWorld);
    CHECK(node(d, "ext:S3").place == exporters::Place::Destination);
    CHECK(node(d, "ext:S3").lines ==
          std::vector<std::string>{"S3", "0.0.0.0/0 (any address)", "TCP 443"});
    for (const DiagramEdge& e : d.edges) {
      bool expected = e.from == "any-source" || e.to == "ext:S3" || e.to == "ext:PostgreSQL";
      CHECK_MESSAGE(e.warning == expected, e.from << " -> " << e.to);
    }
    CHECK(std::find(d.legend.begin(), d.legend.end(), Look::Otlp) == d.legend.end());
    CHECK(d.title == "Traffic the network policies allow");
  }

  TEST_CASE("narrowed externals are not warnings") {
    graph::Analysis a = test::analyze_values(
        test::kEnabled + "    externalEgress:\n      - cidr: 10.0.0.0/16\n        ports: [443]\n");
    exporters::Diagram d = exporters::make_diagram(a, {});
    CHECK(node(d, "ext:S3").look == Look::External);
    CHECK(node(d, "ext:S3").lines == std::vector<std::string>{"S3", "10.0.0.0/16", "TCP 443"});
  }

  TEST_CASE("disabled policies say so, with one edge in and one out of the namespace") {
    exporters::Diagram d = exporters::make_diagram(test::analyze_values(""), {});
    CHECK(d.disabled);
    CHECK(d.title == "NETWORK POLICIES DISABLED: all traffic is allowed");
    CHECK(d.namespace_label == "namespace default: every pod may reach every pod on every port");
    std::size_t visible = 0;
    for (const DiagramEdge& e : d.edges) visible += !e.invisible;
    CHECK(visible == 2);
    CHECK(node(d, "ext:*").look == Look::OpenWorld);
  }

  TEST_CASE("a peer naming no service looks like a likely typo") {
    graph::Analysis a = test::analyze_values(
        test::kEnabled + "ui:\n  networkPolicy:\n    egressTo:\n      - app: quey\n");
    exporters::Diagram d = exporters::make_diagram(a, {});
    CHECK(node(d, "sel:pods(app=quey)").look == Look::UnknownPeer);
    CHECK(node(d, "sel:pods(app=quey)").lines ==
          std::vector<std::string>{"pods with app=quey", "(not a chart service)"});
  }
}
