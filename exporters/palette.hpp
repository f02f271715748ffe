#pragma once
// The colours and shapes of every picture, in one table: how each kind of node looks in DOT
// (and so SVG, PNG, PDF) and in Mermaid, the colours of warnings, borders and titles, and of
// each kind of change in a diff.

#include <optional>
#include <string>

#include "exporters/diagram.hpp"
#include "graph/sets/access.hpp"

namespace netpol::exporters {

struct LookStyle {
  const char* dot_shape;
  const char* dot_style;
  const char* fill;
  const char* stroke;
  const char* penwidth;       // DOT
  const char* mermaid_class;  // the classDef name
  const char* mermaid_width;  // stroke-width, "" for Mermaid's default
  bool dashed;                // a dashed border
};

const LookStyle& style_of(Look look);
// Mermaid's classDef body for a look: "fill:#dbeafe,stroke:#1d4ed8".
std::string mermaid_style(Look look);

namespace colour {
inline constexpr const char* kWarning = "#b91c1c";  // from any source, to any address
inline constexpr const char* kBorder = "#6b7280";   // the namespace box, plain edges
inline constexpr const char* kTitle = "#111827";
inline constexpr const char* kLegendBorder = "#9ca3af";
inline constexpr const char* kPath = "#7c3aed";       // a reach answer's paths
inline constexpr const char* kFaded = "#d1d5db";      // what is not on them: lines
inline constexpr const char* kFadedFill = "#f9fafb";  // and fills
inline constexpr const char* kFadedText = "#9ca3af";  // and text
}  // namespace colour

// A diff's edge: its line colour and DOT style, for a change or for none (unchanged).
struct ChangeStyle {
  const char* line;
  const char* style;
};
ChangeStyle change_style(std::optional<graph::Change> change);

}  // namespace netpol::exporters
