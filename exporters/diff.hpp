#pragma once
// The audit diff (`netpol-graph diff`) in each format: text for people, a Markdown table for
// pull requests, JSON for tools (docs/json.md), DOT and SVG pictures with changes in colour.

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "graph/diff.hpp"

namespace netpol::exporters {

void write_diff_text(const graph::DiffReport& report, std::ostream& out);
void write_diff_markdown(const graph::DiffReport& report, std::ostream& out);
void write_diff_json(const graph::DiffReport& report, std::ostream& out);
// Above `max_nodes` nodes the picture shows only what changed; if that is still more, it asks
// for the sfdp layout (dot would take minutes), with ports and changes in edge tooltips.
void write_diff_dot(const graph::DiffReport& report, std::size_t max_nodes, std::ostream& out);

// "addresses 0.0.0.0/0 (was 10.1.0.0/24); TCP 5432" and the like: what changed on an edge.
std::string describe_access(const graph::EdgeDiff& e);
// "1 added, 0 removed, 2 widened, 0 narrowed, 0 changed"
std::string change_counts(const graph::Diff& d);
// The old side's keys that the new side does not cite.
std::vector<graph::Provenance> only_old(const std::vector<graph::Provenance>& old_keys,
                                        const std::vector<graph::Provenance>& new_keys);
// The sentence for policies switched on or off.
std::string switched_summary(const graph::Diff& d);

}  // namespace netpol::exporters
