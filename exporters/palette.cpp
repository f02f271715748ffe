#include "exporters/palette.hpp"

namespace netpol::exporters {

const LookStyle& style_of(Look look) {
  static const LookStyle kService{"box", "rounded,filled", "#dbeafe", "#1d4ed8",
                                  "1.2", "service",        "",        false};
  static const LookStyle kExposed{"box", "rounded,filled", "#ffedd5", "#c2410c",
                                  "2",   "exposed",        "2px",     false};
  static const LookStyle kAnySource{"ellipse", "filled",    "#fee2e2", colour::kWarning,
                                    "2",       "anysource", "2px",     false};
  static const LookStyle kSource{"ellipse", "filled", "#e0f2fe", "#0369a1",
                                 "1.2",     "source", "",        false};
  static const LookStyle kUnknown{"ellipse", "dashed,filled", "#fff7ed", "#c2410c",
                                  "1.5",     "unknown",       "",        true};
  static const LookStyle kExternal{"box", "filled",   "#fef9c3", "#a16207",
                                   "1.2", "external", "",        false};
  static const LookStyle kOpenWorld{"box", "filled",    "#fee2e2", colour::kWarning,
                                    "2",   "openworld", "2px",     false};
  static const LookStyle kOtlp{"box", "filled", "#ede9fe", "#6d28d9", "1.2", "otlp", "", false};
  static const LookStyle kDns{"box", "filled", "#f3f4f6", colour::kBorder, "1.2", "dns", "", false};
  static const LookStyle kClass{"box3d", "filled",       "#dbeafe", "#1d4ed8",
                                "1.2",   "serviceclass", "3px",     false};
  switch (look) {
    case Look::Service:
      return kService;
    case Look::ExposedService:
      return kExposed;
    case Look::AnySource:
      return kAnySource;
    case Look::Source:
      return kSource;
    case Look::UnknownPeer:
      return kUnknown;
    case Look::External:
      return kExternal;
    case Look::OpenWorld:
      return kOpenWorld;
    case Look::Otlp:
      return kOtlp;
    case Look::Dns:
      return kDns;
    case Look::ServiceClass:
      return kClass;
  }
  return kService;
}

std::string mermaid_style(Look look) {
  const LookStyle& s = style_of(look);
  std::string out = std::string("fill:") + s.fill + ",stroke:" + s.stroke;
  if (*s.mermaid_width) out += std::string(",stroke-width:") + s.mermaid_width;
  if (s.dashed) out += ",stroke-dasharray:4 3";
  return out;
}

ChangeStyle change_style(std::optional<graph::Change> change) {
  if (!change) return {colour::kLegendBorder, "solid"};  // unchanged
  switch (*change) {
    case graph::Change::Added:
      return {"#16a34a", "bold"};
    case graph::Change::Removed:
      return {"#dc2626", "dashed"};
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
