#pragma once
// Random charts for the property tests of classes, access and the graph built from it.

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "graph/rules/chart.hpp"

namespace netpol::test {

// Random charts small enough to check every pair, with what makes services alike or not:
// two namespaces, labels of three keys, selectors with every operator, named ports.
class RandomChart {
 public:
  // `alike`: every chart made of look-alikes (else half of them).
  explicit RandomChart(unsigned seed, bool alike = false) : rng_(seed), all_alike_(alike) {}

  graph::Chart make() {
    graph::Chart c;
    c.enabled = true;
    c.ns = "a";
    c.from_manifests = pick(2) == 0;
    std::size_t n = 2 + pick(9);
    // Services draw their rules from a small pool, so that many are alike but for provenance.
    // Half the charts are made of look-alikes: fewer rules to draw from, fewer labels.
    bool alike = pick(2) == 0 || all_alike_;
    pool_.clear();
    for (int i = 0; i < (alike ? 2 : 5); ++i) pool_.push_back(rule());
    for (std::size_t i = 0; i < n; ++i) {
      graph::Service s;
      s.name = "s" + std::to_string(i);
      s.ns = pick(3) ? "a" : "b";
      s.ns_labels = {{"kubernetes.io/metadata.name", s.ns}};
      if (s.ns == "b") s.ns_labels["env"] = "prod";
      s.labels["app"] = pick(3) || alike ? "x" + std::to_string(pick(2)) : s.name;
      if (pick(2) && !alike) s.labels["tier"] = pick(2) ? "web" : "db";
      if (pick(4) == 0) s.labels["canary"] = "yes";
      if (pick(2))
        s.ports.push_back({"http", graph::Protocol::TCP, 8000 + static_cast<int>(pick(2))});
      for (std::size_t r = pick(3); r > 0; --r) s.ingress.push_back(drawn(s.name, "ingress", r));
      for (std::size_t r = pick(3); r > 0; --r) s.egress.push_back(drawn(s.name, "egress", r));
      c.services.push_back(std::move(s));
    }
    if (all_alike_) {
      // Copies of the first three services (their rules with each copy's own provenance),
      // so that classes have many members.
      std::size_t templates = std::min<std::size_t>(3, c.services.size());
      for (std::size_t i = templates; i < c.services.size(); ++i) {
        graph::Service& s = c.services[i];
        s = c.services[pick(templates)];
        s.name = "s" + std::to_string(i);
        for (auto* rules : {&s.ingress, &s.egress})
          for (graph::Rule& r : *rules)
            for (graph::Provenance& p : r.provenance)
              p.path = s.name + p.path.substr(p.path.find('.'));
      }
    }
    return c;
  }

 private:
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  graph::LabelSelector selector() {
    static const char* keys[] = {"app", "tier", "canary"};
    static const char* values[] = {"x0", "x1", "web", "db", "s1"};
    graph::LabelSelector sel;
    for (std::size_t k = pick(3); k > 0; --k) {
      graph::Requirement q;
      q.key = keys[pick(3)];
      q.op = static_cast<graph::Requirement::Op>(pick(4));
      if (q.op == graph::Requirement::Op::In || q.op == graph::Requirement::Op::NotIn) {
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
  graph::Rule drawn(const std::string& owner, const std::string& side, std::size_t i) {
    graph::Rule r = pool_[pick(pool_.size())];
    r.provenance.push_back({owner + "." + side + "[" + std::to_string(i) + "]", {"v.yaml", 1, 1}});
    return r;
  }

  graph::Rule rule() {
    graph::Rule r;
    r.any_peer = pick(4) == 0;
    for (std::size_t p = r.any_peer ? 0 : 1 + pick(2); p > 0; --p) {
      graph::Peer peer;
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
          peer.ip_block = graph::IpBlock{graph::Cidr::parse("10.0.0.0/8"), {}};
      }
      r.peers.push_back(std::move(peer));
    }
    switch (pick(4)) {
      case 0:
        r.ports = graph::PortSet::all();
        break;
      case 1:
        r.ports.add_name(graph::Protocol::TCP, "http");
        break;
      case 2:
        r.ports.add_range(graph::Protocol::TCP, 8000, 8000);
        break;
      default:
        r.ports.add_range(graph::Protocol::UDP, 53, 53);
    }
    return r;
  }

  std::mt19937 rng_;
  bool all_alike_;
  std::vector<graph::Rule> pool_;
};

}  // namespace netpol::test
