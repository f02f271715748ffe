#pragma once
// The effective graph as a flat list of edges, one per line, for grep, spreadsheets and
// scripts (netpol-analyzer's connlist as txt and csv): every edge of `graph --format json`,
// in the same order (docs/usage.md, "Edge lists").

#include <ostream>
#include <string>

#include "graph/analysis/analysis.hpp"

namespace netpol::exporters {

// "FROM -> TO  PORTS", one edge a line, after a line saying when policies are disabled; a
// name's line breaks and control characters as escapes (one_line, src/text.hpp).
void write_edges_text(const graph::Analysis& analysis, std::ostream& out);
// CSV (RFC 4180 quoting, lines ending in \n) with a header row:
// from,to,ports,from_kind,to_kind,egress_keys,ingress_keys.
// Ports are the JSON's tokens ("TCP/5432 UDP/53", "*" for all), keys "path (file:line:col)"
// joined by "; ". A cell a spreadsheet would run as a formula (beginning with = + - @, a tab
// or a carriage return) starts with ' instead.
void write_edges_csv(const graph::Analysis& analysis, std::ostream& out);
// A Markdown table: From, To, Ports, Keys (both sides' keys), cells escaped as `table`'s.
void write_edges_markdown(const graph::Analysis& analysis, std::ostream& out);
// One CSV cell as write_edges_csv writes it.
std::string csv_cell(const std::string& text);

}  // namespace netpol::exporters
