#pragma once
// The stages of a picture that make_diagram and make_diff_diagram share (diagram.cpp):
// draw every node and edge, focus, then bundle and fit to size.

#include <set>
#include <string>
#include <vector>

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
// Ranks `diagram` as the analysis's whole picture (no focus, no paths) is ranked: top down or
// left to right, its services in the same rows (Diagram::rows), so that a focused, reach or
// diff picture keeps each node's place.
void rank_as_whole_picture(const graph::Analysis& analysis, const DiagramOptions& options,
                           Diagram& diagram);
// The rows of a chart's whole picture as dot lays it out (Diagram::rows): the services of each
// box that share a rank, two or more, in their order there. None for sfdp, for a picture of
// more than 60 edges (dot would take seconds), and when Graphviz cannot be loaded.
std::vector<std::vector<std::string>> laid_out_rows(const Diagram& whole);

}  // namespace netpol::exporters
