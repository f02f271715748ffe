#pragma once
// Shared helpers for the unit tests: analyse inline values over the embedded chart defaults.

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "embedded.hpp"
#include "error.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/read/read_manifests.hpp"
#include "values/loader.hpp"

namespace netpol::test {

inline graph::Profile embedded_profile() {
  return graph::read_profile(values::read_yaml(embedded::kChartProfile, "<profile>"));
}

// Merges `user_yaml` (as file "values.yaml") and `set` over the embedded defaults.
inline values::Value merged_values(const std::string& user_yaml, std::vector<std::string> set = {},
                                   std::vector<std::string> set_string = {}) {
  values::Layers layers;
  layers.defaults = {"<defaults>", embedded::kChartValues};
  if (!user_yaml.empty()) layers.files.push_back({"values.yaml", user_yaml});
  layers.set = std::move(set);
  layers.set_string = std::move(set_string);
  return values::load_values(layers);
}

inline graph::Analysis analyze_values(const std::string& user_yaml,
                                      std::vector<std::string> set = {}) {
  return graph::analyze(merged_values(user_yaml, std::move(set)), embedded_profile(), "default",
                        {"<defaults>", "values.yaml"});
}

// A Deployment `name` in namespace `ns`, its pods labelled app=`name`, as manifests YAML
// (ending in a document separator, so that several concatenate).
inline std::string deployment(const std::string& name, const std::string& ns) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + ", namespace: " + ns +
         "}\nspec:\n  selector: {matchLabels: {app: " + name +
         "}}\n  template: {metadata: {labels: {app: " + name +
         "}}, spec: {containers: [{name: c, image: x}]}}\n---\n";
}

// Analyses Kubernetes manifests (YAML, as file "m.yaml") with no profile, as the command line
// does when every input is manifests; `ns` the namespace of objects that name none.
inline graph::Analysis analyze_manifests(const std::string& yaml,
                                         const std::string& ns = "default") {
  std::vector<values::Value> docs = values::read_yaml_documents(yaml, "m.yaml");
  return graph::analyze(graph::read_manifests(docs, ns), graph::Profile{}, {"m.yaml"});
}

// The ports of the graph's edge from node `from` to node `to`, or "(no edge)".
inline std::string edge_ports(const graph::Analysis& a, const std::string& from,
                              const std::string& to) {
  auto f = a.graph.find(from), t = a.graph.find(to);
  if (!f || !t) return "(no edge)";
  return a.graph.has_edge(*f, *t) ? a.graph.edge({*f, *t}).ports.label() : "(no edge)";
}

// TCP ports lo to hi (lo alone when hi is 0).
inline graph::PortSet tcp(int lo, int hi = 0) {
  graph::PortSet p;
  p.add_range(graph::Protocol::TCP, lo, hi ? hi : lo);
  return p;
}

// The message of the InputError that `f` throws, or "" when it throws nothing.
template <typename F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// A fresh directory under /tmp, removed with everything in it when the object goes.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/netpol-test-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // The path of `name` in it, written with `text` when that is not empty.
  std::string file(const std::string& name, const std::string& text = "") const {
    std::string p = path + "/" + name;
    if (!text.empty()) std::ofstream(p) << text;
    return p;
  }
};

// A file's whole content.
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline const std::string kEnabled = "global:\n  networkPolicy:\n    enabled: true\n";

}  // namespace netpol::test
