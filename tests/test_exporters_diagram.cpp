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

// The enabled defaults plus `n` workers that all send to ingest on 4318, which admits them;
// every `exposed`-th one is open to any source.
std::string workers(int n, int exposed) {
  std::string y = test::kEnabled + "ingest:\n  networkPolicy:\n    ingressFrom:\n";
  for (int i = 0; i < n; ++i)
    y += "      - app: w" + std::to_string(i) + "\n        ports: [4318]\n";
  for (int i = 0; i < n; ++i)
    y += "w" + std::to_string(i) + ":\n  service:\n    port: 9000\n  networkPolicy:\n" +
         "    allowExternal: " + (i % exposed == 0 ? "true" : "false") +
         "\n    egressTo:\n      - app: ingest\n        ports: [4318]\n";
  return y;
}

std::size_t count_from(const exporters::Diagram& d, const std::string& from) {
  return static_cast<std::size_t>(std::count_if(
      d.edges.begin(), d.edges.end(), [&](const DiagramEdge& e) { return e.from == from; }));
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

  TEST_CASE("large pictures: services with the same edges become one node listing them") {
    graph::Analysis a = test::analyze_values(workers(12, 4));
    exporters::DiagramOptions o;
    exporters::Diagram full = exporters::make_diagram(a, o);  // 22 nodes, under the default
    CHECK(full.notes.empty());
    CHECK(full.layout == exporters::Layout::Dot);
    CHECK(full.nodes.size() == 22);
    o.max_nodes = 20;
    exporters::Diagram d = exporters::make_diagram(a, o);
    // w0, w4, w8 are exposed; the nine others are alike. Chart services differ from each other.
    const auto& exposed = node(d, "netpol-graph:group:w0");
    CHECK(exposed.members == std::vector<std::string>{"w0", "w4", "w8"});
    CHECK(exposed.look == Look::ExposedService);
    CHECK(exposed.lines == std::vector<std::string>{"3 services, same edges", "w0, w4, w8"});
    const auto& plain = node(d, "netpol-graph:group:w1");
    CHECK(plain.members.size() == 9);  // in display order
    CHECK(plain.lines == std::vector<std::string>{"9 services, same edges",
                                                  "w1, w10, w11, w2, w3, w5, w6, w7, w9"});
    CHECK(d.nodes.size() == 22 - 12 + 2);
    // One edge per group and neighbour, with the members' ports.
    CHECK(edges_to(d, "ingest") == std::vector<std::string>{"any-source: TCP 4317, 4318",
                                                            "netpol-graph:group:w0: TCP 4318",
                                                            "netpol-graph:group:w1: TCP 4318"});
    CHECK(edges_to(d, "netpol-graph:group:w0") == std::vector<std::string>{"any-source: TCP 9000"});
    CHECK(count_from(d, "netpol-graph:group:w1") == 1);
    for (const auto& e : d.edges) CHECK(e.from.rfind("w", 0) != 0);  // no member is drawn
    CHECK(d.layout == exporters::Layout::Dot);                       // 12 nodes now: dot is fine
    CHECK(d.notes ==
          std::vector<std::string>{
              "22 nodes (more than --max-nodes 20)",
              "12 services with the same edges drawn as 2 nodes (--no-group draws each)"});

    o.group = false;  // --no-group: every service, and a faster layout since it stays large
    exporters::Diagram ungrouped = exporters::make_diagram(a, o);
    CHECK(ungrouped.nodes.size() == 22);
    CHECK(ungrouped.layout == exporters::Layout::Sfdp);
    CHECK(ungrouped.notes.back().find("laid out with sfdp") == 0);
    o.layout = exporters::Layout::Dot;  // --layout dot: the full picture, ranked, as asked
    CHECK(exporters::make_diagram(a, o).layout == exporters::Layout::Dot);
  }

  TEST_CASE("large pictures: too many even after grouping, sfdp lays them out") {
    graph::Analysis a = test::analyze_values(test::kEnabled);  // every service differs
    exporters::DiagramOptions o;
    o.max_nodes = 5;
    exporters::Diagram d = exporters::make_diagram(a, o);
    for (const auto& n : d.nodes) CHECK(n.members.empty());
    CHECK(d.layout == exporters::Layout::Sfdp);
    CHECK(d.notes == std::vector<std::string>{"10 nodes (more than --max-nodes 5)",
                                              "laid out with sfdp, ports in each edge's tooltip "
                                              "(--layout dot: ranks, ports on the edges, slow)"});
    o.max_nodes = 10;
    CHECK(exporters::make_diagram(a, o).layout == exporters::Layout::Dot);
  }

  TEST_CASE("large pictures: with policies disabled every service is alike") {
    graph::Analysis a = test::analyze_values("");
    exporters::DiagramOptions o;
    o.max_nodes = 3;
    exporters::Diagram d = exporters::make_diagram(a, o);
    CHECK(d.nodes.size() == 3);  // any-source, one group of the six services, ext:*
    CHECK(node(d, "netpol-graph:group:meta").members.size() == 6);
    CHECK(d.disabled);
  }
}

TEST_SUITE("exporters: diagram of classes") {
  TEST_CASE("a class is one node: its own pairs a loop with the ports, members' links unlabelled") {
    values::Layers layers;
    layers.defaults = {"<defaults>", ""};
    std::string y = "global:\n  networkPolicy:\n    enabled: true\n    externalEgress: []\n";
    for (const char* s : {"alpha", "beta", "gamma"})
      y += std::string(s) + ":\n  networkPolicy:\n    allowExternal: true\n";
    layers.files.push_back({"values.yaml", y});
    graph::Analysis a = graph::analyze(values::load_values(layers), test::embedded_profile(),
                                       "default", {"values.yaml"}, nullptr, 0);
    exporters::Diagram d = exporters::make_diagram(a, {});
    const std::string cls = "class-senders:alpha";
    CHECK(node(d, cls).look == Look::ServiceClass);
    CHECK(std::none_of(d.nodes.begin(), d.nodes.end(),
                       [](const auto& n) { return n.id == "class-receivers:alpha"; }));
    // In: alpha, beta, gamma unlabelled, and the class's own loop with the DNS ports.
    CHECK(edges_to(d, cls) ==
          std::vector<std::string>{"alpha: ", "beta: ", "gamma: ", cls + ": TCP 53; UDP 53"});
    CHECK(edges_to(d, "beta") == std::vector<std::string>{"any-source: all ports", cls + ": "});
  }
}

TEST_SUITE("exporters: diagram, focused and with paths") {
  TEST_CASE("--focus keeps the focused nodes, their neighbours and their edges") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::Diagram full = exporters::make_diagram(a, {});
    exporters::DiagramOptions o;
    o.focus = {"meta"};
    exporters::Diagram d = exporters::make_diagram(a, o);
    std::vector<std::string> ids;
    for (const auto& n : d.nodes) ids.push_back(n.id);
    std::sort(ids.begin(), ids.end());
    // meta's senders, and the destinations every service (so meta) reaches.
    CHECK(ids == std::vector<std::string>{"dns", "ext:PostgreSQL", "ext:S3", "ingest", "janitor",
                                          "meta", "nursery", "query", "ui"});
    // Exactly the edges at meta (or from the namespace, which meta is in): ui -> query is
    // between two neighbours, so left out.
    std::size_t at_meta = 0;
    for (const auto& e : full.edges)
      at_meta += e.from == "meta" || e.to == "meta" || e.from.empty();
    CHECK(d.edges.size() == at_meta);
    for (const auto& e : d.edges) CHECK((e.from == "meta" || e.to == "meta" || e.from.empty()));
    CHECK(d.notes.front() ==
          "focused on meta (1 hop): 9 of " + std::to_string(full.nodes.size()) + " nodes");
    // Two hops: ui's and query's senders too, and ui -> query.
    o.hops = 2;
    exporters::Diagram two = exporters::make_diagram(a, o);
    CHECK(std::any_of(two.nodes.begin(), two.nodes.end(),
                      [](const auto& n) { return n.id == "any-source"; }));
    CHECK(std::any_of(two.edges.begin(), two.edges.end(),
                      [](const auto& e) { return e.from == "ui" && e.to == "query"; }));
    // A destination: the namespace's services are its neighbours through the namespace edge.
    o.focus = {"dns"};
    o.hops = 1;
    exporters::Diagram dns = exporters::make_diagram(a, o);
    CHECK(dns.edges.size() == 1);
    CHECK(dns.nodes.size() == 7);  // dns and the six services
  }

  TEST_CASE("--focus on a node the picture does not have says which it has") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::DiagramOptions o;
    o.focus = {"mta"};
    CHECK_THROWS_WITH_AS(exporters::make_diagram(a, o),
                         "--focus: no node \"mta\" in the picture (did you mean \"meta\"?); node "
                         "ids are those of `graph --format json`",
                         Error);
  }

  TEST_CASE("a reach answer's paths are marked, everything else faded") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::DiagramOptions o;
    o.paths = {{"ui", "query"}, {"ui", "meta"}, {"ui", "dns"}};
    o.caption = "what ui reaches";
    o.max_nodes = 2;  // services stay one node each when paths are drawn
    exporters::Diagram d = exporters::make_diagram(a, o);
    std::vector<std::string> on_path, kept;
    for (const auto& e : d.edges) {
      if (e.invisible) continue;
      CHECK(e.on_path != e.faded);
      if (e.on_path) on_path.push_back((e.from.empty() ? "(namespace)" : e.from) + "->" + e.to);
    }
    std::sort(on_path.begin(), on_path.end());
    // ui -> dns is the namespace's edge to DNS.
    CHECK(on_path == std::vector<std::string>{"(namespace)->dns", "ui->meta", "ui->query"});
    for (const auto& n : d.nodes)
      if (!n.faded) kept.push_back(n.id);
    std::sort(kept.begin(), kept.end());
    CHECK(kept == std::vector<std::string>{"dns", "meta", "query", "ui"});
    CHECK(std::find(d.notes.begin(), d.notes.end(), "what ui reaches") != d.notes.end());
    for (const auto& n : d.nodes) CHECK(n.members.empty());
  }
}
