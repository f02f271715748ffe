#include "graph/analysis/pod_space.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "graph/analysis/analysis.hpp"
#include "graph/rules/node_ids.hpp"

namespace netpol::graph {

PodSpace::PodSpace(const std::vector<const Analysis*>& sides, std::vector<std::string> ns_keys,
                   std::vector<std::string> pod_keys)
    : a_(*sides.front()), ns_keys_(std::move(ns_keys)), pod_keys_(std::move(pod_keys)) {
  ns_keys_.push_back(std::string(kNamespaceNameLabel));
  // The keys read anywhere: a known namespace lacks every one it does not have.
  for (const Analysis* analysis : sides)
    for (PolicyGraph::Vertex v : analysis->graph.nodes())
      if (const auto& pods = analysis->graph.node(v).pods)
        for (const PodCube& c : pods->cubes()) {
          for (const auto& kv : c.ns) ns_keys_.push_back(kv.first);
          for (const auto& kv : c.pod) pod_keys_.push_back(kv.first);
        }
  // The namespaces known: the services' (not the ingress controller's, whose labels are only
  // those its selector reads), then the release namespace. Each has its name label.
  std::map<std::string, Labels> known;
  std::map<std::string, std::set<std::string>> apps;  // namespace -> its services' apps
  for (const Analysis* a : sides)
    for (const Service& service : a->chart.services) {
      if (service.ingress_controller) continue;
      known.emplace(service.ns, service.ns_labels);
      if (a->chart.from_manifests) continue;
      if (auto app = service.labels.find(std::string(kAppLabel)); app != service.labels.end())
        apps[service.ns].insert(app->second);
    }
  for (const Analysis* a : sides) known.emplace(a->chart.ns, a->chart.ns_labels);
  for (auto& [name, labels] : known) {
    labels.emplace(std::string(kNamespaceNameLabel), name);
    for (const auto& label : labels) ns_keys_.push_back(label.first);
  }
  for (auto* keys : {&ns_keys_, &pod_keys_}) {
    std::sort(keys->begin(), keys->end());
    keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
  }
  // Namespaces not known, with any labels; each known one with exactly its labels.
  LabelSelector unknown;
  std::vector<std::string> names;
  for (const auto& kv : known) names.push_back(kv.first);
  unknown.add(Requirement{std::string(kNamespaceNameLabel), Requirement::Op::NotIn, names});
  possible_ = PodCubes::selected(unknown, std::nullopt, "");
  for (const auto& kv : known)
    possible_ = possible_.unite(PodCubes::point(kv.second, {}, ns_keys_, {}));
  for (const auto& [ns, names_of] : apps) {
    LabelSelector sel;
    sel.add(Requirement{
        std::string(kAppLabel), Requirement::Op::In, {names_of.begin(), names_of.end()}});
    services_ = services_.unite(PodCubes::selected(std::nullopt, sel, ns));
  }
}

PodCubes PodSpace::selected(const std::optional<LabelSelector>& namespaces,
                            const std::optional<LabelSelector>& pods) const {
  return PodCubes::selected(namespaces, pods, a_.chart.ns).intersect(possible_);
}

PodCubes PodSpace::of(const Node& node) const {
  switch (node.kind) {
    case NodeKind::AnySource:
      return possible_;
    case NodeKind::External:
      return node.id == kAnywhereId ? possible_ : PodCubes::none();
    case NodeKind::NsPods:
    case NodeKind::Selector:
      return node.pods ? node.pods->intersect(possible_) : PodCubes::none();
    case NodeKind::Service: {
      const Service* s = a_.chart.service(node.id);
      if (!s || s->ingress_controller) return PodCubes::none();
      if (a_.chart.from_manifests)
        return PodCubes::point(s->ns_labels, s->labels, ns_keys_, pod_keys_);
      // A chart service: the pods its selector selects, in the release namespace.
      LabelSelector sel;
      for (const auto& [k, v] : s->labels) sel.add_equals(k, v);
      return PodCubes::point(s->ns_labels, {}, ns_keys_, {})
          .intersect(PodCubes::selected(std::nullopt, sel, s->ns));
    }
    default:
      return PodCubes::none();
  }
}

PodCubes PodSpace::outside(const Node& n) const {
  if (n.kind != NodeKind::Selector && n.kind != NodeKind::NsPods) return PodCubes::none();
  return of(n).subtract(services_);
}

}  // namespace netpol::graph
