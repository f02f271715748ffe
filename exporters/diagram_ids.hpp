#pragma once
// The ids of a picture's own nodes, which stand for no node of the graph: the one place that
// spells them (the graph's are in graph/rules/node_ids.hpp). Each begins "netpol-graph:",
// which no graph node id does; they appear in the DOT and as the titles of the SVG's nodes.

#include <cstddef>
#include <string>
#include <string_view>

namespace netpol::exporters::diagram_ids {

inline constexpr std::string_view kNamespace = "netpol-graph:namespace";       // edges of the whole
inline constexpr std::string_view kNamespaceIn = "netpol-graph:namespace-in";  // namespace
inline constexpr std::string_view kNamespaceTitle = "netpol-graph:namespace-title";
inline constexpr std::string_view kLegend = "netpol-graph:legend";
inline constexpr std::string_view kEmpty = "netpol-graph:empty";  // a namespace of no service

// The title node of another namespace's box.
inline std::string namespace_title(std::string_view ns) {
  return std::string(kNamespaceTitle) + ":" + std::string(ns);
}
// A group of services drawn as one node (DiagramNode::members), named by its first member
// (the graph's picture) or its number (the diff's).
inline std::string group(std::string_view name) {
  return "netpol-graph:group:" + std::string(name);
}
// The point where the edges of the n-th bundle meet.
inline std::string junction(std::size_t n) {
  return "netpol-graph:junction:" + std::to_string(n);
}

}  // namespace netpol::exporters::diagram_ids
