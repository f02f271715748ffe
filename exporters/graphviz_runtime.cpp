#include "exporters/graphviz_runtime.hpp"

#include <dlfcn.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "error.hpp"
#include "exporters/label_room.hpp"

namespace netpol::exporters {
namespace {

// Graphviz is process-wide state: one context per process (its plugins loaded once, kept
// until exit, as Graphviz keeps fonts and caches), an error callback that takes no context,
// and layouts that are not thread-safe. This is the one guard for all of it: the runtime,
// started once, and a lock held for a whole render, so the messages collected belong to it.
struct GraphvizProcess {
  std::mutex start_lock, render_lock;
  std::string messages;  // what Graphviz reported during the render in progress
};
GraphvizProcess& graphviz_process() {
  static GraphvizProcess process;
  return process;
}

// What Graphviz reports while parsing and rendering, collected instead of printed.
std::string& graphviz_messages() {
  return graphviz_process().messages;
}

int collect_message(char* text) {
  graphviz_messages() += text;
  return 0;
}

// The entry points we use, looked up once.
struct Graphviz {
  decltype(&gvContextPlugins) context_plugins;
  decltype(&gvLayout) layout;
  decltype(&gvRenderData) render_data;
  decltype(&gvFreeRenderData) free_render_data;
  decltype(&gvFreeLayout) free_layout;
  decltype(&gvFreeContext) free_context;
  decltype(&agread) read;
  Agmemdisc_t* memory_discipline;
  Agiodisc_t* io_discipline;
  decltype(&agclose) close;
  decltype(&agseterrf) set_error_function;
  decltype(&agget) get;
  decltype(&agfstnode) first_node;
  decltype(&agnxtnode) next_node;
  decltype(&agfstout) first_out;
  decltype(&agnxtout) next_out;
  decltype(&agnameof) name_of;
  decltype(&gvAddLibrary) add_library;
  std::string names[3];
  lt_symlist_t builtins[4];
};

void* open_library(const std::string& name) {
  void* handle = ::dlopen(name.c_str(), RTLD_LAZY | RTLD_GLOBAL);
  if (!handle) {
    const char* why = ::dlerror();
    throw Error("cannot draw the picture: cannot load Graphviz (" + std::string(why ? why : name) +
                "); install Debian's libgvc6");
  }
  return handle;
}

// A plugin library's gvplugin_NAME_LTX_library, which lists what it provides.
void* open_plugin(const std::string& name) {
  std::string lib =
      std::string(NETPOL_GV_PLUGIN_DIR) + "/libgvplugin_" + name + NETPOL_GV_PLUGIN_SUFFIX;
  std::string sym = "gvplugin_" + name + "_LTX_library";
  void* library = ::dlsym(open_library(lib), sym.c_str());
  if (!library) throw Error("cannot draw the picture: " + lib + " lacks " + sym);
  return library;
}

template <typename F>
void symbol(void* handle, const char* name, F& out) {
  void* p = ::dlsym(handle, name);
  if (!p) throw Error(std::string("cannot draw the picture: Graphviz lacks ") + name);
  out = reinterpret_cast<F>(p);
}

// Graphviz loaded, with a context whose fonts are warm, or why it could not be.
struct Runtime {
  Graphviz gv;
  GVC_t* context = nullptr;
  std::string failure;
  std::once_flag neato_added;
};

void load_libraries(Graphviz& gv) {
  void* cgraph = open_library(NETPOL_CGRAPH_SONAME);
  void* gvc = open_library(NETPOL_GVC_SONAME);
  symbol(gvc, "gvContextPlugins", gv.context_plugins);
  symbol(gvc, "gvLayout", gv.layout);
  symbol(gvc, "gvRenderData", gv.render_data);
  symbol(gvc, "gvFreeRenderData", gv.free_render_data);
  symbol(gvc, "gvFreeLayout", gv.free_layout);
  symbol(gvc, "gvFreeContext", gv.free_context);
  symbol(cgraph, "agread", gv.read);
  symbol(cgraph, "AgMemDisc", gv.memory_discipline);
  symbol(cgraph, "AgIoDisc", gv.io_discipline);
  symbol(cgraph, "agclose", gv.close);
  symbol(cgraph, "agseterrf", gv.set_error_function);
  symbol(cgraph, "agget", gv.get);
  symbol(cgraph, "agfstnode", gv.first_node);
  symbol(cgraph, "agnxtnode", gv.next_node);
  symbol(cgraph, "agfstout", gv.first_out);
  symbol(cgraph, "agnxtout", gv.next_out);
  symbol(cgraph, "agnameof", gv.name_of);
  symbol(gvc, "gvAddLibrary", gv.add_library);
  // The plugins dot -Tsvg uses: the dot layout, the core SVG renderer, and pango for text
  // metrics (and, through cairo, the PNG and PDF renderers). Handing them over ourselves
  // needs no plugin config on the machine.
  const char* plugins[] = {"dot_layout", "core", "pango"};
  for (int i = 0; i < 3; ++i) {
    gv.names[i] = std::string("gvplugin_") + plugins[i] + "_LTX_library";
    gv.builtins[i] = lt_symlist_t{gv.names[i].c_str(), open_plugin(plugins[i])};
  }
  gv.builtins[3] = lt_symlist_t{nullptr, nullptr};
}

// The layout engine the graph asks for with its `layout` attribute, as `dot -Tsvg` honours
// it; sfdp lives in the neato_layout plugin, loaded the first time a picture needs it.
std::string engine_of(Runtime& rt, Agraph_t* graph) {
  const char* asked = rt.gv.get(graph, const_cast<char*>("layout"));
  std::string engine = asked && *asked ? asked : "dot";
  if (engine != "dot")
    std::call_once(rt.neato_added, [&] {
      rt.gv.add_library(rt.context, static_cast<gvplugin_library_t*>(open_plugin("neato_layout")));
    });
  return engine;
}

Box box_of(const boxf& b) {
  return {b.LL.x, b.LL.y, b.UR.x, b.UR.y};
}

void add_clusters(Agraph_t* graph, std::vector<Box>& frames) {
  for (int i = 1; i <= GD_n_cluster(graph); ++i) {
    frames.push_back(box_of(GD_bb(GD_clust(graph)[i])));
    add_clusters(GD_clust(graph)[i], frames);
  }
}

// The width of an edge's stroke as the renderer draws it: its penwidth, at least 2 when bold
// (`style`, the edge's).
double pen_width(const Graphviz& gv, Agedge_t* edge, const char* style) {
  const char* pen = gv.get(edge, const_cast<char*>("penwidth"));
  double width = pen && *pen ? std::atof(pen) : 1.0;
  if (style && std::strstr(style, "bold")) width = std::max(width, 2.0);
  return width;
}

// Moves the edge labels the layout left on a box's border, on another label or under a line
// to a clear place on their own edge (label_room.hpp), in the layout the renderer then draws.
void make_room_for_labels(const Graphviz& gv, Agraph_t* graph) {
  Scene scene;
  scene.page = box_of(GD_bb(graph));
  add_clusters(graph, scene.frames);
  if (textlabel_t* title = GD_label(graph))
    scene.obstacles.push_back(
        Box::around({title->pos.x, title->pos.y}, title->dimen.x, title->dimen.y));
  std::vector<textlabel_t*> labels;
  for (Agnode_t* n = gv.first_node(graph); n; n = gv.next_node(graph, n)) {
    scene.obstacles.push_back(
        Box::around({ND_coord(n).x, ND_coord(n).y}, ND_width(n) * 72, ND_height(n) * 72));
    for (Agedge_t* e = gv.first_out(graph, n); e; e = gv.next_out(graph, e)) {
      if (!ED_spl(e)) continue;
      std::vector<Point> path;
      for (int b = 0; b < ED_spl(e)->size; ++b) {
        const bezier& piece = ED_spl(e)->list[b];
        for (int p = 0; p < piece.size; ++p) path.push_back({piece.list[p].x, piece.list[p].y});
      }
      const char* style = gv.get(e, const_cast<char*>("style"));
      if (!style || !std::strstr(style, "invis"))
        scene.lines.push_back({path, pen_width(gv, e, style)});
      textlabel_t* label = ED_label(e);
      if (!label || !label->set) continue;
      scene.labels.push_back(
          {{label->pos.x, label->pos.y}, label->dimen.x, label->dimen.y, std::move(path)});
      labels.push_back(label);
    }
  }
  std::vector<std::optional<Point>> moved = make_room(scene);
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (moved[i]) labels[i]->pos = pointf{moved[i]->x, moved[i]->y};
}

// Object ids for the graphs we read, given in the order names first occur. cgraph's own
// (AgIdDisc) makes a named object's id the address of its name in the shared string pool,
// and dot orders a graph's clusters by id: the picture then depended on what the process had
// allocated before, and so on the length of the input's path (the three-namespace cluster's
// SVG came out two ways). Named ids are even and above every anonymous one (odd, counted),
// as addresses are above cgraph's counter, so anonymous subgraphs still come first.
class NameIds {
 public:
  static void* open(Agraph_t*, Agdisc_t*) { return new NameIds; }
  static long map(void* state, int, char* name, IDTYPE* id, int create) {
    auto& self = *static_cast<NameIds*>(state);
    if (!name) {
      *id = self.next_anonymous_;
      self.next_anonymous_ += 2;
      return 1;
    }
    auto found = self.ids_.find(name);
    if (found == self.ids_.end()) {
      if (!create) return 0;
      found = self.ids_.emplace(name, kFirstNamed + 2 * self.names_.size()).first;
      self.names_.push_back(&found->first);
    }
    *id = found->second;
    return 1;
  }
  static long alloc(void*, int, IDTYPE) { return 0; }  // no ids asked for by number
  static void free(void*, int, IDTYPE) {}              // names live as long as the graph
  static char* print(void* state, int, IDTYPE id) {
    const auto& names = static_cast<NameIds*>(state)->names_;
    if (id % 2 != 0 || id < kFirstNamed || (id - kFirstNamed) / 2 >= names.size())
      return nullptr;  // anonymous: cgraph names it "%<id>"
    return const_cast<char*>(names[(id - kFirstNamed) / 2]->c_str());
  }
  static void close(void* state) { delete static_cast<NameIds*>(state); }
  static void record(void*, int, void*) {}

 private:
  static constexpr IDTYPE kFirstNamed = IDTYPE{1} << 48;
  std::map<std::string, IDTYPE> ids_;
  std::vector<const std::string*> names_;  // by id: keys of ids_, which never move
  IDTYPE next_anonymous_ = 1;
};

Agiddisc_t name_ids = {NameIds::open,  NameIds::map,   NameIds::alloc, NameIds::free,
                       NameIds::print, NameIds::close, NameIds::record};

// The DOT text, read a line at a time as cgraph's scanner asks for it.
struct Text {
  const char* at;
  const char* end;
  static int read(void* channel, char* buffer, int size) {
    auto& text = *static_cast<Text*>(channel);
    int n = 0;
    while (n < size && text.at < text.end) {
      char c = *text.at++;
      buffer[n++] = c;
      if (c == '\n') break;
    }
    return n;
  }
};

// Parses `dot` with ids in the order names occur (NameIds); null on a syntax error.
Agraph_t* read_graph(const Graphviz& gv, const std::string& dot) {
  static Agiodisc_t io = {Text::read, gv.io_discipline->putstr, gv.io_discipline->flush};
  static Agdisc_t discipline = {gv.memory_discipline, &name_ids, &io};
  Text text{dot.data(), dot.data() + dot.size()};
  return gv.read(&text, &discipline);
}

// Parses `dot`, lays it out with the engine its `layout` attribute names, hands the laid-out
// graph to `use` (true: it worked), and frees it; false (and graphviz_messages()) on failure.
template <typename Use>
bool with_layout(Runtime& rt, const std::string& dot, Use use) {
  const Graphviz& gv = rt.gv;
  graphviz_messages().clear();
  gv.set_error_function(collect_message);
  Agraph_t* graph = read_graph(gv, dot);
  if (!graph) return false;
  std::string engine = engine_of(rt, graph);
  bool ok = gv.layout(rt.context, graph, engine.c_str()) == 0 && use(graph);
  gv.free_layout(rt.context, graph);
  gv.close(graph);
  return ok;
}

// Renders `dot` with the runtime's context; false (and graphviz_messages()) on failure.
bool render(Runtime& rt, const std::string& dot, const std::string& format, std::string& out) {
  return with_layout(rt, dot, [&](Agraph_t* graph) {
    make_room_for_labels(rt.gv, graph);
    char* data = nullptr;
    unsigned int length = 0;
    bool ok = rt.gv.render_data(rt.context, graph, format.c_str(), &data, &length) == 0;
    if (ok && data) out.assign(data, length);
    if (data) rt.gv.free_render_data(data);
    return ok;
  });
}

// Reads the fontconfig configuration and font caches, which pango needs before its first
// text layout. On its own thread, and loaded before anything else takes the dynamic loader's
// lock, this overlaps with loading Graphviz's libraries (measured in docs/performance.md).
void init_fontconfig(std::promise<void>& loaded) {
  void* fc = ::dlopen(NETPOL_FONTCONFIG_SONAME, RTLD_LAZY | RTLD_GLOBAL);
  loaded.set_value();
  if (!fc) return;  // pango will report it
  if (auto init = reinterpret_cast<int (*)()>(::dlsym(fc, "FcInit"))) init();
}

Runtime* start() {
  auto* rt = new Runtime;  // lives as long as the process
  std::promise<void> fontconfig_loaded;
  std::thread fonts(init_fontconfig, std::ref(fontconfig_loaded));
  fontconfig_loaded.get_future().wait();
  try {
    load_libraries(rt->gv);
    rt->context = rt->gv.context_plugins(rt->gv.builtins, 0);
    if (!rt->context) throw Error("cannot draw the picture: Graphviz did not start");
  } catch (const Error& e) {
    rt->failure = e.what();
  }
  fonts.join();
  return rt;
}

std::shared_future<Runtime*> runtime_future() {
  static std::shared_future<Runtime*> runtime;
  std::lock_guard<std::mutex> lock(graphviz_process().start_lock);
  if (!runtime.valid()) runtime = std::async(std::launch::async, start).share();
  return runtime;
}

// The runtime, once Graphviz has loaded; throws Error saying why it could not.
Runtime& started() {
  Runtime& rt = *runtime_future().get();
  if (!rt.failure.empty()) throw Error(rt.failure);
  return rt;
}

}  // namespace

void preload_graphviz() {
  runtime_future();
}

std::map<std::string, NodePlace> node_places(const std::string& dot) {
  Runtime& rt = started();
  std::lock_guard<std::mutex> lock(graphviz_process().render_lock);
  std::map<std::string, NodePlace> places;
  bool ok = with_layout(rt, dot, [&](Agraph_t* graph) {
    for (Agnode_t* node = rt.gv.first_node(graph); node; node = rt.gv.next_node(graph, node))
      places[rt.gv.name_of(node)] = NodePlace{ND_rank(node), ND_order(node)};
    return true;
  });
  if (!ok) throw Error("cannot lay out the picture: " + graphviz_messages());
  return places;
}

std::string render_picture(const std::string& dot, std::string_view format) {
  Runtime& rt = started();
  std::lock_guard<std::mutex> lock(graphviz_process().render_lock);
  std::string out;
  if (!render(rt, dot, std::string(format), out))
    throw Error("cannot draw the picture as " + std::string(format) + ": " + graphviz_messages());
  return out;
}

}  // namespace netpol::exporters
