#include <doctest/doctest.h>

#include <limits>
#include <random>

#include "graph/analysis/diff.hpp"
#include "graph/model/classes.hpp"
#include "graph/model/group_access.hpp"
#include "graph/model/policy_graph.hpp"
#include "graph/rules/match.hpp"
#include "random_chart.hpp"
#include "support.hpp"

using namespace netpol;
using namespace netpol::graph;
using netpol::test::RandomChart;

namespace {

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

TEST_SUITE("graph: diff by class") {
  // A second chart for `c`: one of its services changed, rules swapped, a service gone or
  // added, or a chart of its own.
  Chart changed(const Chart& c, unsigned seed) {
    std::mt19937 rng(seed);
    auto pick = [&](std::size_t n) {
      return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
    };
    Chart other = RandomChart(seed + 100'000).make();
    Chart out = c;
    for (std::size_t k = 1 + pick(2); k > 0; --k) {
      Service& s = out.services[pick(out.services.size())];
      switch (pick(7)) {
        case 0:
          if (!s.ingress.empty()) s.ingress.pop_back();
          break;
        case 1:
          if (!s.egress.empty()) s.egress.erase(s.egress.begin());
          break;
        case 2:
          std::swap(s.ingress, out.services[pick(out.services.size())].ingress);
          break;
        case 3: {  // another chart's rules for this service (same name, new rules)
          const Service& o = other.services[pick(other.services.size())];
          s.ingress = o.ingress;
          s.egress = o.egress;
          s.labels = o.labels;
          break;
        }
        case 4:
          if (out.services.size() > 2) out.services.erase(out.services.begin() + pick(2));
          break;
        case 5:  // every service alike: classes stay, access changes for many pairs at once
          for (Service& t : out.services)
            if (!t.egress.empty()) t.egress.pop_back();
          break;
        default:
          return other;
      }
    }
    return out;
  }

  std::string str(const std::vector<Provenance>& ps) {
    std::string out;
    for (const auto& p : ps) out += p.path + "@" + p.where.str() + ",";
    return out;
  }
  std::string access(const EdgeDiff& e, const std::string& from, const std::string& to) {
    return std::string(change_name(e.change)) + " " + from + " -> " + to + " (" + e.was + ") " +
           e.old_ports.label() + " / " + e.new_ports.label() + " " + e.old_addresses + " / " +
           e.new_addresses + (e.addresses ? " " + std::string(change_name(*e.addresses)) : "");
  }
  std::string full(const EdgeDiff& e) {
    return access(e, e.from, e.to) + " | " + str(e.old_egress) + " | " + str(e.old_ingress) +
           " | " + str(e.new_egress) + " | " + str(e.new_ingress) + " | " + str(e.removed_by);
  }
  std::vector<std::string> all(const std::vector<EdgeDiff>& edges) {
    std::vector<std::string> out;
    for (const auto& e : edges) out.push_back(full(e));
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
  std::set<std::string> keys(const std::vector<Provenance>& ps) {
    std::set<std::string> out;
    for (const auto& p : ps) out.insert(p.path + "@" + p.where.str());
    return out;
  }

  TEST_CASE("diff on class nodes finds the same changes as pair by pair, keys too") {
    const std::size_t all_pairs = std::numeric_limits<std::size_t>::max();
    Profile none;
    std::size_t grouped = 0, with_changes = 0, with_classes = 0;
    for (unsigned seed = 1; seed <= 300; ++seed) {
      // Odd seeds: look-alikes only, for many class nodes.
      Chart before = RandomChart(seed, seed % 2).make(), after = changed(before, seed);
      Analysis pb = analyze(before, none, {"v.yaml"}, all_pairs);
      Analysis pa = analyze(after, none, {"v.yaml"}, all_pairs);
      Analysis cb = analyze(before, none, {"v.yaml"}, 0);
      Analysis ca = analyze(after, none, {"v.yaml"}, 0);
      INFO("seed " << seed);
      Diff pairs = diff_analyses(pb, pa, all_pairs);
      Diff classes = diff_analyses(cb, ca, all_pairs);  // class nodes, listed pair by pair
      Diff once = diff_analyses(cb, ca, 0);             // each change once for its pairs
      with_changes += !pairs.edges.empty();
      CHECK(joined(all(classes.edges)) == joined(all(pairs.edges)));
      CHECK(joined(all(classes.redundant)) == joined(all(pairs.redundant)));
      CHECK(classes.renames.size() == pairs.renames.size());
      CHECK(classes.exposure.size() == pairs.exposure.size());
      CHECK(classes.widens() == pairs.widens());
      CHECK(classes.empty() == pairs.empty());
      CHECK(once.widens() == pairs.widens());

      // Each change (and redundant edge) once: its pairs are exactly the pairs' list, and
      // it cites the keys of the pair that stands for the others, one of them.
      for (bool redundant : {false, true}) {
        const auto& listed = redundant ? pairs.redundant : pairs.edges;
        std::map<std::string, const EdgeDiff*> by_pair;
        for (const auto& e : listed) by_pair[access(e, e.from, e.to)] = &e;
        std::size_t covered = 0;
        for (const auto& e : redundant ? once.redundant : once.edges) {
          std::vector<std::string> from = {e.from}, to = {e.to};
          if (e.from_group) from = once.groups.at(*e.from_group);
          if (e.to_group) to = once.groups.at(*e.to_group);
          grouped += e.pairs > 1;
          std::size_t n = 0;
          for (const auto& s : from)
            for (const auto& t : to) {
              if (s == t) continue;
              ++n;
              REQUIRE_MESSAGE(by_pair.count(access(e, s, t)), access(e, s, t));
            }
          CHECK(n == e.pairs);
          covered += n;
          CHECK(std::find(from.begin(), from.end(), e.from) != from.end());
          CHECK(std::find(to.begin(), to.end(), e.to) != to.end());
          auto it = by_pair.find(access(e, e.from, e.to));
          REQUIRE(it != by_pair.end());
          CHECK(full(e) == full(*it->second));
        }
        CHECK(covered == listed.size());
      }
      with_classes += cb.graph.has_classes() && ca.graph.has_classes();
    }
    CHECK(with_changes > 100);
    // The cases exercise class nodes on both sides, and changes listed once for many pairs.
    CHECK(with_classes > 40);
    CHECK(grouped > 20);
  }

  TEST_CASE("services alike on both sides: one pair answers for every pair of their groups") {
    Profile none;
    std::size_t shared = 0;
    for (unsigned seed = 1; seed <= 120; ++seed) {
      Chart before = RandomChart(seed, seed % 2).make(), after = changed(before, seed);
      Analysis cb = analyze(before, none, {"v.yaml"}, 0), ca = analyze(after, none, {"v.yaml"}, 0);
      INFO("seed " << seed);
      ServiceGroups groups = service_groups({ca.chart, ca.access, ca.graph.has_classes()},
                                            {cb.chart, cb.access, cb.graph.has_classes()});
      // Held pair by pair on both sides (--max-pairs not passed), every service is a group of
      // its own as a source, and as a destination but those no service may send to.
      ServiceGroups pairwise =
          service_groups({ca.chart, ca.access, false}, {cb.chart, cb.access, false});
      for (const auto& members : pairwise.senders) CHECK(members.size() == 1);
      for (const auto& members : pairwise.receivers) {
        if (members.size() == 1) continue;
        for (const Analysis* side : {&cb, &ca})
          for (const auto& member : members)
            if (const Service* to = side->chart.service(member)) {
              const auto at = static_cast<std::size_t>(to - side->chart.services.data());
              for (std::size_t from = 0; from < side->chart.services.size(); ++from) {
                const std::string what = side->chart.services[from].name + " -> " + member;
                CHECK_MESSAGE(!side->access.ports(from, at), what);
              }
            }
      }
      // Every service in one group of each kind.
      for (const Service& s : before.services) {
        REQUIRE(groups.sender_of.count(s.name));
        REQUIRE(groups.receiver_of.count(s.name));
      }
      for (std::size_t a = 0; a < groups.senders.size(); ++a)
        for (std::size_t b = 0; b < groups.receivers.size(); ++b) {
          auto pair = groups.pair(a, b);
          std::size_t pairs = 0;
          for (const auto& s : groups.senders[a])
            for (const auto& d : groups.receivers[b]) {
              if (s == d) continue;
              ++pairs;
              REQUIRE(pair);
              // On each side, the pair's hop says what the group's does.
              for (const Analysis* side : {&cb, &ca}) {
                const PolicyGraph& pg = side->graph;
                auto ports = [&](const std::string& from, const std::string& to) {
                  auto u = pg.find(from), v = pg.find(to);
                  if (!u || !v) return std::string("(a service this side has not)");
                  const PortSet* hop = pg.hop_ports(*u, *v);
                  return hop ? hop->label() : std::string("(none)");
                };
                // (A group may hold services of one side only: then the pair is of that side.)
                if (!pg.find(s) || !pg.find(d)) continue;
                const std::string what =
                    s + " -> " + d + " as " + pair->first + " -> " + pair->second;
                CHECK_MESSAGE(ports(s, d) == ports(pair->first, pair->second), what);
              }
            }
          CHECK(pairs == groups.pair_count(a, b));
          shared += groups.senders[a].size() > 1 && pairs > 1;
        }
    }
    CHECK(shared > 20);  // groups of several services, not only lone ones
  }

  TEST_CASE("a class that no service may reach any more is one group of destinations") {
    // a1, a2, a3 alike, sending to each other and to d; then none of them accepts anything:
    // their receivers node is gone, and the six pairs are one change.
    Chart before;
    before.enabled = true;
    before.ns = "a";
    auto rule = [](std::vector<std::string> apps) {
      Rule r;
      Peer p;
      p.pods.emplace();
      Requirement q;
      q.key = "app";
      q.op = Requirement::Op::In;
      q.values = std::move(apps);
      p.pods->add(q);
      r.peers.push_back(std::move(p));
      r.ports = PortSet::all();
      return r;
    };
    for (const char* name : {"a1", "a2", "a3", "d"}) {
      Service s;
      s.name = name;
      s.ns = "a";
      s.ns_labels = {{"kubernetes.io/metadata.name", "a"}};
      bool a = s.name != "d";
      s.labels["app"] = a ? "a" : "d";
      if (a) {
        s.egress.push_back(rule({"a", "d"}));
        s.ingress.push_back(rule({"a"}));
      } else {
        s.ingress.push_back(rule({"a"}));
      }
      for (auto* rules : {&s.ingress, &s.egress})
        for (Rule& r : *rules) r.provenance.push_back({s.name + ".rule", {"v.yaml", 1, 1}});
      before.services.push_back(std::move(s));
    }
    Chart after = before;
    for (Service& s : after.services)
      if (s.name != "d") s.ingress.clear();
    Profile none;
    Analysis cb = analyze(before, none, {"v.yaml"}, 0), ca = analyze(after, none, {"v.yaml"}, 0);
    REQUIRE(cb.graph.has_classes());
    REQUIRE(ca.graph.has_classes());
    Diff d = diff_analyses(cb, ca, 100);
    std::vector<std::string> removed;
    for (const auto& e : d.edges) {
      CHECK(e.change == Change::Removed);
      removed.push_back(e.from + "->" + e.to);
    }
    std::sort(removed.begin(), removed.end());
    CHECK(joined(removed) == "a1->a2\na1->a3\na2->a1\na2->a3\na3->a1\na3->a2\n");
    Diff once = diff_analyses(cb, ca, 0);
    REQUIRE(once.edges.size() == 1);
    CHECK(once.edges[0].pairs == 6);
    REQUIRE(once.groups.size() == 1);
    CHECK(joined(once.groups[0]) == "a1\na2\na3\n");
    CHECK(once.edges[0].from_group == std::optional<std::size_t>(0));
    CHECK(once.edges[0].to_group == std::optional<std::size_t>(0));
  }
}
