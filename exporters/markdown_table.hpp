#pragma once
// The Markdown Service Communication Map (the chart docs' four columns).

#include <ostream>

#include "graph/analysis/comm_map.hpp"

namespace netpol::exporters {

// Writes the table, then a DNS footnote when every service may resolve DNS. With policies
// disabled, writes a plain statement that all traffic is allowed instead of a table.
void write_markdown_table(const graph::CommunicationMap& map, std::ostream& out);

// Escapes text for a Markdown table cell: |, \, newlines, and characters Markdown would
// otherwise read as markup.
std::string markdown_cell(const std::string& text);

// Text as one Markdown code span: on one line (one_line, src/text.hpp), between runs of
// backticks longer than any run in it (CommonMark), so no name can end the span or start a
// line of its own.
std::string markdown_code(std::string_view text);
// A run of backticks longer than any in `text`, and at least `least` long: a code span's or
// code block's fence that `text` cannot end (CommonMark).
std::string markdown_fence(std::string_view text, std::size_t least = 1);

}  // namespace netpol::exporters
