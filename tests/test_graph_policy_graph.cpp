// graph/model/policy_graph: nodes by id, edges that unite what opens them, display order, the edge
// budget, and copies that do not share storage.
#include "graph/model/policy_graph.hpp"

#include "error.hpp"
#include "support.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

Provenance key(const std::string& path, int line) {
  return {path, Location{"v.yaml", line, 1}};
}

}  // namespace

TEST_SUITE("graph: policy_graph") {
  TEST_CASE("a node id names one vertex, edges unite ports and keys, each key once") {
    PolicyGraph g;
    auto a = g.add_node(Node::make("a", NodeKind::Service, "a"));
    auto b = g.add_node(Node::make("b", NodeKind::Service, "b"));
    CHECK(g.add_node(Node::make("a", NodeKind::Service, "other label")) == a);
    CHECK(g.vertex_count() == 2);
    g.add_to_edge(a, b, test::tcp(80), {key("a.egressTo[0]", 3)}, {});
    g.add_to_edge(a, b, test::tcp(443), {key("a.egressTo[0]", 3)}, {key("b.ingressFrom[0]", 9)});
    g.add_to_edge(b, a, PortSet(), {key("b.egressTo[0]", 12)}, {});  // no port: no edge
    CHECK(g.edge_count() == 1);
    CHECK_FALSE(g.has_edge(b, a));
    const Edge& e = g.edge({a, b});
    CHECK(e.ports == test::tcp(80).unite(test::tcp(443)));
    CHECK(e.egress.size() == 1);
    CHECK(e.ingress.size() == 1);
    CHECK(g.in_degree(b) == 1);
    CHECK(g.find("b") == b);
    CHECK_FALSE(g.find("c"));
  }

  TEST_CASE("finish puts nodes in display order: kind, then chart and profile order") {
    PolicyGraph g;
    auto dns = g.add_node(Node::make("dns", NodeKind::Dns, "DNS"));
    auto s3 = g.add_node(Node::make("ext:S3", NodeKind::External, "S3"));
    auto ui = g.add_node(Node::make("ui", NodeKind::Service, "ui"));
    auto meta = g.add_node(Node::make("meta", NodeKind::Service, "meta"));
    auto any = g.add_node(Node::make("any-source", NodeKind::AnySource, "any source"));
    g.add_to_edge(ui, dns, PortSet::dns(), {}, {});
    g.add_to_edge(meta, s3, test::tcp(443), {}, {});
    g.add_to_edge(any, ui, test::tcp(8080), {}, {});
    g.finish({"meta", "ui"}, {"S3"});
    std::vector<std::string> ids;
    for (auto v : g.nodes()) ids.push_back(g.node(v).id);
    CHECK(ids == std::vector<std::string>{"any-source", "meta", "ui", "ext:S3", "dns"});
    std::vector<std::string> edges;
    for (auto e : g.edges()) edges.push_back(g.node(e.from).id + ">" + g.node(e.to).id);
    CHECK(edges == std::vector<std::string>{"any-source>ui", "meta>ext:S3", "ui>dns"});
    CHECK(g.rank(meta) < g.rank(ui));
    CHECK(g.targets_of(any) == std::vector<PolicyGraph::Vertex>{ui});
    CHECK(g.sources_of(ui) == std::vector<PolicyGraph::Vertex>{any});
  }

  TEST_CASE("past max_edges, adding an edge is an error that says why") {
    PolicyGraph g;
    g.max_edges = 2;
    std::vector<PolicyGraph::Vertex> v;
    for (int i = 0; i < 3; ++i)
      v.push_back(g.add_node(Node::make("s" + std::to_string(i), NodeKind::Service, "")));
    g.add_to_edge(v[0], v[1], PortSet::all(), {}, {});
    g.add_to_edge(v[1], v[2], PortSet::all(), {}, {});
    g.add_to_edge(v[0], v[1], PortSet::all(), {}, {});  // an existing edge: no new one
    CHECK_THROWS_WITH_AS(g.add_to_edge(v[2], v[0], PortSet::all(), {}, {}),
                         doctest::Contains("the effective graph would have more than 2 edges"),
                         Error);
  }

  TEST_CASE("a copy has its own storage, a move takes it") {
    PolicyGraph g;
    auto a = g.add_node(Node::make("a", NodeKind::Service, "a"));
    auto b = g.add_node(Node::make("b", NodeKind::Service, "b"));
    g.add_to_edge(a, b, test::tcp(80), {}, {});
    PolicyGraph copy = g;
    copy.add_to_edge(a, b, test::tcp(81), {}, {});
    copy.mutable_node(a).label = "changed";
    CHECK(g.edge({a, b}).ports == test::tcp(80));
    CHECK(g.node(a).label == "a");
    CHECK(copy.edge({a, b}).ports == test::tcp(80, 81));
    PolicyGraph moved = std::move(copy);
    CHECK(moved.node(a).label == "changed");
    g = moved;
    CHECK(g.node(a).label == "changed");
    CHECK(g.find("b") == b);
  }

  TEST_CASE("built from the chart: every edge's ends are nodes, every node has an id") {
    Analysis a = test::analyze_values(test::kEnabled);
    const PolicyGraph& g = a.graph;
    CHECK(g.nodes().size() == g.vertex_count());
    CHECK(g.edges().size() == g.edge_count());
    for (auto v : g.nodes()) CHECK(g.find(g.node(v).id) == v);
    for (auto e : g.edges()) CHECK(g.hop_ports(e.from, e.to) == &g.edge(e).ports);
  }
}
