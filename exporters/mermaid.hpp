#pragma once
// Mermaid flowchart: the diagram of write_dot in a form GitHub and GitLab render inside
// Markdown (a ```mermaid block). Node ids are generated (n0, n1, ...) so any service or
// selector name is safe; labels are entity-escaped.

#include <ostream>
#include <string>

#include "exporters/diagram.hpp"

namespace netpol::exporters {

void write_mermaid(const graph::Analysis& analysis, const DiagramOptions& options,
                   std::ostream& out);

// Text for inside a quoted Mermaid label: letters, digits and plain punctuation stay, every
// other character becomes an entity code (#34; for a quote), a line break becomes <br/>.
std::string mermaid_text(const std::string& text);

}  // namespace netpol::exporters
