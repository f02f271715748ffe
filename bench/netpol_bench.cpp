// Google Benchmark cases for each stage of netpol-graph, on one values file:
//   netpol-bench VALUES.yaml [--benchmark_format=json ...]
// The file is layered over empty defaults (so N services are exactly the file's), with the
// embedded profile. bench/scale.py runs this on generated charts of growing size.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "embedded.hpp"
#include "exporters/dot.hpp"
#include "exporters/findings.hpp"
#include "exporters/json.hpp"
#include "exporters/manifests.hpp"
#include "exporters/markdown_table.hpp"
#include "exporters/mermaid.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/diff.hpp"
#include "graph/analysis/reach.hpp"
#include "graph/read/read_chart.hpp"
#include "values/loader.hpp"
#include "yaml_walk.hpp"

namespace {

using namespace netpol;

std::string g_text;

values::Layers layers() {
  values::Layers l;
  l.defaults = {"<empty>", ""};
  l.files.push_back({"values.yaml", g_text});
  return l;
}

graph::Profile profile() {
  return graph::read_profile(values::read_yaml(embedded::kChartProfile, "<profile>"));
}

const graph::Analysis& analysis() {
  static const graph::Analysis a =
      graph::analyze(values::load_values(layers()), profile(), "default", {"values.yaml"});
  return a;
}

// The floor: yaml-cpp alone parsing the same text and visiting every node once.
void yaml_cpp_alone(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(bench::walk(YAML::Load(g_text)));
}

void load_and_merge(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(values::load_values(layers()));
}

void read_chart(benchmark::State& state) {
  values::Value merged = values::load_values(layers());
  graph::Profile p = profile();
  for (auto _ : state) benchmark::DoNotOptimize(graph::read_chart(merged, p, "default"));
}

void build_graph(benchmark::State& state) {
  const graph::Analysis& a = analysis();
  for (auto _ : state) benchmark::DoNotOptimize(graph::build_graph(a.chart, a.profile));
}

void documented_vs_effective(benchmark::State& state) {
  const graph::Analysis& a = analysis();
  for (auto _ : state) {
    auto cmp = graph::compare_documented(a.graph, a.chart, a.profile);
    benchmark::DoNotOptimize(
        graph::communication_map(a.graph, a.chart, a.profile, cmp, graph::View::Documented));
    benchmark::DoNotOptimize(
        graph::communication_map(a.graph, a.chart, a.profile, cmp, graph::View::Effective));
  }
}

void findings(benchmark::State& state) {
  const graph::Analysis& a = analysis();
  for (auto _ : state) benchmark::DoNotOptimize(graph::find_issues(a));
}

void reach_from_any_source(benchmark::State& state) {
  const graph::Analysis& a = analysis();
  auto from = a.graph.find("any-source");
  for (auto _ : state)
    if (from) benchmark::DoNotOptimize(graph::reach_from(a.graph, *from));
}

void reach_from_every_service(benchmark::State& state) {
  const graph::Analysis& a = analysis();
  for (auto _ : state)
    for (const auto& s : a.chart.services)
      benchmark::DoNotOptimize(graph::reach_from(a.graph, *a.graph.find(s.name)));
}

// What the `reach` matrix computes: every root and service against every node, at once.
void reach_from_every_start(benchmark::State& state) {
  const graph::Analysis& a = analysis();
  std::vector<graph::PolicyGraph::Vertex> starts = graph::roots(a.graph);
  for (const auto& s : a.chart.services) starts.push_back(*a.graph.find(s.name));
  for (auto _ : state) {
    std::size_t pairs = 0;
    graph::reach_all(a.graph, starts, {},
                     [&](std::size_t, graph::PolicyGraph::Vertex, int) { ++pairs; });
    benchmark::DoNotOptimize(pairs);
  }
}

void diff(benchmark::State& state) {
  const graph::Analysis& a = analysis();
  for (auto _ : state) benchmark::DoNotOptimize(graph::diff_analyses(a, a));
}

template <typename F>
void writer(benchmark::State& state, F write) {
  const graph::Analysis& a = analysis();
  for (auto _ : state) {
    std::ostringstream out;
    write(a, out);
    benchmark::DoNotOptimize(out.str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') {
    std::cerr << "usage: netpol-bench VALUES.yaml [benchmark options]\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  g_text = text.str();
  argv[1] = argv[0];  // hand the rest to Google Benchmark
  --argc;
  ++argv;
  benchmark::RegisterBenchmark("yaml-cpp alone", yaml_cpp_alone);
  benchmark::RegisterBenchmark("load and merge", load_and_merge);
  benchmark::RegisterBenchmark("read chart", read_chart);
  benchmark::RegisterBenchmark("build graph", build_graph);
  benchmark::RegisterBenchmark("documented vs effective", documented_vs_effective);
  benchmark::RegisterBenchmark("findings", findings);
  benchmark::RegisterBenchmark("reach from any-source", reach_from_any_source);
  benchmark::RegisterBenchmark("reach from every service (one BFS each)", reach_from_every_service);
  benchmark::RegisterBenchmark("reach from every start (bitsets)", reach_from_every_start);
  benchmark::RegisterBenchmark("diff", diff);
  benchmark::RegisterBenchmark("write table", [](benchmark::State& s) {
    writer(s, [](const graph::Analysis& a, std::ostream& o) {
      exporters::write_markdown_table(a.effective(), o);
    });
  });
  benchmark::RegisterBenchmark("write dot", [](benchmark::State& s) {
    writer(s, [](const graph::Analysis& a, std::ostream& o) { exporters::write_dot(a, {}, o); });
  });
  benchmark::RegisterBenchmark("write mermaid", [](benchmark::State& s) {
    writer(s,
           [](const graph::Analysis& a, std::ostream& o) { exporters::write_mermaid(a, {}, o); });
  });
  benchmark::RegisterBenchmark("write json", [](benchmark::State& s) {
    writer(s, [](const graph::Analysis& a, std::ostream& o) { exporters::write_json(a, o); });
  });
  benchmark::RegisterBenchmark("write sarif", [](benchmark::State& s) {
    writer(s, [](const graph::Analysis& a, std::ostream& o) {
      exporters::write_findings_sarif(a, {}, o);
    });
  });
  benchmark::RegisterBenchmark("write manifests", [](benchmark::State& s) {
    writer(s, [](const graph::Analysis& a, std::ostream& o) {
      exporters::write_manifests(a, true, o);
    });
  });
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
