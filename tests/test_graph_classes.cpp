#include <doctest/doctest.h>

#include <limits>
#include <random>

#include "graph/classes.hpp"
#include "graph/match.hpp"
#include "support.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

// Random charts small enough to check every pair, with what makes services alike or not:
// two namespaces, labels of three keys, selectors with every operator, named ports.
class RandomChart {
 public:
  explicit RandomChart(unsigned seed) : rng_(seed) {}

  Chart make() {
    Chart c;
    c.enabled = true;
    c.ns = "a";
    c.from_manifests = pick(2) == 0;
    std::size_t n = 2 + pick(9);
    // Services draw their rules from a small pool, so that many are alike but for provenance.
    // Half the charts are made of look-alikes: fewer rules to draw from, fewer labels.
    bool alike = pick(2) == 0;
    pool_.clear();
    for (int i = 0; i < (alike ? 2 : 5); ++i) pool_.push_back(rule());
    for (std::size_t i = 0; i < n; ++i) {
      Service s;
      s.name = "s" + std::to_string(i);
      s.ns = pick(3) ? "a" : "b";
      s.ns_labels = {{"kubernetes.io/metadata.name", s.ns}};
      if (s.ns == "b") s.ns_labels["env"] = "prod";
      s.labels["app"] = pick(3) || alike ? "x" + std::to_string(pick(2)) : s.name;
      if (pick(2) && !alike) s.labels["tier"] = pick(2) ? "web" : "db";
      if (pick(4) == 0) s.labels["canary"] = "yes";
      if (pick(2)) s.ports.push_back({"http", Protocol::TCP, 8000 + static_cast<int>(pick(2))});
      for (std::size_t r = pick(3); r > 0; --r) s.ingress.push_back(drawn(s.name, "ingress", r));
      for (std::size_t r = pick(3); r > 0; --r) s.egress.push_back(drawn(s.name, "egress", r));
      c.services.push_back(std::move(s));
    }
    return c;
  }

 private:
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  LabelSelector selector() {
    static const char* keys[] = {"app", "tier", "canary"};
    static const char* values[] = {"x0", "x1", "web", "db", "s1"};
    LabelSelector sel;
    for (std::size_t k = pick(3); k > 0; --k) {
      Requirement q;
      q.key = keys[pick(3)];
      q.op = static_cast<Requirement::Op>(pick(4));
      if (q.op == Requirement::Op::In || q.op == Requirement::Op::NotIn) {
        q.values = {values[pick(5)]};
        if (pick(2)) q.values.push_back(values[pick(5)]);
        std::sort(q.values.begin(), q.values.end());
        q.values.erase(std::unique(q.values.begin(), q.values.end()), q.values.end());
      }
      sel.add(q);
    }
    return sel;
  }

  // A rule of the pool, with provenance of its own: each service's rules have their own.
  Rule drawn(const std::string& owner, const std::string& side, std::size_t i) {
    Rule r = pool_[pick(pool_.size())];
    r.provenance.push_back({owner + "." + side + "[" + std::to_string(i) + "]", {"v.yaml", 1, 1}});
    return r;
  }

  Rule rule() {
    Rule r;
    r.any_peer = pick(4) == 0;
    for (std::size_t p = r.any_peer ? 0 : 1 + pick(2); p > 0; --p) {
      Peer peer;
      switch (pick(4)) {
        case 0:
          peer.pods = selector();
          break;
        case 1:
          peer.namespaces = selector();
          break;
        case 2:
          peer.pods = selector();
          peer.namespaces.emplace();
          peer.namespaces->add_equals("env", "prod");
          break;
        default:
          peer.ip_block = IpBlock{Cidr::parse("10.0.0.0/8"), {}};
      }
      r.peers.push_back(std::move(peer));
    }
    switch (pick(4)) {
      case 0:
        r.ports = PortSet::all();
        break;
      case 1:
        r.ports.add_name(Protocol::TCP, "http");
        break;
      case 2:
        r.ports.add_range(Protocol::TCP, 8000, 8000);
        break;
      default:
        r.ports.add_range(Protocol::UDP, 53, 53);
    }
    return r;
  }

  std::mt19937 rng_;
  std::vector<Rule> pool_;
};

// Values alone, without the chart defaults (as --defaults /dev/null).
Analysis bare(const std::string& yaml) {
  values::Layers layers;
  layers.defaults = {"<defaults>", ""};
  layers.files.push_back({"values.yaml", yaml});
  return analyze(values::load_values(layers), test::embedded_profile(), "default", {"values.yaml"});
}

}  // namespace

TEST_SUITE("graph: classes") {
  TEST_CASE("access by class equals the pairwise definition for every pair, provenance too") {
    std::size_t services = 0, classes = 0, pairs = 0;
    for (unsigned seed = 1; seed <= 400; ++seed) {
      Chart c = RandomChart(seed).make();
      ServiceClasses cls = classify(c);
      REQUIRE(cls.class_of.size() == c.services.size());
      auto access = class_access(c, cls);
      std::map<std::pair<std::size_t, std::size_t>, const ClassAccess*> by_pair;
      for (const ClassAccess& a : access) by_pair[{a.from, a.to}] = &a;
      std::size_t allowed = 0;
      for (std::size_t s = 0; s < c.services.size(); ++s)
        for (std::size_t d = 0; d < c.services.size(); ++d) {
          if (s == d) continue;
          const Service &src = c.services[s], &dst = c.services[d];
          SidePorts eg = egress_towards(c, src, dst), in = ingress_from(c, dst, src);
          PortSet want = eg.ports.intersect(in.ports);
          auto it = by_pair.find({cls.class_of[s], cls.class_of[d]});
          INFO("seed " << seed << ": " << src.name << " -> " << dst.name);
          if (want.empty()) {
            CHECK((it == by_pair.end() || it->second->ports.empty()));
            continue;
          }
          ++allowed;
          REQUIRE(it != by_pair.end());
          const ClassAccess& a = *it->second;
          CHECK(a.ports == want);
          CHECK(member_provenance(src.egress, a.egress_rules, a.ports, dst) ==
                provenance_for(eg, want, dst));
          CHECK(member_provenance(dst.ingress, a.ingress_rules, a.ports, dst) ==
                provenance_for(in, want, dst));
        }
      CHECK(pair_count(access, cls) == allowed);
      services += c.services.size();
      classes += cls.members.size();
      pairs += allowed;
    }
    // The cases exercise both: services that share a class, and pairs with access.
    CHECK(classes < services);
    CHECK(pairs > 0);
  }

  // Three services open to any source on every port, and nothing else (gamma last, so a test
  // can add to its networkPolicy).
  const std::string kOpenThree =
      "global:\n  networkPolicy:\n    enabled: true\n    externalEgress: []\n"
      "alpha:\n  networkPolicy:\n    allowExternal: true\n"
      "beta:\n  networkPolicy:\n    allowExternal: true\n"
      "gamma:\n  networkPolicy:\n    allowExternal: true\n";

  TEST_CASE("services open to everything and policies alike form one class") {
    Analysis a = bare(kOpenThree);
    ServiceClasses cls = classify(a.chart);
    REQUIRE(cls.members.size() == 1);
    CHECK(cls.members[0].size() == 3);
    auto access = class_access(a.chart, cls);
    REQUIRE(access.size() == 1);
    CHECK(access[0].ports.label() == "TCP 53; UDP 53");
    CHECK(pair_count(access, cls) == 6);
  }

  TEST_CASE("a peer that names one service sets it apart") {
    Analysis a = bare(kOpenThree +
                      "    additionalEgress:\n"
                      "      - to: [{podSelector: {matchLabels: {app: beta}}}]\n");
    ServiceClasses cls = classify(a.chart);
    CHECK(cls.members.size() == 3);
  }
}

TEST_SUITE("graph: class nodes") {
  // The same chart analysed with every pair as an edge and with classes as nodes.
  struct Both {
    Analysis pairs, classes;
  };
  Both both(const Chart& c) {
    Profile none;
    return {analyze(c, none, {"v.yaml"}, std::numeric_limits<std::size_t>::max()),
            analyze(c, none, {"v.yaml"}, 0)};
  }

  std::vector<std::string> ids(const PolicyGraph& g, const std::vector<Route>& routes) {
    std::vector<std::string> out;
    for (const Route& r : routes) {
      out.push_back(g.node(r.to).id + "@" + std::to_string(r.hops()));
      // Every path is made of hops that exist.
      for (std::size_t i = 0; i + 1 < r.path.size(); ++i)
        CHECK(g.hop_edge(r.path[i], r.path[i + 1]).has_value());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<ReachOptions> options() {
    std::vector<ReachOptions> out(1);
    out.push_back({PortQuery{Protocol::TCP, 8000}, 0});
    out.push_back({PortQuery{Protocol::UDP, 53}, 0});
    out.push_back({std::nullopt, 1});
    return out;
  }

  std::map<std::string, std::string> matrix(const PolicyGraph& g, const ReachOptions& o) {
    std::vector<PolicyGraph::Vertex> starts;
    for (auto v : g.nodes())
      if (!is_class(g.node(v).kind)) starts.push_back(v);
    std::map<std::string, std::string> out;
    reach_all(g, starts, o, [&](std::size_t i, PolicyGraph::Vertex v, int hops) {
      if (!is_class(g.node(v).kind))
        out[g.node(starts[i]).id + "->" + g.node(v).id] = std::to_string(hops);
    });
    return out;
  }

  TEST_CASE("class nodes answer every hop and reach question as the pairs do") {
    std::size_t with_classes = 0;
    for (unsigned seed = 1; seed <= 500; ++seed) {
      Chart c = RandomChart(seed).make();
      Both b = both(c);
      const PolicyGraph &p = b.pairs.graph, &k = b.classes.graph;
      CHECK(!p.has_classes());
      with_classes += k.has_classes();
      INFO("seed " << seed);
      std::vector<std::string> names;
      for (auto v : p.nodes()) names.push_back(p.node(v).id);
      for (const auto& from : names)
        for (const auto& to : names) {
          auto pe = p.hop_edge(*p.find(from), *p.find(to));
          auto ke = k.hop_edge(*k.find(from), *k.find(to));
          INFO(from << " -> " << to);
          REQUIRE(pe.has_value() == ke.has_value());
          if (!pe) continue;
          CHECK(pe->ports == ke->ports);
          CHECK(pe->egress == ke->egress);
          CHECK(pe->ingress == ke->ingress);
        }
      for (const ReachOptions& o : options()) {
        for (const auto& id : names) {
          INFO(id << (o.port ? " " + o.port->str() : "") << " max " << o.max_hops);
          CHECK(ids(p, reach_from(p, *p.find(id), o)) == ids(k, reach_from(k, *k.find(id), o)));
          std::vector<std::string> pt, kt;
          for (const Route& r : reach_to(p, *p.find(id), o))
            pt.push_back(p.node(r.path.front()).id + "@" + std::to_string(r.hops()));
          for (const Route& r : reach_to(k, *k.find(id), o))
            kt.push_back(k.node(r.path.front()).id + "@" + std::to_string(r.hops()));
          std::sort(pt.begin(), pt.end());
          std::sort(kt.begin(), kt.end());
          CHECK(pt == kt);
        }
        CHECK(matrix(p, o) == matrix(k, o));
      }
    }
    CHECK(with_classes > 15);  // the cases exercise class nodes
  }

  TEST_CASE("a dense chart's table says (every service) where the pairs list every other") {
    std::string values = "global:\n  networkPolicy:\n    enabled: true\n    externalEgress: []\n";
    for (const char* s : {"alpha", "beta", "gamma"})
      values += std::string(s) + ":\n  networkPolicy:\n    allowExternal: true\n";
    values::Layers layers;
    layers.defaults = {"<defaults>", ""};
    layers.files.push_back({"values.yaml", values});
    Analysis a = analyze(values::load_values(layers), test::embedded_profile(), "default",
                         {"values.yaml"}, nullptr, 0);
    REQUIRE(a.graph.has_classes());
    for (const MapRow& row : a.effective().rows) {
      CHECK(row.ingress_from == std::vector<std::string>{"(every service)"});
      CHECK(row.egress_to == std::vector<std::string>{"(every service)"});
    }
    // Nothing but the class edge stands for the six pairs: 3 + 3 member edges, 1 class edge.
    std::size_t service_edges = 0;
    for (const auto& e : a.graph.edges())
      service_edges += a.graph.node(e.from).kind != NodeKind::AnySource &&
                       a.graph.node(e.to).kind != NodeKind::Dns;
    CHECK(service_edges == 7);
  }
}
