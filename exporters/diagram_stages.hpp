#pragma once
// The stages of a picture that make_diagram and make_diff_diagram share (diagram.cpp):
// draw every node and edge, focus, then bundle and fit to size.

#include <set>
#include <string>

#include "exporters/diagram.hpp"

namespace netpol::exporters {

// Every node of an analysis and each of its edges on its own, with looks and places (every
// edge: also those a node holding a selector's pods draws already).
Diagram draw_analysis(const graph::Analysis& analysis);
// The chart services of the namespace a picture draws, each its own node.
std::set<std::string> namespace_services(const Diagram& diagram);
// A selector (or ns-pods) node whose pods take in workloads drawn as nodes of their own
// (of `analysis`) says it stands for the others: "(other than api, worker)".
void name_held_workloads(const graph::Analysis& analysis, Diagram& diagram);
// Keeps what options.focus keeps and notes it in the title.
void focus_diagram(Diagram& diagram, const DiagramOptions& options);
// Bundles edges (unless options.every_edge), fits a picture of more than max_nodes nodes
// to its size (services with the same edges as one node, sfdp) and wraps long labels.
// `services`: namespace_services of the picture before a focus left some out.
void finish_diagram(Diagram& diagram, const DiagramOptions& options,
                    const std::set<std::string>& services);
// Whether the analysis's whole picture (no focus, no paths) is ranked top down: its focused,
// reach and diff pictures are ranked the same way.
bool whole_picture_top_down(const graph::Analysis& analysis, const DiagramOptions& options);

}  // namespace netpol::exporters
