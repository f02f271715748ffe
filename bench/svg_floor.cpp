// The floor for `graph -o x.svg`: Graphviz's part of the work and nothing else. Reads a DOT
// file, hands the dot layout, core and pango plugins to Graphviz as netpol-graph does (no
// plugin config), lays out, renders SVG and writes it. scripts/bench-svg.py --floor times it
// against `dot -Tsvg`: netpol-graph cannot be faster than this while it runs the same
// Graphviz and pango code.
//
//   netpol-svg-floor IN.dot OUT.svg

#include <dlfcn.h>
#include <graphviz/gvc.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

void* plugin(const char* name) {
  std::string lib =
      std::string(NETPOL_GV_PLUGIN_DIR) + "/libgvplugin_" + name + NETPOL_GV_PLUGIN_SUFFIX;
  void* handle = ::dlopen(lib.c_str(), RTLD_LAZY | RTLD_GLOBAL);
  std::string symbol = std::string("gvplugin_") + name + "_LTX_library";
  void* library = handle ? ::dlsym(handle, symbol.c_str()) : nullptr;
  if (!library) {
    std::cerr << "netpol-svg-floor: cannot load " << lib << "\n";
    std::exit(1);
  }
  return library;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: netpol-svg-floor IN.dot OUT.svg\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream dot;
  dot << in.rdbuf();
  lt_symlist_t builtins[] = {{"gvplugin_dot_layout_LTX_library", plugin("dot_layout")},
                             {"gvplugin_core_LTX_library", plugin("core")},
                             {"gvplugin_pango_LTX_library", plugin("pango")},
                             {nullptr, nullptr}};
  GVC_t* context = gvContextPlugins(builtins, 0);
  Agraph_t* graph = agmemread(dot.str().c_str());
  char* svg = nullptr;
  unsigned int length = 0;
  if (!graph || gvLayout(context, graph, "dot") != 0 ||
      gvRenderData(context, graph, "svg", &svg, &length) != 0) {
    std::cerr << "netpol-svg-floor: Graphviz failed\n";
    return 1;
  }
  std::ofstream(argv[2], std::ios::binary).write(svg, length);
  return 0;
}
