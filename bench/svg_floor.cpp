// The floor for `graph -o x.svg`: rendering alone. Reads a DOT file and renders it with
// netpol-graph's own renderer (exporters::render_svg: Graphviz and its plugins loaded as
// the program loads them), with no values to read and nothing to analyse.
// scripts/bench-svg.py --floor times it against `dot -Tsvg`: netpol-graph cannot be faster
// than this while it runs the same Graphviz and pango code.
//
//   netpol-svg-floor IN.dot OUT.svg

#include <fstream>
#include <iostream>
#include <sstream>

#include "error.hpp"
#include "exporters/graphviz_runtime.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: netpol-svg-floor IN.dot OUT.svg\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream dot;
  dot << in.rdbuf();
  try {
    std::string svg = netpol::exporters::render_svg(dot.str());
    std::ofstream(argv[2], std::ios::binary) << svg;
  } catch (const netpol::Error& e) {
    std::cerr << "netpol-svg-floor: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
