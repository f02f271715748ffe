#include <iostream>
#include <iterator>
#include <map>
#include <sstream>

#include "cli/cli.hpp"
#include "cli/io.hpp"
#include "embedded.hpp"
#include "exporters/formats.hpp"
#include "exporters/graphviz_runtime.hpp"
#include "graph/analysis.hpp"
#include "graph/reach_report.hpp"
#include "values/loader.hpp"

namespace netpol::cli {
namespace {

// Reads every input once and keeps its text for error excerpts.
struct Inputs {
  values::Layers layers;
  std::vector<std::string> names;
  std::map<std::string, std::string> texts;

  values::Source read(const std::string& path, std::istream& in, bool& stdin_used) {
    values::Source s;
    if (path == "-") {
      if (stdin_used) throw Error("standard input (-) can be read only once");
      stdin_used = true;
      s.name = "<stdin>";
      s.text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    } else {
      s.name = path;
      s.text = read_file(path, "values file");
    }
    texts[s.name] = s.text;
    return s;
  }
};

graph::Profile load_profile(const Options& o, std::map<std::string, std::string>& texts) {
  if (o.profile == "none") return graph::Profile{};
  values::Source s{"<profile>", embedded::kChartProfile};
  if (!o.profile.empty()) s = {o.profile, read_file(o.profile, "profile")};
  texts[s.name] = s.text;
  return graph::read_profile(values::read_yaml(s.text, s.name));
}

graph::Analysis analyze(const Options& o, std::istream& in,
                        std::map<std::string, std::string>& texts) {
  Inputs inputs;
  bool stdin_used = false;
  if (o.defaults_file.empty()) {
    inputs.layers.defaults = {"<defaults>", embedded::kChartValues};
    inputs.texts["<defaults>"] = inputs.layers.defaults.text;
  } else {
    inputs.layers.defaults = {o.defaults_file, read_file(o.defaults_file, "defaults file")};
    inputs.texts[o.defaults_file] = inputs.layers.defaults.text;
  }
  inputs.names.push_back(inputs.layers.defaults.name);
  for (const auto& f : o.values_files) {
    inputs.layers.files.push_back(inputs.read(f, in, stdin_used));
    inputs.names.push_back(inputs.layers.files.back().name);
  }
  inputs.layers.set = o.set;
  inputs.layers.set_string = o.set_string;
  for (std::size_t i = 0; i < o.set.size(); ++i) {
    inputs.texts[values::set_source_name(i, false)] = o.set[i];
    inputs.names.push_back("--set " + o.set[i]);
  }
  for (std::size_t i = 0; i < o.set_string.size(); ++i) {
    inputs.texts[values::set_source_name(i, true)] = o.set_string[i];
    inputs.names.push_back("--set-string " + o.set_string[i]);
  }
  texts = inputs.texts;
  graph::Profile profile = load_profile(o, texts);
  values::Value merged = values::load_values(inputs.layers);
  return graph::analyze(merged, std::move(profile), o.ns, inputs.names);
}

}  // namespace

int run(const Options& o, std::istream& in, std::ostream& out, std::ostream& err) {
  std::map<std::string, std::string> texts;
  const exporters::Format& format = exporters::choose_format(o.command, o.format, o.output);
  if (format.name == "svg") exporters::preload_graphviz();  // overlaps with reading values
  graph::Analysis analysis;
  try {
    analysis = analyze(o, in, texts);
  } catch (const InputError& e) {
    throw Error(with_excerpt(e, texts));
  }
  for (const auto& w : analysis.chart.warnings) err << "netpol-graph: warning: " << w.str() << "\n";

  exporters::WriteOptions wo;
  graph::ReachReport reach;
  if (o.command == "reach") {
    graph::ReachRequest request{o.from, o.to, {}, o.explain};
    request.options.max_hops = o.max_hops;
    if (!o.port.empty()) {
      try {
        request.options.port = graph::parse_port_query(o.port);
      } catch (const ValueError& e) {
        throw Error(std::string("--port: ") + e.what());
      }
    }
    reach = graph::answer_reach(analysis, request);
    wo.reach = &reach;
  }
  wo.view = o.view == "effective" ? graph::View::Effective : graph::View::Documented;
  wo.every_edge = o.every_edge;
  std::ostringstream buf;
  format.write(analysis, wo, buf);
  if (o.output.empty() || o.output == "-")
    out << buf.str();
  else
    write_atomically(o.output, buf.str());
  return 0;
}

}  // namespace netpol::cli
