// The access computed from the rules (graph/model/chart_access.hpp) and the two things made of
// it: the PolicyGraph, a view of it (graph/model/build.cpp), and the access by groups of
// services alike that diff compares (graph/model/group_access.hpp).
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "graph/model/chart_access.hpp"
#include "graph/model/group_access.hpp"
#include "graph/rules/match.hpp"
#include "random_chart.hpp"

using namespace netpol::graph;
using netpol::test::RandomChart;

namespace {

// The ports the rules allow from service `s` to service `d` (the pairwise definition).
PortSet rules_allow(const Chart& chart, std::size_t s, std::size_t d) {
  const Service &src = chart.services[s], &dst = chart.services[d];
  return egress_towards(chart, src, dst).ports.intersect(ingress_from(chart, dst, src).ports);
}

// What the grants say of one (source id, destination id): ports, and each block's ports.
struct GrantsOfEdge {
  PortSet ports;
  std::map<std::string, PortSet> blocks;
};

std::map<std::pair<std::string, std::string>, GrantsOfEdge> grants_by_edge(
    const Chart& chart, const ChartAccess& access) {
  std::map<std::pair<std::string, std::string>, GrantsOfEdge> out;
  for (const OutsideGrant& grant : access.outside) {
    if (grant.ports().empty()) continue;
    const std::string& service = chart.services[grant.service].name;
    auto key = grant.outward ? std::make_pair(service, grant.peer().id)
                             : std::make_pair(grant.peer().id, service);
    GrantsOfEdge& edge = out[key];
    edge.ports = edge.ports.unite(grant.ports());
    if (grant.block()) {
      PortSet& block = edge.blocks[grant.block()->str()];
      block = block.unite(grant.ports());
    }
  }
  return out;
}

}  // namespace

TEST_SUITE("graph: access from the rules") {
  TEST_CASE("a hop between two services of the graph is the access their rules allow") {
    std::size_t allowed = 0, viewed_as_classes = 0;
    for (unsigned seed = 1; seed <= 300; ++seed) {
      Chart chart = RandomChart(seed, seed % 3 == 0).make();
      ChartAccess access = chart_access(chart, Profile());
      // The view pair by pair, and with every class of several services as class nodes.
      for (std::size_t max_pairs : {PolicyGraph::kMaxPairs, std::size_t{0}}) {
        PolicyGraph graph =
            build_graph(chart, access, Profile(), PolicyGraph::kMaxEdges, max_pairs);
        viewed_as_classes += graph.has_classes();
        for (std::size_t s = 0; s < chart.services.size(); ++s)
          for (std::size_t d = 0; d < chart.services.size(); ++d) {
            if (s == d) continue;
            const std::string where = "seed " + std::to_string(seed) + ": " +
                                      chart.services[s].name + " -> " + chart.services[d].name;
            INFO(where);
            const PortSet want = rules_allow(chart, s, d);
            const PortSet* ports = access.ports(s, d);
            const PortSet* hop = graph.hop_ports(*graph.find(chart.services[s].name),
                                                 *graph.find(chart.services[d].name));
            CHECK(want.empty() == (ports == nullptr));
            CHECK(want.empty() == (hop == nullptr));
            if (want.empty() || !ports || !hop) continue;
            allowed += max_pairs == 0;
            CHECK(*ports == want);
            CHECK(*hop == want);
          }
      }
    }
    CHECK(allowed > 100);
    CHECK(viewed_as_classes > 50);
  }

  TEST_CASE("every edge of the graph with an outside end is its grants, and nothing else") {
    std::size_t edges = 0, with_blocks = 0;
    for (unsigned seed = 1; seed <= 300; ++seed) {
      Chart chart = RandomChart(seed).make();
      ChartAccess access = chart_access(chart, Profile());
      PolicyGraph graph = build_graph(chart, access, Profile());
      auto grants = grants_by_edge(chart, access);
      std::set<std::pair<std::string, std::string>> seen;
      for (const auto& ref : graph.edges()) {
        const Node &from = graph.node(ref.from), &to = graph.node(ref.to);
        if (from.kind == NodeKind::Service && to.kind == NodeKind::Service) continue;
        const std::string where = "seed " + std::to_string(seed) + ": " + from.id + " -> " + to.id;
        INFO(where);
        auto it = grants.find({from.id, to.id});
        REQUIRE(it != grants.end());
        seen.insert(it->first);
        const Edge& edge = graph.edge(ref);
        CHECK(edge.ports == it->second.ports);
        std::map<std::string, PortSet> blocks;
        for (const ExternalEntry& entry : edge.blocks) blocks[entry.block.str()] = entry.ports;
        CHECK(blocks == it->second.blocks);
        ++edges;
        with_blocks += !blocks.empty();
      }
      CHECK(seen.size() == grants.size());
    }
    CHECK(edges > 300);
    CHECK(with_blocks > 50);
  }

  TEST_CASE("by groups: each pair of groups has the ports of every pair of its members") {
    std::size_t pairs = 0, grouped = 0;
    for (unsigned seed = 1; seed <= 200; ++seed) {
      Chart chart = RandomChart(seed, true).make();
      ChartAccess access = chart_access(chart, Profile());
      PolicyGraph graph = build_graph(chart, access, Profile(), PolicyGraph::kMaxEdges, 0);
      ServiceGroups groups = service_groups({chart, access, graph.has_classes()},
                                            {chart, access, graph.has_classes()});
      GroupAccess by_group = access_by_group(chart, access, groups);
      std::map<std::string, std::size_t> index;
      for (std::size_t i = 0; i < chart.services.size(); ++i) index[chart.services[i].name] = i;
      for (std::size_t a = 0; a < groups.senders.size(); ++a)
        for (std::size_t b = 0; b < groups.receivers.size(); ++b) {
          auto found = by_group.between_groups.find({a, b});
          for (const auto& sender : groups.senders[a])
            for (const auto& receiver : groups.receivers[b]) {
              if (sender == receiver) continue;
              const std::string where =
                  "seed " + std::to_string(seed) + ": " + sender + " -> " + receiver;
              INFO(where);
              const PortSet want = rules_allow(chart, index.at(sender), index.at(receiver));
              CHECK(want.empty() == (found == by_group.between_groups.end()));
              if (found == by_group.between_groups.end()) continue;
              CHECK(found->second == want);
              ++pairs;
              grouped += groups.senders[a].size() > 1;
            }
        }
    }
    CHECK(pairs > 100);
    CHECK(grouped > 50);
  }

  TEST_CASE("by groups: what any source and address sources send to a service, from its rules") {
    for (unsigned seed = 1; seed <= 200; ++seed) {
      Chart chart = RandomChart(seed).make();
      ChartAccess access = chart_access(chart, Profile());
      PolicyGraph graph = build_graph(chart, access, Profile());
      GroupAccess by_group = access_by_group(chart, access,
                                             service_groups({chart, access, graph.has_classes()},
                                                            {chart, access, graph.has_classes()}));
      for (const Service& service : chart.services) {
        // Brute force over the rules: a rule with no peer admits any source; an ipBlock peer
        // admits its addresses (RandomChart's one block is not every address).
        PortSet any;
        AccessMap addresses;
        for (const Rule& rule : service.ingress) {
          PortSet ports = rule.ports.resolve(service.ports);
          if (chart.from_manifests) ports = ports.without_names();
          if (rule.any_peer) any = any.unite(ports);
          for (const Peer& peer : rule.peers)
            if (peer.ip_block) addresses.grant_addresses(AddressSet::of(*peer.ip_block), ports);
        }
        const std::string where = "seed " + std::to_string(seed) + ": " + service.name;
        INFO(where);
        auto any_found = by_group.any.find(service.name);
        CHECK((any_found == by_group.any.end() ? PortSet() : any_found->second) == any);
        auto from_addresses = by_group.from_addresses.find(service.name);
        CHECK((from_addresses == by_group.from_addresses.end()
                   ? AccessMap()
                   : from_addresses->second) == addresses);
      }
    }
  }
}
