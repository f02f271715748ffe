// The rows a chart's services stand in, read from dot's layout of the chart's whole picture
// (diagram_stages.hpp). dot orders each picture's ranks by that picture's edges, so a service
// moved between the graph's picture and a diff's or a focus's (ui and nursery swapped in the
// production diff); held in these rows it keeps its place.

#include <algorithm>
#include <map>
#include <sstream>

#include "error.hpp"
#include "exporters/diagram_stages.hpp"
#include "exporters/dot.hpp"
#include "exporters/graphviz_runtime.hpp"

namespace netpol::exporters {
namespace {

// dot's time grows steeply with the edges (about 0.2 s at 60, 3 s at 150, 24 s at 200): a
// focus on a dense chart, asked for to be small and quick, does not wait for its whole
// picture; its services are not held.
constexpr std::size_t kMostEdgesLaidOut = 60;

// Services (and nodes standing for several) drawn in a box; a box's sources keep their own
// rank (rank=min), so are left out.
bool stands_in_row(const Diagram& diagram, const DiagramNode& node) {
  bool service = node.look == Look::Service || node.look == Look::ExposedService ||
                 node.look == Look::ServiceClass;
  return service && node.place != Place::Source &&
         (in_main_box(diagram, node) || !node.box.empty());
}

}  // namespace

std::vector<std::vector<std::string>> laid_out_rows(const Diagram& whole) {
  if (whole.layout != Layout::Dot) return {};
  if (drawn_edge_count(whole) > kMostEdgesLaidOut) return {};
  std::ostringstream dot;
  write_dot(whole, dot);
  std::map<std::string, NodePlace> places;
  try {
    places = node_places(dot.str());
  } catch (const Error&) {
    return {};  // without Graphviz the picture is drawn all the same, its rows dot's own
  }
  // (box, rank) -> (order, id); the main box is "".
  std::map<std::pair<std::string, int>, std::vector<std::pair<int, std::string>>> rows;
  for (const DiagramNode& node : whole.nodes) {
    auto place = places.find(node.id);
    if (place == places.end() || !stands_in_row(whole, node)) continue;
    std::string box = in_main_box(whole, node) ? std::string() : "/" + node.box;
    rows[{box, place->second.rank}].emplace_back(place->second.order, node.id);
  }
  std::vector<std::vector<std::string>> out;
  for (auto& entry : rows) {
    std::vector<std::pair<int, std::string>>& row = entry.second;
    if (row.size() < 2) continue;
    std::sort(row.begin(), row.end());
    std::vector<std::string> ids;
    for (auto& member : row) ids.push_back(std::move(member.second));
    out.push_back(std::move(ids));
  }
  return out;
}

}  // namespace netpol::exporters
