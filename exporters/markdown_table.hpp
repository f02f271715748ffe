#pragma once
// The Markdown Service Communication Map (the chart docs' four columns).

#include <ostream>

#include "graph/comm_map.hpp"

namespace netpol::exporters {

// Writes the table, then a DNS footnote when every service may resolve DNS. With policies
// disabled, writes a plain statement that all traffic is allowed instead of a table.
void write_markdown_table(const graph::CommunicationMap& map, std::ostream& out);

// Escapes text for a Markdown table cell: |, \, newlines, and characters Markdown would
// otherwise read as markup.
std::string markdown_cell(const std::string& text);

}  // namespace netpol::exporters
