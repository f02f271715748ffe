// diff: the nodes any source reaches on one side only.

#include "graph/analysis/differ.hpp"

#include <algorithm>

namespace netpol::graph::diff_detail {

// ---- nodes any source reaches on one side only (address nodes by their old id)
// Pods by id; address nodes by the access their last hop grants: newly reachable when some
// address and port of it was not reachable before, no longer when none of it is now.
void Differ::compare_exposure() {
  struct Reached {
    std::vector<std::string> path;
    std::optional<AccessMap> addresses;  // for an address node: its last hop's access
  };
  auto exposed = [](const Analysis& analysis, AccessMap& all_addresses) {
    std::map<std::string, Reached> out;
    for (const Route& route : analysis.exposed) {
      Reached reached;
      for (Vertex v : route.path) reached.path.push_back(analysis.graph.node(v).id);
      if (address_node(analysis.graph.node(route.to))) {
        EdgeRef last{route.path[route.path.size() - 2], route.to};
        reached.addresses = edge_addresses(analysis.graph, last, true);
        all_addresses = all_addresses.unite(*reached.addresses);
      }
      out[analysis.graph.node(route.to).id] = std::move(reached);
    }
    return out;
  };
  AccessMap old_addresses, new_addresses;
  auto before = exposed(old_, old_addresses), now = exposed(new_, new_addresses);
  for (const auto& [id, x] : now) {
    auto old = before.find(id);
    if (x.addresses ? !x.addresses->intersects(old_addresses) : old == before.end())
      out_.exposure.push_back({Change::Added, id, x.path});
    else if (x.addresses ? !x.addresses->subset_of(old_addresses)
                         : x.path.size() < old->second.path.size())
      out_.exposure.push_back(
          {Change::Widened, id, x.path, x.addresses ? 0 : old->second.path.size() - 1});
  }
  for (const auto& [id, x] : before)
    if (x.addresses ? !x.addresses->intersects(new_addresses) : !now.count(id))
      out_.exposure.push_back({Change::Removed, id, x.path});
  std::stable_sort(out_.exposure.begin(), out_.exposure.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.change, a.path.size()) < std::make_pair(b.change, b.path.size());
  });
}
}  // namespace netpol::graph::diff_detail
