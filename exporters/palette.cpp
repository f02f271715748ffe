#include "exporters/palette.hpp"

#include <utility>

namespace netpol::exporters {

const LookStyle& style_of(Look look) {
  // shape, DOT style, fill, stroke, pen width, Mermaid class, Mermaid stroke width, dashed
  static const std::pair<Look, LookStyle> kStyles[] = {
      {Look::Service, {"box", "rounded,filled", "#dbeafe", "#1d4ed8", "1.2", "service", "", false}},
      {Look::ExposedService,
       {"box", "rounded,filled", "#ffedd5", "#c2410c", "2", "exposed", "2px", false}},
      {Look::AnySource,
       {"ellipse", "filled", "#fee2e2", colour::kWarning, "2", "anysource", "2px", false}},
      {Look::Source, {"ellipse", "filled", "#e0f2fe", "#0369a1", "1.2", "source", "", false}},
      {Look::UnknownPeer,
       {"ellipse", "dashed,filled", "#fff7ed", "#c2410c", "1.5", "unknown", "", true}},
      {Look::External, {"box", "filled", "#fef9c3", "#a16207", "1.2", "external", "", false}},
      {Look::OpenWorld,
       {"box", "filled", "#fee2e2", colour::kWarning, "2", "openworld", "2px", false}},
      {Look::Otlp, {"box", "filled", "#ede9fe", "#6d28d9", "1.2", "otlp", "", false}},
      {Look::Dns, {"box", "filled", "#f3f4f6", colour::kBorder, "1.2", "dns", "", false}},
      {Look::ServiceClass,
       {"box3d", "filled", "#dbeafe", "#1d4ed8", "1.2", "serviceclass", "3px", false}},
      {Look::Junction,
       {"point", "filled", colour::kBorder, colour::kBorder, "1", "junction", "", false}},
  };
  for (const auto& [l, style] : kStyles)
    if (l == look) return style;
  return kStyles[0].second;
}

std::string mermaid_style(Look look) {
  const LookStyle& style = style_of(look);
  std::string out = std::string("fill:") + style.fill + ",stroke:" + style.stroke;
  if (*style.mermaid_width) out += std::string(",stroke-width:") + style.mermaid_width;
  if (style.dashed) out += ",stroke-dasharray:4 3";
  return out;
}

ChangeStyle change_style(std::optional<graph::Change> change) {
  if (!change) return {colour::kLegendBorder, "solid"};  // unchanged
  switch (*change) {
    case graph::Change::Added:
      return {"#16a34a", "bold"};
    case graph::Change::Removed:
      return {"#475569", "dashed"};  // slate: not the red of what any source reaches
    case graph::Change::Widened:
      return {"#ea580c", "bold"};
    case graph::Change::Narrowed:
      return {"#2563eb", "bold"};
    case graph::Change::Changed:
      return {"#9333ea", "bold"};
  }
  return {colour::kLegendBorder, "solid"};
}

}  // namespace netpol::exporters
