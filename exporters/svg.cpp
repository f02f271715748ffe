#include "exporters/svg.hpp"

#include <sstream>

#include "exporters/graphviz_runtime.hpp"

namespace netpol::exporters {

void write_svg(const graph::Analysis& analysis, const DotOptions& options, std::ostream& out) {
  std::ostringstream dot;
  write_dot(analysis, options, dot);
  out << render_svg(dot.str());
}

}  // namespace netpol::exporters
