#pragma once
// The audit diff (`netpol-graph diff`) in each format: text for people, a Markdown table for
// pull requests, JSON for tools (docs/json.md), DOT and SVG pictures with changes in colour.

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "exporters/diagram.hpp"
#include "graph/analysis/diff.hpp"

namespace netpol::exporters {

void write_diff_text(const graph::DiffReport& report, std::ostream& out);
void write_diff_markdown(const graph::DiffReport& report, std::ostream& out);
void write_diff_json(const graph::DiffReport& report, std::ostream& out);
// Above `options.max_nodes` nodes the picture shows only what changed; if that is still
// more, it asks for the sfdp layout (dot would take minutes), with ports and changes in edge
// tooltips. `options.focus` keeps the focused nodes and their neighbours, as for `graph`.
void write_diff_dot(const graph::DiffReport& report, const DiagramOptions& options,
                    std::ostream& out);

// "addresses 0.0.0.0/0 (was 10.1.0.0/24); TCP 5432" and the like: what changed on an edge.
std::string describe_access(const graph::EdgeDiff& e);
// "1 added, 0 removed, 2 widened, 0 narrowed, 0 changed", counting service pairs (a change
// listed once for many pairs counts each).
std::string change_counts(const graph::Diff& d);
// A group of services a change listed once for many pairs holds for, as people read it:
// "group 2 (3 services alike: a, b, c)" ("workloads" when read from manifests); the groups
// are listed in full after the changes.
std::string group_name(const graph::DiffReport& r, std::size_t group);
// The groups, listed in full: "Groups of services alike" and one line (Markdown: item) each.
void write_groups(const graph::DiffReport& r, bool markdown, std::ostream& out);
// "from -> to (was x)" of a change.
std::string from_name(const graph::DiffReport& r, const graph::EdgeDiff& e);
std::string to_name(const graph::DiffReport& r, const graph::EdgeDiff& e);
// The old side's keys that the new side does not cite.
std::vector<graph::Provenance> only_old(const std::vector<graph::Provenance>& old_keys,
                                        const std::vector<graph::Provenance>& new_keys);
// The sentence for policies switched on or off.
std::string switched_summary(const graph::Diff& d);

}  // namespace netpol::exporters
