#include <algorithm>
#include <ctime>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>
#include <type_traits>
#include <unordered_map>

#include "cli/commands.hpp"
#include "cli/handlers.hpp"
#include "cli/io.hpp"
#include "cli/run.hpp"
#include "embedded.hpp"
#include "exporters/formats.hpp"
#include "exporters/graphviz_runtime.hpp"
#include "exporters/overlay.hpp"
#include "exporters/report.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/diff.hpp"
#include "graph/analysis/findings.hpp"
#include "graph/analysis/intent.hpp"
#include "graph/analysis/least_privilege.hpp"
#include "graph/analysis/reach_report.hpp"
#include "graph/read/flows.hpp"
#include "graph/read/key_check.hpp"
#include "graph/read/read_manifests.hpp"
#include "sha256.hpp"
#include "text.hpp"
#include "values/loader.hpp"
#include "values/merge.hpp"

namespace netpol::cli {
namespace {

// What a command built, handed over when the command ends instead of freed, when the
// process exits next (Options::free_at_exit false): freeing a dense input's chart and graph
// took a sixth of a text command's time, to give memory back to a process about to end.
template <typename... T>
class KeepAtExit {
 public:
  explicit KeepAtExit(const Options& opts, T&... big) : o_(opts), big_(big...) {}
  KeepAtExit(const KeepAtExit&) = delete;
  KeepAtExit& operator=(const KeepAtExit&) = delete;
  ~KeepAtExit() {
    if (o_.free_at_exit) return;
    try {
      std::apply([](auto&... b) { (static_cast<void>(new T(std::move(b))), ...); }, big_);
    } catch (...) {  // out of memory: freed as usual
    }
  }

 private:
  const Options& o_;
  std::tuple<T&...> big_;
};

// The profile a run applies: `chart` (the embedded one), `none`, or a file. Without
// --profile, the chart's when any input is values, and none when every input is manifests:
// a cluster's workloads are not the chart's services because they share a name (a Deployment
// named meta is not documented to need PostgreSQL), and its address blocks are not S3
// because they allow port 443. `--profile chart` applies it to the chart's own rendered
// manifests.
std::string profile_choice(const Options& opts) {
  if (!opts.profile.empty()) return opts.profile;
  const bool manifests =
      !opts.manifests.empty() || !opts.old_manifests.empty() || !opts.new_manifests.empty();
  const bool values = !opts.values_files.empty() || !opts.set.empty() || !opts.set_string.empty() ||
                      !opts.sides.empty() || !opts.old_files.empty() || !opts.new_files.empty();
  return manifests && !values ? "none" : "chart";
}

// A document that is a Kubernetes object: a map with apiVersion and kind.
bool is_kubernetes_object(const values::Value& doc) {
  return doc.is_map() && doc.find("apiVersion") && doc.find("kind");
}

graph::Warning not_kubernetes(const std::string& file) {
  graph::Warning warning;
  warning.where.where = Location{file, 0, 0};
  warning.code = "not-kubernetes";
  warning.message = "holds no Kubernetes object (a map with apiVersion and kind): skipped";
  warning.fix =
      "Move the file out of the manifests directory, or fix it if it was meant to hold "
      "objects.";
  return warning;
}

// Reads every input once, keeps its text for error excerpts, and analyses sets of values
// files layered over the shared defaults, -f files and --set values.
class Loader {
 public:
  Loader(const Options& opts, Streams& io)
      : o_(opts),
        in_(io.in),
        max_pairs_(opts.max_pairs),
        sources_(io.inputs.files),
        texts_(io.inputs.texts) {}

  // Each input of an analysis with its digest: files and the defaults as read, --set values
  // as given, the profile, and the flows files.
  std::vector<exporters::BundleProvenance::Input> input_digests(
      const std::vector<std::string>& names) const {
    std::vector<exporters::BundleProvenance::Input> out;
    auto add = [&](const std::string& name, std::string_view text) {
      out.push_back({name, sha256_hex(text), text.size(), {}});
    };
    for (const auto& n : names) {
      if (auto it = texts_.find(n); it != texts_.end())
        add(n, it->second);
      else if (n.rfind("--set-string ", 0) == 0)
        add(n, std::string_view(n).substr(13));
      else if (n.rfind("--set ", 0) == 0)
        add(n, std::string_view(n).substr(6));
    }
    const std::string profile = profile_choice(o_);
    if (profile != "none")
      if (auto it = texts_.find(profile == "chart" ? embedded::kChartProfileName : profile);
          it != texts_.end())
        add(it->first, it->second);
    for (const auto& path : o_.flows)  // report --flows: the flows its findings come from
      if (auto it = texts_.find(path == "-" ? "<stdin>" : path); it != texts_.end())
        add(it->first, it->second);
    return out;
  }

  // check --intent: the rules of the file (graph::Review; their violations join the findings).
  std::vector<graph::IntentRule> intents(const std::string& path) {
    const values::Source& s = read(path, "intent file");
    return graph::read_intents(values::read_yaml(s.text, s.name, limits()));
  }

  // check --flows: the observed flows of every file, in order (graph::Review; what they say
  // joins the findings).
  std::vector<graph::Flow> flows(const std::vector<std::string>& paths) {
    std::vector<graph::Flow> out;
    std::string first;
    for (const auto& path : paths) {
      const values::Source& s = read(path, "flows file", true);  // large, as manifests are
      std::vector<graph::Flow> read = graph::read_flows(s.text, s.name);
      if (out.empty())
        out = std::move(read);
      else
        out.insert(out.end(), std::make_move_iterator(read.begin()),
                   std::make_move_iterator(read.end()));
      if (first.empty()) first = s.name;
    }
    // No flow at all would list every allowed edge as unused: more likely a wrong file.
    if (out.empty())
      throw InputError(Location{first, 0, 0}, "",
                       "no flow in " + std::string(paths.size() == 1 ? "it" : "the --flows files") +
                           " (expected CSV lines source,destination,port,protocol[,count], or "
                           "hubble observe --output jsonpb lines with TCP, UDP or SCTP flows)");
    return out;
  }

  // Says which values files a side will read, before any is analysed: a file more than one
  // side reads is parsed once.
  void will_read(const std::vector<std::string>& side_files) {
    for (const auto* files : {&o_.values_files, &side_files})
      for (const auto& f : *files) ++uses_[f];
  }

  // The values of one side, merged as Helm merges them, with the defaults tree (the schema
  // for unknown keys) and the names of the inputs in layering order.
  struct Merged {
    values::Value values, defaults;
    std::vector<std::string> names;
  };

  // The shared values merged, for `values`.
  Merged merged_values() { return merge(); }

  graph::Analysis analyze(const std::vector<std::string>& side_files = {},
                          const graph::Review& review = {}) {
    return analyze_side(side_files, review);
  }

  // The inputs with `overlay` layered last, as one more -f file would be (suggest's check).
  graph::Analysis analyze_with(const values::Value& overlay, const graph::Review& review) {
    Merged merged = merge();
    values::merge_over(merged.values, overlay);
    merged.names.push_back("<overlay>");
    return graph::analyze(std::move(merged.values), profile(), o_.ns, merged.names,
                          &merged.defaults, max_pairs_, review);
  }

  // Analyses rendered manifests (files, directories, `-`) instead of values.
  graph::Analysis analyze_manifests(const std::vector<std::string>& paths,
                                    const graph::Review& review = {}) {
    std::vector<values::Value> docs;
    std::vector<std::string> names;
    std::vector<graph::Warning> skipped;
    for (const auto& path : paths)
      for (const auto& file : manifest_files(path)) {
        const values::Source& source = read(file, "manifests", true);
        auto more = values::read_yaml_documents(source.text, source.name, limits(true));
        // A file found in a directory that holds no Kubernetes object (a tool's JSON
        // output beside the manifests) is skipped, said as a warning.
        if (file != path && std::none_of(more.begin(), more.end(), is_kubernetes_object)) {
          skipped.push_back(not_kubernetes(source.name));
          continue;
        }
        std::move(more.begin(), more.end(), std::back_inserter(docs));
        names.push_back(source.name);
      }
    graph::Profile p = profile();
    graph::Chart chart = graph::read_manifests(docs, o_.ns);
    chart.warnings.insert(chart.warnings.begin(), skipped.begin(), skipped.end());
    return graph::analyze(std::move(chart), std::move(p), names, max_pairs_, review);
  }

 private:
  // A file's text, read once and kept once (a shared file both sides use is read once;
  // excerpts view the same text).
  const values::Source& read(const std::string& path, const char* what, bool manifests = false) {
    auto known = sources_.find(path);
    if (known != sources_.end()) return known->second;
    values::Source& source = sources_[path];
    source.name = path == "-" ? "<stdin>" : path;
    source.text = read_input(path, what, in_, limits(manifests).max_bytes);
    texts_[source.name] = source.text;
    return source;
  }

  // The tree of a values file that more than one side reads (a diff's -f files, a file
  // given as both --old and --new), parsed on first use and kept; nullptr for the others,
  // which load_values parses and moves from.
  const values::Value* shared_tree(const std::string& path, const values::Source& source) {
    if (uses_[path] < 2) return nullptr;
    auto known = trees_.find(path);
    if (known == trees_.end())
      known =
          trees_.emplace(path, values::read_values_file(source.text, source.name, limits())).first;
    return &known->second;
  }

  graph::Profile profile() {
    const std::string choice = profile_choice(o_);
    if (choice == "none") return graph::Profile{};
    if (choice == "chart") {
      texts_[embedded::kChartProfileName] = embedded::kChartProfile;
      return graph::read_profile(embedded::chart_profile());
    }
    const values::Source& s = read(o_.profile, "profile");
    return graph::read_profile(values::read_yaml(s.text, s.name, limits()));
  }

  Merged merge(const std::vector<std::string>& side_files = {}) {
    values::Layers layers;
    if (o_.defaults_file.empty()) {
      layers.defaults = values::Source{embedded::kChartValuesName, embedded::kChartValues};
      layers.defaults_tree = embedded::chart_values();
      texts_[embedded::kChartValuesName] = embedded::kChartValues;
    } else {  // read once: the layering and the unknown-key schema both use the tree
      layers.defaults = read(o_.defaults_file, "defaults file");
      layers.defaults_tree =
          values::read_values_file(layers.defaults.text, layers.defaults.name, limits());
    }
    std::vector<std::string> names = {layers.defaults.name};
    if (std::count(o_.values_files.begin(), o_.values_files.end(), "-") +
            std::count(side_files.begin(), side_files.end(), "-") >
        1)
      throw Error("standard input (-) can be read only once");
    for (const auto* files : {&o_.values_files, &side_files})
      for (const auto& f : *files) {
        layers.files.push_back(read(f, "values file"));
        layers.file_trees.push_back(shared_tree(f, layers.files.back()));
        names.push_back(layers.files.back().name);
      }
    layers.set = o_.set;
    layers.set_string = o_.set_string;
    for (std::size_t i = 0; i < o_.set.size(); ++i) {
      texts_[values::set_source_name(i, false)] = o_.set[i];
      names.push_back("--set " + o_.set[i]);
    }
    for (std::size_t i = 0; i < o_.set_string.size(); ++i) {
      texts_[values::set_source_name(i, true)] = o_.set_string[i];
      names.push_back("--set-string " + o_.set_string[i]);
    }
    values::Value merged = values::load_values(layers, limits());
    return {std::move(merged), std::move(*layers.defaults_tree), std::move(names)};
  }

  graph::Analysis analyze_side(const std::vector<std::string>& side_files,
                               const graph::Review& review) {
    Merged merged = merge(side_files);
    graph::Profile p = profile();
    // The defaults are the schema that unknown keys are checked against.
    return graph::analyze(std::move(merged.values), std::move(p), o_.ns, merged.names,
                          &merged.defaults, max_pairs_, review);
  }

  // A values file is a few KiB; a cluster dump can be large (docs/robustness.md).
  values::ReadLimits limits(bool manifests = false) const {
    values::ReadLimits limits;
    std::size_t mib = o_.input_limit_mib ? o_.input_limit_mib
                      : manifests        ? kManifestsLimitMib
                                         : kValuesLimitMib;
    limits.max_bytes = mib << 20;
    // A values file of 8 MiB is some 300,000 nodes; a cluster dump can hold millions.
    limits.max_nodes = manifests ? kManifestsNodeBudget : kValuesNodeBudget;
    if (manifests) {
      limits.skip = &graph::manifest_skip();
      limits.json = true;
    }
    return limits;
  }

  const Options& o_;
  std::istream& in_;
  std::size_t max_pairs_;
  std::map<std::string, values::Source>& sources_;  // the run's (InputTexts)
  std::map<std::string, std::string_view>& texts_;  // views of sources_, Options, embedded
  std::map<std::string, int> uses_;             // how many sides read each values file (see use)
  std::map<std::string, values::Value> trees_;  // shared_tree's
};

// The values options given, by the name of the first: "-f", "--set", ...; "" for none.
std::string values_option_given(const Options& opts) {
  return !opts.values_files.empty()    ? "-f"
         : !opts.set.empty()           ? "--set"
         : !opts.set_string.empty()    ? "--set-string"
         : !opts.defaults_file.empty() ? "--defaults"
                                       : "";
}

// --manifests replaces the values; mixing them would leave it unclear what is analysed.
void check_manifests_alone(const Options& opts) {
  if (opts.manifests.empty()) return;
  std::string with = values_option_given(opts);
  if (!with.empty())
    throw Error(
        "--manifests reads rendered manifests instead of values; it cannot be combined "
        "with " +
        with + " (render those values into the manifests with `helm template`)");
}

// diff: a side is values or manifests; the shared values options need a values side.
void check_diff_manifests(const Options& opts) {
  bool old_m = !opts.old_manifests.empty(), new_m = !opts.new_manifests.empty();
  if (!old_m && !new_m) return;
  if ((old_m && !opts.old_files.empty()) || (new_m && !opts.new_files.empty()))
    throw Error("a diff side is either values (--old/--new) or manifests, not both");
  if (!opts.sides.empty())
    throw Error(
        "with --old-manifests/--new-manifests, give the values side with --old or "
        "--new, not as OLD NEW");
  std::string with = values_option_given(opts);
  if (old_m && new_m && !with.empty())
    throw Error(with + " has no side to apply to: both sides are manifests");
}

// At most this many warnings of one code go to stderr; the rest are counted in one line
// (`check` lists every one as a finding).
constexpr std::size_t kWarningsShownPerCode = 10;

struct SideWarnings {
  const char* side;  // "old", "new"; nullptr for a command with one input
  const std::vector<graph::Warning>* warnings;
};

// Prints the warnings of each side; a warning both sides of a diff have (a file they share)
// once, as "old and new". With --strict, any warning is an error (exit 2, nothing written).
void print_warnings(const Options& opts, std::ostream& err,
                    std::initializer_list<SideWarnings> sides) {
  struct Line {
    std::string label;
    const graph::Warning* w;
  };
  // Same place, path and message: the same warning (compared without formatting it).
  auto hash = [](const graph::Warning* warning) {
    std::size_t h = std::hash<std::string_view>{}(warning->message);
    h = h * 31 + std::hash<std::string_view>{}(warning->where.path);
    return h * 31 + static_cast<std::size_t>(warning->where.where.line);
  };
  auto same = [](const graph::Warning* a, const graph::Warning* b) {
    return a->where == b->where && a->message == b->message;
  };
  std::vector<Line> lines;
  std::unordered_map<const graph::Warning*, std::size_t, decltype(hash), decltype(same)> seen(
      0, hash, same);
  for (const SideWarnings& side : sides)
    for (const auto& w : *side.warnings) {
      if (sides.size() > 1) {
        auto [it, fresh] = seen.emplace(&w, lines.size());
        if (!fresh) {
          std::string& label = lines[it->second].label;
          if (label.find(side.side) == std::string::npos) label += std::string(" and ") + side.side;
          continue;
        }
      }
      lines.push_back({side.side ? side.side : "", &w});
    }
  // A code of severity info (objects of kinds not modelled) is a note: --strict lets it be.
  auto kind_of = [&](const std::string& code) {
    if (graph::severity_of(code) == graph::Severity::Info) return "note";
    return opts.strict ? "error" : "warning";
  };
  std::map<std::string, std::size_t> shown, hidden;
  std::size_t counted = 0;
  for (const Line& l : lines) {
    const char* kind = kind_of(l.w->code);
    counted += std::string(kind) != "note";
    if (++shown[l.w->code] > kWarningsShownPerCode) {
      ++hidden[l.w->code];
      continue;
    }
    err << said(kind) << (l.label.empty() ? "" : l.label + ": ") << l.w->str() << "\n";
  }
  for (const auto& [code, n] : hidden) {
    const char* kind = kind_of(code);
    err << said(kind) << n << " more " << (code.empty() ? "" : code + " ")
        << (n == 1 ? kind : std::string(kind) + "s") << " like the " << kWarningsShownPerCode
        << " above; `netpol-graph check` lists each\n";
  }
  if (opts.strict && counted > 0)
    throw Error(std::to_string(counted) + (counted == 1 ? " warning" : " warnings") +
                " with --strict (see above)");
}

void print_warnings(const Options& opts, const graph::Analysis& a, std::ostream& err) {
  print_warnings(opts, err, {{nullptr, &a.chart.warnings}});
}

// How graph, diff and report draw: the picture options with --layout read.
exporters::DiagramOptions picture_options(const Options& opts) {
  exporters::DiagramOptions options = opts.diagram;
  if (opts.layout == "dot") options.layout = exporters::Layout::Dot;
  if (opts.layout == "sfdp") options.layout = exporters::Layout::Sfdp;
  return options;
}

graph::ReachRequest reach_request(const Options& opts) {
  graph::ReachRequest request{opts.from, opts.to, {}, opts.explain};
  request.options.max_hops = opts.max_hops;
  if (!opts.port.empty()) {
    try {
      request.options.port = graph::parse_port_query(opts.port);
    } catch (const ValueError& e) {
      throw Error(std::string("--port: ") + e.what());
    }
  }
  return request;
}

// Seconds since the epoch as UTC, ISO 8601: "2026-11-28T11:46:21Z".
std::string utc_time(long long seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// check's --ignore and --baseline.
graph::Waivers waivers(const Options& opts, std::istream& in) {
  graph::Waivers w;
  for (const auto& text : opts.ignore) {
    try {
      w.ignore.push_back(graph::parse_ignore(text));
    } catch (const ValueError& e) {
      throw Error("--ignore " + text + ": " + e.what());
    }
  }
  if (!opts.baseline.empty()) {
    std::string text = read_input(opts.baseline, "baseline", in, kManifestsLimitMib << 20);
    try {
      w.baseline = exporters::read_baseline(text);
    } catch (const ValueError& error) {
      throw Error("--baseline " + opts.baseline + ": " + error.what());
    }
    w.baseline_name = opts.baseline;
  }
  return w;
}

// The two sides of `diff`: OLD and NEW positionally, or --old / --new.
std::pair<std::vector<std::string>, std::vector<std::string>> diff_sides(const Options& opts) {
  if (!opts.old_manifests.empty() || !opts.new_manifests.empty())
    return {opts.old_files, opts.new_files};
  if (opts.sides.size() == 1)
    throw Error("diff needs two sides: OLD and NEW, or --old and --new (got one file, " +
                opts.sides[0] + ")");
  std::vector<std::string> old_files = opts.old_files, new_files = opts.new_files;
  if (opts.sides.size() == 2) {
    old_files.insert(old_files.begin(), opts.sides[0]);
    new_files.insert(new_files.begin(), opts.sides[1]);
  }
  if (std::count(old_files.begin(), old_files.end(), "-") +
          std::count(new_files.begin(), new_files.end(), "-") >
      1)
    throw Error("standard input (-) can stand for one side only");
  if (old_files.empty() && new_files.empty())
    throw Error(
        "diff needs two sides to compare: netpol-graph diff OLD NEW, or --old FILE --new FILE");
  return {old_files, new_files};
}

// Writes a command's output, which `write` prints, to standard output as it is printed, a
// line at a time (so a large answer is never held whole), or to -o FILE atomically. No line
// of it can be taken for a CI command (text.hpp); `hash` is how the format escapes a '#'.
void emit(const Options& opts, std::ostream& out, std::string_view hash,
          const std::function<void(std::ostream&)>& write, bool binary = false) {
  bool to_file = !opts.output.empty() && opts.output != "-";
  std::ostringstream file;
  if (binary) {  // PNG, PDF: bytes, no lines to guard
    write(to_file ? file : out);
  } else {
    CommandGuardBuf guard(to_file ? file.rdbuf() : out.rdbuf(), hash);
    std::ostream guarded(&guard);
    write(guarded);
  }  // the last line passes on here
  if (to_file) write_atomically(opts.output, file.str());
}

// The format the command writes: --format, else the extension of -o, else its default.
const exporters::Format& format_of(const Options& opts) {
  return exporters::choose_format(opts.command, opts.format, opts.output);
}

exporters::WriteOptions write_options(const Options& opts) {
  exporters::WriteOptions wo;
  wo.view = opts.view == "effective" ? graph::View::Effective : graph::View::Documented;
  wo.diagram = picture_options(opts);
  wo.workloads = opts.workloads;
  return wo;
}

// One analysis of the inputs: the values layered, or the --manifests.
// What check asks of the analysis beyond its findings (--intent, --flows, --ignore, --baseline),
// and report (--flows); nothing for the other commands, which have none of those options.
graph::Review review(const Options& opts, Loader& loader, std::istream& in) {
  graph::Review r;
  if (!opts.intent.empty()) r.intents = loader.intents(opts.intent);
  if (!opts.flows.empty()) r.flows = loader.flows(opts.flows);
  r.waivers = waivers(opts, in);
  return r;
}

graph::Analysis analyze(const Options& opts, Loader& loader, std::istream& in) {
  check_manifests_alone(opts);
  graph::Review r = review(opts, loader, in);
  return opts.manifests.empty() ? loader.analyze({}, r)
                                : loader.analyze_manifests(opts.manifests, r);
}

// Writes an analysis in `format` to -o or standard output (an input error found while
// writing, a values key read late, reaches run as one found while reading).
void write_analysis(const Options& opts, Streams& io, const exporters::Format& format,
                    const graph::Analysis& analysis, const exporters::WriteOptions& wo) {
  emit(
      opts, io.out, exporters::ci_hash(format),
      [&](std::ostream& to) { exporters::write(format, analysis, wo, to); }, format.binary);
}

// How table, graph, reach, check and manifests start: the format chosen, the inputs read and
// analysed (handed over at exit, see KeepAtExit), their warnings printed.
struct Analyzed {
  Analyzed(const Options& opts, Streams& io)
      : format(format_of(opts)),
        loader(opts, io),
        analysis(analyze(opts, loader, io.in)),
        keep(opts, analysis) {
    print_warnings(opts, analysis, io.err);
  }
  const exporters::Format& format;
  Loader loader;
  graph::Analysis analysis;
  KeepAtExit<graph::Analysis> keep;
};

// table and graph: analyse the inputs and write the analysis.
int analyze_and_write(const Options& opts, Streams& io) {
  Analyzed a(opts, io);
  write_analysis(opts, io, a.format, a.analysis, write_options(opts));
  return 0;
}

// check's SARIF locations: relative to --sarif-root (default: the working directory).
exporters::SarifPaths sarif_paths(const Options& opts) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return {};
  fs::path root = opts.sarif_root.empty() ? cwd : fs::absolute(opts.sarif_root, ec);
  return {root.lexically_normal().generic_string(), cwd.generic_string()};
}

}  // namespace

namespace handlers {

int table(const Options& opts, Streams& io) {
  return analyze_and_write(opts, io);
}

int graph(const Options& opts, Streams& io) {
  return analyze_and_write(opts, io);
}

int reach(const Options& opts, Streams& io) {
  Analyzed analyzed(opts, io);
  graph::ReachReport reach = graph::answer_reach(analyzed.analysis, reach_request(opts));
  emit(
      opts, io.out, exporters::ci_hash(analyzed.format),
      [&](std::ostream& to) {
        exporters::write(analyzed.format, analyzed.analysis, reach, write_options(opts), to);
      },
      analyzed.format.binary);
  if (opts.expect.empty()) return 0;
  bool reachable = !reach.routes.empty();
  for (const auto& row : reach.hops)
    reachable = reachable || std::any_of(row.begin(), row.end(), [](int h) { return h >= 0; });
  if (reachable == (opts.expect == "reachable")) return 0;
  io.err << said() << "expected " << opts.expect << ", but "
         << (reachable ? "a path exists (above)" : "no path exists") << "\n";
  return 1;
}

int diff(const Options& opts, Streams& io) {
  check_diff_manifests(opts);
  const exporters::Format& format = format_of(opts);
  Loader loader(opts, io);
  auto [old_files, new_files] = diff_sides(opts);
  if (opts.old_manifests.empty()) loader.will_read(old_files);
  if (opts.new_manifests.empty()) loader.will_read(new_files);
  graph::Analysis old_side = opts.old_manifests.empty()
                                 ? loader.analyze(old_files)
                                 : loader.analyze_manifests(opts.old_manifests);
  graph::Analysis new_side = opts.new_manifests.empty()
                                 ? loader.analyze(new_files)
                                 : loader.analyze_manifests(opts.new_manifests);
  print_warnings(opts, io.err,
                 {{"old", &old_side.chart.warnings}, {"new", &new_side.chart.warnings}});
  graph::DiffReport report{old_side, new_side,
                           graph::diff_analyses(old_side, new_side, opts.max_pairs)};
  KeepAtExit keep(opts, old_side, new_side, report.diff);
  emit(
      opts, io.out, exporters::ci_hash(format),
      [&](std::ostream& to) { exporters::write(format, report, write_options(opts), to); },
      format.binary);
  if (opts.diff_fail_on == "widen") return report.diff.widens() ? 1 : 0;
  return report.diff.empty() ? 0 : 1;
}

int check(const Options& opts, Streams& io) {
  Analyzed analyzed(opts,
                    io);  // the intent rules' findings and the waivers applied (graph::Review)
  exporters::WriteOptions wo = write_options(opts);
  wo.sarif = sarif_paths(opts);
  write_analysis(opts, io, analyzed.format, analyzed.analysis, wo);
  graph::Severity threshold = graph::parse_severity(opts.check_fail_on);
  for (const auto& f : analyzed.analysis.findings)
    if (f.severity >= threshold && f.waived.empty()) return 1;
  return 0;
}

int manifests(const Options& opts, Streams& io) {
  Analyzed analyzed(opts, io);
  if (!analyzed.analysis.chart.enabled) {
    const auto& at = analyzed.analysis.chart.enabled_at;
    io.err << said() << "policies are disabled (" << at.path << " is not true"
           << (at.where.file.empty() ? "" : " at " + at.where.str())
           << "), so the chart renders no NetworkPolicy; nothing written\n";
    return 0;
  }
  write_analysis(opts, io, analyzed.format, analyzed.analysis, write_options(opts));
  return 0;
}

int values(const Options& opts, Streams& io) {
  const exporters::Format& format = format_of(opts);
  Loader loader(opts, io);
  Loader::Merged m = loader.merged_values();
  // No analysis: only the unknown keys every command warns about.
  std::vector<graph::Warning> unknown = graph::unknown_keys(m.values, m.defaults);
  print_warnings(opts, io.err, {{nullptr, &unknown}});
  exporters::WriteOptions wo = write_options(opts);
  wo.show_origin = opts.show_origin;
  emit(opts, io.out, exporters::ci_hash(format),
       [&](std::ostream& to) { exporters::write(format, m.values, wo, to); });
  return 0;
}

// How the bundle names an input file (README.md, index.html): relative to the bundle when it
// is beside it or under the folder that holds it ("../values.yaml", "../env/prod.yaml"),
// else by its file name, so that no absolute local path is shown. Other inputs ("<defaults>",
// "--set a=b", "-") as they are.
std::string shown_from_bundle(const std::string& input, const std::string& bundle) {
  namespace fs = std::filesystem;
  if (input.empty() || input == "-" || input.front() == '<' || input.rfind("--set", 0) == 0)
    return input;
  std::error_code ec;
  fs::path file = fs::absolute(input, ec).lexically_normal();
  fs::path dir = fs::absolute(bundle, ec).lexically_normal();
  if (ec) return fs::path(input).filename().string();
  fs::path rel = file.lexically_relative(dir);
  auto up = std::count_if(rel.begin(), rel.end(), [](const fs::path& p) { return p == ".."; });
  if (rel.empty() || up > 1) return file.filename().string();
  return rel.generic_string();
}

int report(const Options& opts, Streams& io) {
  Loader loader(opts, io);
  graph::Analysis analysis = analyze(opts, loader, io.in);
  KeepAtExit keep(opts, analysis);
  print_warnings(opts, analysis, io.err);
  exporters::BundleProvenance provenance{opts.command_line, utc_time(opts.now),
                                         loader.input_digests(analysis.inputs)};
  for (auto& i : provenance.inputs) i.shown = shown_from_bundle(i.name, opts.output);
  auto files = exporters::report_files(analysis, provenance, picture_options(opts));
  write_directory_atomically(opts.output, files);
  std::string names;
  for (const auto& f : files) names += (names.empty() ? "" : ", ") + f.first;
  io.out << said() << "wrote " << one_line(opts.output) << " (" << names << ")\n";
  return 0;
}

// The lines of a list, "  - a" each, at most `max` and a count of the rest.
void list_lines(std::ostream& err, const std::vector<std::string>& items, std::size_t max = 12) {
  for (std::size_t i = 0; i < items.size() && i < max; ++i)
    err << "  - " << one_line(items[i]) << "\n";
  if (items.size() > max) err << "  - and " << items.size() - max << " more\n";
}

int suggest(const Options& opts, Streams& io) {
  Loader loader(opts, io);
  graph::Review review_inputs = review(opts, loader, io.in);
  graph::Analysis before = loader.analyze({}, review_inputs);
  KeepAtExit keep(opts, before);
  print_warnings(opts, before, io.err);
  graph::SuggestOptions so;
  so.max_prefixes = opts.max_prefixes;
  graph::Suggestion suggestion = graph::suggest(before, review_inputs, so);
  // Verified before anything is written: the inputs analysed again with the overlay last.
  graph::Analysis after = loader.analyze_with(suggestion.tree(), review_inputs);
  graph::SuggestCheck check = graph::check_suggestion(before, after);
  std::string asks;
  for (const auto& a : suggestion.asks) asks += (asks.empty() ? "" : ", ") + a;
  io.err << said() << "kept what is asked for: "
         << (asks.empty() ? "nothing asks (no profile needs, intent or flows)" : asks) << "\n";
  if (!check.ok()) {
    io.err << said() << "the overlay failed its check, so it is not written (a bug: please "
           << "report it with the inputs):\n";
    if (check.widens) io.err << "  - diff inputs -> inputs + overlay widens some access\n";
    list_lines(io.err, check.broken, 100);
    return 2;
  }
  std::vector<std::string> header = {
      "netpol-graph suggest: the least-privilege overlay for " +
          [&] {
            std::string names;
            for (std::size_t i = 1; i < before.inputs.size(); ++i)
              names += (names.size() ? ", " : "") + before.inputs[i];
            return names.empty() ? std::string("the chart defaults") : names;
          }(),
      "Add it as the last -f (helm upgrade ... -f overlay.yaml). " +
          (asks.empty()
               ? std::string("Nothing asks for access (no profile needs, intent or flows).")
               : "Kept: " + asks + "."),
      "Checked: diff inputs -> inputs + overlay only narrows (" + std::to_string(check.changes) +
          " access changes, none widens); every need, intent allow and flow still allowed."};
  emit(opts, io.out, exporters::ci_hash_for_file(".yaml"),
       [&](std::ostream& to) { exporters::write_overlay_yaml(suggestion, header, to); });
  io.err << said() << suggestion.keys.size() << (suggestion.keys.size() == 1 ? " key" : " keys")
         << " in the overlay; with it layered last, " << check.changes
         << (check.changes == 1 ? " access change" : " access changes")
         << ", none widens; every need, intent allow and flow is still allowed\n";
  if (!check.counts.empty()) {
    std::string counts;
    for (const auto& n : check.counts) counts += (counts.empty() ? "" : ", ") + n;
    io.err << said() << "findings, without -> with it: " << counts << "\n";
  }
  if (!check.remaining.empty()) {
    io.err << said() << "over-permission left (" << check.remaining.size() << "):\n";
    list_lines(io.err, check.remaining);
  }
  if (!check.unmet.empty()) {
    io.err << said() << "asked for but not allowed by the inputs either (the overlay never opens "
           << "access; `check` says what to change) (" << check.unmet.size() << "):\n";
    list_lines(io.err, check.unmet);
  }
  if (!suggestion.unexpressible.empty()) {
    io.err << said() << "left as it is, since the values cannot say it narrower ("
           << suggestion.unexpressible.size() << "):\n";
    list_lines(io.err, suggestion.unexpressible);
  }
  return 0;
}

int node_ids(const Options& opts, Streams& io) {
  Loader loader(opts, io);
  graph::Analysis analysis = analyze(opts, loader, io.in);
  const graph::PolicyGraph& g = analysis.graph;
  for (graph::PolicyGraph::Vertex v : g.nodes()) {
    graph::NodeKind k = g.node(v).kind;
    if (k != graph::NodeKind::ClassSenders && k != graph::NodeKind::ClassReceivers)
      io.out << g.node(v).id << "\n";
  }
  return 0;
}

}  // namespace handlers

int run(const Options& opts, std::istream& in, std::ostream& out, std::ostream& err) {
  const Command* command = find_command(opts.command);
  if (!command) throw Error("unknown command \"" + one_line(opts.command) + "\"");
  // Nothing is read before an output that would replace an input is refused.
  std::vector<std::string> inputs = opts.values_files;
  for (const auto* list : {&opts.manifests, &opts.sides, &opts.old_files, &opts.new_files,
                           &opts.old_manifests, &opts.new_manifests, &opts.flows})
    inputs.insert(inputs.end(), list->begin(), list->end());
  for (const auto* file : {&opts.defaults_file, &opts.baseline, &opts.intent})
    inputs.push_back(*file);
  if (opts.profile != "none" && opts.profile != "chart") inputs.push_back(opts.profile);
  check_output_is_no_input(opts.output, opts.command == "report", inputs);
  // Loading Graphviz overlaps with reading the inputs.
  if (command->graphviz == Graphviz::Always ||
      (command->graphviz == Graphviz::ForPictures && format_of(opts).picture))
    exporters::preload_graphviz();
  InputTexts texts;
  Streams io{in, out, err, texts};
  try {
    return command->run(opts, io);
  } catch (const InputError& e) {  // the one place an input error gets its line and caret
    throw Error(e.what(), excerpt(e, texts.texts));
  }
}

}  // namespace netpol::cli
