#include <map>
#include <set>
#include <sstream>

#include "exporters/diagram.hpp"
#include "exporters/diagram_stages.hpp"
#include "exporters/dot.hpp"
#include "exporters/graphviz_runtime.hpp"
#include "random_selectors.hpp"
#include "support.hpp"
#include "text.hpp"

using namespace netpol;
using exporters::DiagramEdge;
using exporters::Look;

namespace {

using test::deployment;

const exporters::DiagramNode& node(const exporters::Diagram& d, const std::string& id) {
  for (const auto& n : d.nodes)
    if (n.id == id) return n;
  FAIL("no node " << id);
  throw;
}

std::vector<std::string> edges_to(const exporters::Diagram& d, const std::string& to) {
  std::vector<std::string> out;
  for (const auto& e : d.edges)
    if (e.to == to && !e.invisible)
      out.push_back((e.from.empty() ? "(namespace)" : e.from) + ": " + e.label);
  return out;
}

// The enabled defaults plus `n` workers that all send to ingest on 4318, which admits them;
// every `exposed`-th one is open to any source.
std::string workers(int n, int exposed) {
  std::string y = test::kEnabled + "ingest:\n  networkPolicy:\n    ingressFrom:\n";
  for (int i = 0; i < n; ++i)
    y += "      - app: w" + std::to_string(i) + "\n        ports: [4318]\n";
  for (int i = 0; i < n; ++i)
    y += "w" + std::to_string(i) + ":\n  service:\n    port: 9000\n  networkPolicy:\n" +
         "    allowExternal: " + (i % exposed == 0 ? "true" : "false") +
         "\n    egressTo:\n      - app: ingest\n        ports: [4318]\n";
  return y;
}

// The junction a bundle to `to` meets at.
std::vector<std::string> edges_of_bundle(const exporters::Diagram& d, const std::string& to) {
  std::vector<std::string> out;
  for (const auto& e : d.edges)
    if (e.to == to && e.from.rfind("netpol-graph:junction:", 0) == 0) out.push_back(e.from);
  if (out.empty()) FAIL("no junction into " << to);
  return out;
}

std::size_t drawn(const exporters::Diagram& d) {
  return static_cast<std::size_t>(std::count_if(
      d.nodes.begin(), d.nodes.end(), [](const auto& n) { return n.look != Look::Junction; }));
}

std::size_t count_from(const exporters::Diagram& d, const std::string& from) {
  return static_cast<std::size_t>(std::count_if(
      d.edges.begin(), d.edges.end(), [&](const DiagramEdge& e) { return e.from == from; }));
}

}  // namespace

TEST_SUITE("exporters: diagram") {
  TEST_CASE("edges that share a destination and ports are one bundle with one label") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::Diagram d = exporters::make_diagram(a, {});
    // Outside the namespace, every service alike: one edge from the namespace.
    CHECK(edges_to(d, "dns") ==
          std::vector<std::string>{"(namespace): every service:\nTCP 53; UDP 53"});
    CHECK(edges_to(d, "ext:S3") ==
          std::vector<std::string>{"(namespace): every service:\nTCP 443"});
    // Inside it, the five senders of meta meet at a junction; one labelled edge goes on.
    REQUIRE(edges_to(d, "meta").size() == 1);
    const std::string junction = edges_of_bundle(d, "meta").front();
    CHECK(node(d, junction).look == Look::Junction);
    CHECK(edges_to(d, "meta") == std::vector<std::string>{junction + ": TCP 9500"});
    std::vector<std::string> into = edges_to(d, junction);
    std::sort(into.begin(), into.end());
    CHECK(into ==
          std::vector<std::string>{"ingest: ", "janitor: ", "nursery: ", "query: ", "ui: "});
    exporters::DiagramOptions every;
    every.every_edge = true;
    exporters::Diagram all = exporters::make_diagram(a, every);
    CHECK(edges_to(all, "dns").size() == 6);
    CHECK(edges_to(all, "meta").size() == 5);
  }

  TEST_CASE(
      "a bundle says which services it leaves out, up to two, then then it meets at a junction") {
    graph::Analysis a = test::analyze_values(
        test::kEnabled + "meta:\n  networkPolicy:\n    allowExternalEgress: false\n");
    exporters::Diagram d = exporters::make_diagram(a, {});
    // Into an address destination, who on two lines: the row of those labels stays narrow.
    CHECK(edges_to(d, "ext:S3") ==
          std::vector<std::string>{"(namespace): every service\nbut meta:\nTCP 443"});
    CHECK(edges_to(d, "dns").size() == 1);  // DNS is still alike for all
    std::string three = test::kEnabled;
    for (const char* s : {"meta", "query", "ingest"})
      three += std::string(s) + ":\n  networkPolicy:\n    allowExternalEgress: false\n";
    exporters::Diagram j = exporters::make_diagram(test::analyze_values(three), {});
    REQUIRE(edges_to(j, "ext:S3").size() == 1);
    const std::string junction = edges_of_bundle(j, "ext:S3").front();
    CHECK(node(j, junction).look == Look::Junction);
    CHECK(edges_to(j, junction).size() == 3);  // janitor, ui, nursery
    CHECK(edges_to(j, "ext:S3") == std::vector<std::string>{junction + ": TCP 443"});
  }

  TEST_CASE("a node that reaches every service on the same ports is one edge into the namespace") {
    std::string y = test::kEnabled +
                    "    additionalIngress:\n      - from:\n          - namespaceSelector:\n"
                    "              matchLabels: {name: monitoring}\n        ports: [9090]\n";
    graph::Analysis a = test::analyze_values(y);
    exporters::Diagram d = exporters::make_diagram(a, {});
    std::vector<std::string> from_monitoring;
    for (const auto& e : d.edges)
      if (e.from.find("monitoring") != std::string::npos)
        from_monitoring.push_back((e.to.empty() ? "(namespace)" : e.to) + ": " + e.label);
    CHECK(from_monitoring == std::vector<std::string>{"(namespace): every service:\nTCP 9090"});
    exporters::DiagramOptions every;
    every.every_edge = true;
    exporters::Diagram all = exporters::make_diagram(a, every);
    CHECK(std::count_if(all.edges.begin(), all.edges.end(), [](const auto& e) {
            return e.from.find("monitoring") != std::string::npos;
          }) == 6);
    // The same rule on every service but meta: the label names the one left out.
    std::string but = test::kEnabled;
    for (const char* s : {"query", "ingest", "janitor", "ui", "nursery"})
      but += std::string(s) +
             ":\n  networkPolicy:\n    additionalIngress:\n      - from:\n"
             "          - namespaceSelector:\n              matchLabels: {name: monitoring}\n"
             "        ports: [9090]\n";
    exporters::Diagram b = exporters::make_diagram(test::analyze_values(but), {});
    std::vector<std::string> labels;
    for (const auto& e : b.edges)
      if (e.from.find("monitoring") != std::string::npos) labels.push_back(e.label);
    CHECK(labels == std::vector<std::string>{"every service but meta:\nTCP 9090"});
  }

  TEST_CASE("long labels wrap at 40 characters, the whole text in the tooltip") {
    CHECK(exporters::wrap_label("short") == std::vector<std::string>{"short"});
    std::string words;
    for (int i = 0; i < 12; ++i) words += "word" + std::to_string(i) + " ";
    auto lines = exporters::wrap_label(words);
    CHECK(lines.size() == 2);
    for (const auto& l : lines) CHECK(l.size() <= exporters::kLabelWidth);
    CHECK(lines[0] + " " + lines[1] + " " == words);
    // A word wider than a line is cut; past four lines the last ends in "...".
    auto cut = exporters::wrap_label(std::string(100, 'x'));
    CHECK(cut == std::vector<std::string>{std::string(40, 'x'), std::string(40, 'x'),
                                          std::string(20, 'x')});
    auto shortened = exporters::wrap_label(std::string(300, 'y'), 2);
    REQUIRE(shortened.size() == 2);
    CHECK(shortened[1] == std::string(37, 'y') + "...");
    // Widths count code points: 40 two-byte letters fit on a line.
    std::string greek;
    for (int i = 0; i < 40; ++i) greek += "\u03b1";
    CHECK(exporters::wrap_label(greek).size() == 1);
    graph::Analysis a = test::analyze_values(
        test::kEnabled + "    externalEgress:\n      - cidr: 10.0.0.0/8\n        except: [" +
        "10.1.0.0/16, 10.2.0.0/16, 10.3.0.0/16, 10.4.0.0/16, 10.5.0.0/16]\n" +
        "        ports: [443]\n");
    exporters::Diagram d = exporters::make_diagram(a, {});
    const auto& ext = node(d, "ext:S3");
    for (const auto& l : ext.lines) CHECK(l.size() <= exporters::kLabelWidth);
    CHECK(ext.tooltip.find("10.5.0.0/16") != std::string::npos);
  }

  TEST_CASE("a protocol stays with its port when a label wraps") {
    using exporters::wrap_label;
    CHECK(wrap_label("(was 0.0.0.0/0); TCP 443", 4, 20) ==
          std::vector<std::string>{"(was 0.0.0.0/0);", "TCP 443"});
    CHECK(wrap_label("UDP 53, 5353 and SCTP 9", 4, 10) ==
          std::vector<std::string>{"UDP 53,", "5353 and", "SCTP 9"});
    // Only a protocol's name: "ATCP 1" breaks as words do.
    CHECK(wrap_label("xx ATCP 1", 4, 7) == std::vector<std::string>{"xx ATCP", "1"});
  }

  TEST_CASE("what is said into an address destination wraps at 20, a line a part") {
    // The production sample against the chart with policies on: the diff's labels into S3 and
    // PostgreSQL.
    graph::Analysis enabled = test::analyze_values(test::kEnabled);
    graph::Analysis production =
        test::analyze_values(test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/production.yaml"));
    graph::DiffReport report{enabled, production, graph::diff_analyses(enabled, production)};
    exporters::Diagram d = exporters::make_diff_diagram(report, {});
    std::map<std::string, std::string> into;  // janitor's removed edges, by destination
    for (const auto& e : d.edges)
      if (e.from == "janitor" && e.change == graph::Change::Removed) into[e.to] = e.label;
    CHECK(into["ext:S3"] == "removed:\n0.0.0.0/0;\nTCP 443");
    CHECK(into["ext:PostgreSQL"] == "removed:\n0.0.0.0/0;\nTCP 5432");
    bool narrowed = false;
    for (const auto& e : d.edges)
      if (e.to == "ext:S3" && e.change == graph::Change::Narrowed) {
        narrowed = true;
        CHECK(e.label ==
              "every service\nbut janitor:\nnarrowed: addresses\n10.0.0.0/16 (except\n"
              "10.0.99.0/24)\n(was 0.0.0.0/0);\nTCP 443");
        CHECK(e.tooltip ==
              "every service but janitor: narrowed: addresses 10.0.0.0/16 (except "
              "10.0.99.0/24) (was 0.0.0.0/0); TCP 443");
      }
    CHECK(narrowed);
  }

  TEST_CASE("a picture's title names its inputs: files by name, stdin, --set, pipes whole") {
    using exporters::input_names;
    CHECK(input_names({"<defaults>"}) == "the chart's defaults");
    CHECK(input_names({"<defaults>", "deploy/prod.yaml", "../x/extra.yaml"}) ==
          "prod.yaml, extra.yaml");
    // Read from standard input, values or manifests: not the chart's defaults.
    CHECK(input_names({"<defaults>", "<stdin>"}) == "standard input");
    CHECK(input_names({"<stdin>"}) == "standard input");
    // A --set whose value holds a '/', and what its file name alone would not say.
    CHECK(input_names({"<defaults>", "prod.yaml", "--set a.cidr=10.0.0.0/8"}) ==
          "prod.yaml, --set a.cidr=10.0.0.0/8");
    CHECK(input_names({"/dev/fd/63"}) == "/dev/fd/63");
    CHECK(input_names({"/dev/null", "prod.yaml"}) == "/dev/null, prod.yaml");
    CHECK(input_names({"/proc/self/fd/0"}) == "/proc/self/fd/0");
    CHECK(input_names({"dir/"}) == "dir/");
  }

  TEST_CASE("a picture's title, source and notes wrap at 60, a long title after its colon") {
    exporters::Diagram d;
    d.title = "Changes in effective access: 7 added, 3 removed, 0 widened, 10 narrowed, 0 changed";
    d.source = "enabled.yaml -> production.yaml, netpol-graph 0.1.0";
    d.notes = {
        "12 nodes (more than --max-nodes 11): only the changes drawn, 16 unchanged edges "
        "and 2 nodes without a change left out"};
    CHECK(exporters::title_lines(d) ==
          std::vector<std::string>{"Changes in effective access:",
                                   "7 added, 3 removed, 0 widened, 10 narrowed, 0 changed",
                                   "enabled.yaml -> production.yaml, netpol-graph 0.1.0",
                                   "12 nodes (more than --max-nodes 11): only the changes drawn,",
                                   "16 unchanged edges and 2 nodes without a change left out"});
    // A short title stays whole, its colon or not.
    d.title = "Reach: what any-source reaches";
    d.source.clear();
    d.notes.clear();
    CHECK(exporters::title_lines(d) == std::vector<std::string>{"Reach: what any-source reaches"});
  }

  TEST_CASE("address destinations wrap narrower, at separators, parentheses kept whole") {
    using exporters::wrap_label;
    // A parenthesis that fits a line stays whole; one that does not wraps as words.
    CHECK(wrap_label("0.0.0.0/0 (any address)", 4, 20) ==
          std::vector<std::string>{"0.0.0.0/0", "(any address)"});
    CHECK(wrap_label("a (b c d e f g h i j k) z", 4, 10) ==
          std::vector<std::string>{"a (b c d e", "f g h i j", "k) z"});
    CHECK(wrap_label("(x y) z", 4, 40) == std::vector<std::string>{"(x y) z"});
    // A word wider than a line is cut after its last separator that fits, else where full.
    CHECK(wrap_label("otel-collector.monitoring:4317", 4, 20) ==
          std::vector<std::string>{"otel-collector.", "monitoring:4317"});
    CHECK(wrap_label(std::string(25, 'x'), 4, 20) ==
          std::vector<std::string>{std::string(20, 'x'), std::string(5, 'x')});
    // In a picture: the lines of an external, an OTLP collector; a source keeps 40.
    graph::Analysis a = test::analyze_values(
        test::kEnabled +
        "    externalEgress:\n      - cidr: 10.0.0.0/16\n        except: [10.0.99.0/24]\n"
        "        ports: [443]\n");
    exporters::Diagram d = exporters::make_diagram(a, {});
    for (const exporters::DiagramNode& n : d.nodes) {
      const bool address =
          n.place == exporters::Place::Destination &&
          (n.look == Look::External || n.look == Look::OpenWorld || n.look == Look::Otlp);
      for (const auto& line : n.lines) {
        const std::string what = n.id + ": " + line;
        const std::size_t width = address ? exporters::kDestinationWidth : exporters::kLabelWidth;
        CHECK_MESSAGE(line.size() <= width, what);
      }
    }
    CHECK(node(d, "ext:S3").lines ==
          std::vector<std::string>{"S3", "10.0.0.0/16 except", "10.0.99.0/24", "TCP 443"});
    CHECK(node(d, "ext:S3").tooltip == "S3 10.0.0.0/16 except 10.0.99.0/24 TCP 443");
  }

  TEST_CASE(
      "a selector's ellipse wraps at 28 in balanced lines, where no word or parenthesis breaks and "
      "no line ends in a word that leads into the next") {
    auto selector_lines = [](const std::string& peer) {
      const graph::Analysis a = test::analyze_values(
          test::kEnabled + "query:\n  networkPolicy:\n    additionalIngress:\n      - from: [" +
          peer + "]\n        ports: [9511]\n");
      for (const auto& n : exporters::make_diagram(a, {}).nodes)
        if (n.look == Look::Source) return n.lines;
      FAIL("no selector drawn");
      return std::vector<std::string>{};
    };
    // 36 characters: two lines as even as they come, not "... with" / "team=ops".
    CHECK(selector_lines("{namespaceSelector: {matchLabels: {team: ops}}}") ==
          std::vector<std::string>{"all pods in namespaces", "with team=ops"});
    // 33 characters: "all pods in" / "namespaces with env=x" is as even, but leaves "in"
    // hanging at the end of a line.
    CHECK(selector_lines("{namespaceSelector: {matchLabels: {env: x}}}") ==
          std::vector<std::string>{"all pods in namespaces", "with env=x"});
    // A label as wide as 28 fits; a wider one is not cut at its '/' or '-' but wraps at 40.
    CHECK(selector_lines("{namespaceSelector: {matchLabels: {example.com/owning-team: ops}}}") ==
          std::vector<std::string>{"all pods in namespaces with", "example.com/owning-team=ops"});
    CHECK(
        selector_lines("{namespaceSelector: {matchLabels: {example.com/owning-team-name: ops}}}") ==
        std::vector<std::string>{"all pods in namespaces with",
                                 "example.com/owning-team-name=ops"});
    // A parenthesis wider than 28 that fits 40 stays on one line.
    CHECK(selector_lines("{namespaceSelector: {}}") ==
          std::vector<std::string>{"all pods in all namespaces",
                                   "(other than the 6 services drawn)"});
  }

  TEST_CASE("looks, places and warnings") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::Diagram d = exporters::make_diagram(a, {});
    CHECK(node(d, "ui").look == Look::ExposedService);
    CHECK(node(d, "meta").look == Look::Service);
    CHECK(node(d, "any-source").look == Look::AnySource);
    CHECK(node(d, "any-source").place == exporters::Place::Source);
    CHECK(node(d, "ext:S3").look == Look::OpenWorld);
    CHECK(node(d, "ext:S3").place == exporters::Place::Destination);
    CHECK(node(d, "ext:S3").lines ==
          std::vector<std::string>{"S3", "0.0.0.0/0", "(any address)", "TCP 443"});
    for (const DiagramEdge& e : d.edges) {
      bool expected = e.from == "any-source" || e.to == "ext:S3" || e.to == "ext:PostgreSQL";
      CHECK_MESSAGE(e.warning == expected, e.from << " -> " << e.to);
    }
    CHECK(std::find(d.legend.begin(), d.legend.end(), Look::Otlp) == d.legend.end());
    CHECK(d.title == "Traffic the network policies allow");
  }

  TEST_CASE("narrowed externals are not warnings") {
    graph::Analysis a = test::analyze_values(
        test::kEnabled + "    externalEgress:\n      - cidr: 10.0.0.0/16\n        ports: [443]\n");
    exporters::Diagram d = exporters::make_diagram(a, {});
    CHECK(node(d, "ext:S3").look == Look::External);
    CHECK(node(d, "ext:S3").lines == std::vector<std::string>{"S3", "10.0.0.0/16", "TCP 443"});
  }

  TEST_CASE("disabled policies say so, with one edge in and one out of the namespace") {
    exporters::Diagram d = exporters::make_diagram(test::analyze_values(""), {});
    CHECK(d.disabled);
    CHECK(d.title == "NETWORK POLICIES DISABLED: all traffic is allowed");
    CHECK(d.namespace_label == "namespace default: every pod may reach every pod on every port");
    std::size_t visible = 0;
    for (const DiagramEdge& e : d.edges) visible += !e.invisible;
    CHECK(visible == 2);
    CHECK(node(d, "ext:*").look == Look::OpenWorld);
    // In the DOT the box's title wraps at 32 characters (it shares a row with the box's
    // anchor, which a wide title pushes out beside the box), whole in its tooltip.
    std::ostringstream dot;
    exporters::write_dot(d, dot);
    CHECK(dot.str().find("[label=\"namespace default: every pod may\\nreach every pod on "
                         "every port\", shape=plaintext") != std::string::npos);
    CHECK(dot.str().find("tooltip=\"namespace default: every pod may reach every pod on every "
                         "port\"") != std::string::npos);
  }

  TEST_CASE("another namespace's box title wraps at 32 characters, whole in its tooltip") {
    const std::string ns = "observability-production-eu-west-1";
    graph::Analysis a = test::analyze_manifests(
        deployment("api", "shop") + deployment("web", "shop") + deployment("agent", ns) +
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: "
        "shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n  - from: "
        "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: " +
        ns + "}}}]\n");
    std::ostringstream dot;
    exporters::write_dot(exporters::make_diagram(a, {}), dot);
    CHECK(dot.str().find("[label=\"namespace\\nobservability-production-eu-\\nwest-1\"") !=
          std::string::npos);
    CHECK(dot.str().find("tooltip=\"namespace " + ns + "\"") != std::string::npos);
  }

  TEST_CASE(
      "laid out with sfdp, which draws no boxes, a workload of the main box names its namespace") {
    const std::string policy =
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: "
        "shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n  - from: "
        "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}}]\n";
    graph::Analysis two =
        test::analyze_manifests(deployment("api", "shop") + deployment("web", "shop") +
                                deployment("agent", "ops") + policy);
    exporters::DiagramOptions o;
    exporters::Diagram boxed = exporters::make_diagram(two, o);
    REQUIRE(boxed.ns == "shop");
    CHECK(node(boxed, "api").lines == std::vector<std::string>{"api"});  // its box says shop
    CHECK(node(boxed, "ops/agent").lines == std::vector<std::string>{"ops/agent"});
    o.layout = exporters::Layout::Sfdp;
    exporters::Diagram loose = exporters::make_diagram(two, o);
    CHECK(node(loose, "api").lines == std::vector<std::string>{"shop/api"});
    CHECK(node(loose, "web").lines == std::vector<std::string>{"shop/web"});
    CHECK(node(loose, "ops/agent").lines == std::vector<std::string>{"ops/agent"});
    // One namespace: its one node says which ("namespace shop"), the workloads stay bare.
    graph::Analysis one = test::analyze_manifests(
        deployment("api", "shop") + deployment("web", "shop") +
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: "
        "shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n  - from: "
        "[{podSelector: {matchLabels: {app: web}}}]\n");
    CHECK(node(exporters::make_diagram(one, o), "api").lines == std::vector<std::string>{"api"});
  }

  TEST_CASE("a peer naming no service looks like a likely typo") {
    graph::Analysis a = test::analyze_values(
        test::kEnabled + "ui:\n  networkPolicy:\n    egressTo:\n      - app: quey\n");
    exporters::Diagram d = exporters::make_diagram(a, {});
    CHECK(node(d, "sel:pods(app=quey)").look == Look::UnknownPeer);
    CHECK(node(d, "sel:pods(app=quey)").lines ==
          std::vector<std::string>{"pods with app=quey", "(not a chart service)"});
  }

  TEST_CASE("large pictures: services with the same edges become one node listing them") {
    graph::Analysis a = test::analyze_values(workers(12, 4));
    exporters::DiagramOptions o;
    exporters::Diagram full = exporters::make_diagram(a, o);  // 22 nodes, under the default
    CHECK(full.notes.empty());
    CHECK(full.layout == exporters::Layout::Dot);
    CHECK(drawn(full) == 22);
    o.max_nodes = 20;
    exporters::Diagram d = exporters::make_diagram(a, o);
    // w0, w4, w8 are exposed; the nine others are alike. Chart services differ from each other.
    const auto& exposed = node(d, "netpol-graph:group:w0");
    CHECK(exposed.members == std::vector<std::string>{"w0", "w4", "w8"});
    CHECK(exposed.look == Look::ExposedService);
    CHECK(exposed.lines == std::vector<std::string>{"3 services, same edges", "w0, w4, w8"});
    const auto& plain = node(d, "netpol-graph:group:w1");
    CHECK(plain.members.size() == 9);  // in display order
    CHECK(plain.lines == std::vector<std::string>{"9 services, same edges",
                                                  "w1, w10, w11, w2, w3, w5, w6, w7, w9"});
    CHECK(drawn(d) == 22 - 12 + 2);
    // One edge per group and neighbour, with the members' ports.
    CHECK(edges_to(d, "ingest") == std::vector<std::string>{"any-source: TCP 4317, 4318",
                                                            "netpol-graph:group:w0: TCP 4318",
                                                            "netpol-graph:group:w1: TCP 4318"});
    CHECK(edges_to(d, "netpol-graph:group:w0") == std::vector<std::string>{"any-source: TCP 9000"});
    CHECK(count_from(d, "netpol-graph:group:w1") == 1);
    for (const auto& e : d.edges) CHECK(e.from.rfind("w", 0) != 0);  // no member is drawn
    CHECK(d.layout == exporters::Layout::Dot);                       // 12 nodes now: dot is fine
    CHECK(d.notes ==
          std::vector<std::string>{
              "22 nodes (more than --max-nodes 20)",
              "12 services with the same edges drawn as 2 nodes (--no-group draws each)"});

    o.group = false;  // --no-group: every service, and a faster layout since it stays large
    exporters::Diagram ungrouped = exporters::make_diagram(a, o);
    CHECK(drawn(ungrouped) == 22);
    CHECK(ungrouped.layout == exporters::Layout::Sfdp);
    CHECK(ungrouped.notes.back().find("laid out with sfdp") == 0);
    o.layout = exporters::Layout::Dot;  // --layout dot: the full picture, ranked, as asked
    CHECK(exporters::make_diagram(a, o).layout == exporters::Layout::Dot);
  }

  TEST_CASE("large pictures: too many even after grouping, sfdp lays them out") {
    graph::Analysis a = test::analyze_values(test::kEnabled);  // every service differs
    exporters::DiagramOptions o;
    o.max_nodes = 5;
    exporters::Diagram d = exporters::make_diagram(a, o);
    for (const auto& n : d.nodes) CHECK(n.members.empty());
    CHECK(d.layout == exporters::Layout::Sfdp);
    CHECK(d.notes == std::vector<std::string>{"10 nodes (more than --max-nodes 5)",
                                              "laid out with sfdp, ports in each edge's tooltip "
                                              "(--layout dot: ranks, ports on the edges, slow)"});
    o.max_nodes = 10;
    CHECK(exporters::make_diagram(a, o).layout == exporters::Layout::Dot);
  }

  TEST_CASE("large pictures: few nodes but more edges than dot lays out quickly, sfdp") {
    // n services that all send to each other, each on its own port: n(n-1) edges.
    auto mesh = [](int n) {
      std::string y = test::kEnabled;
      for (int to = 0; to < n; ++to) {
        y += "m" + std::to_string(to) + ":\n  service:\n    port: " + std::to_string(9000 + to) +
             "\n  networkPolicy:\n    ingressFrom:\n";
        for (int from = 0; from < n; ++from)
          if (from != to)
            y += "      - app: m" + std::to_string(from) + "\n        ports: [" +
                 std::to_string(9000 + to) + "]\n";
        y += "    egressTo:\n";
        for (int peer = 0; peer < n; ++peer)
          if (peer != to)
            y += "      - app: m" + std::to_string(peer) + "\n        ports: [" +
                 std::to_string(9000 + peer) + "]\n";
      }
      return y;
    };
    auto visible = [](const exporters::Diagram& d) {
      return std::count_if(d.edges.begin(), d.edges.end(),
                           [](const auto& e) { return !e.invisible; });
    };
    const exporters::Diagram dense = exporters::make_diagram(test::analyze_values(mesh(12)), {});
    REQUIRE(drawn(dense) < exporters::kDefaultMaxNodes);
    REQUIRE(visible(dense) > static_cast<long>(exporters::kDotMostEdges));
    CHECK(dense.layout == exporters::Layout::Sfdp);
    CHECK(dense.notes.size() == 2);
    CHECK(dense.notes.front() == std::to_string(visible(dense)) + " edges (more than " +
                                     std::to_string(exporters::kDotMostEdges) +
                                     ", which dot lays out for seconds)");
    // Fewer edges: dot, as before; --layout dot keeps dot whatever the edges.
    const exporters::Diagram sparse = exporters::make_diagram(test::analyze_values(mesh(6)), {});
    REQUIRE(visible(sparse) <= static_cast<long>(exporters::kDotMostEdges));
    CHECK(sparse.layout == exporters::Layout::Dot);
    exporters::DiagramOptions dot;
    dot.layout = exporters::Layout::Dot;
    CHECK(exporters::make_diagram(test::analyze_values(mesh(12)), dot).layout ==
          exporters::Layout::Dot);
  }

  TEST_CASE("large pictures: with policies disabled every service is alike") {
    graph::Analysis a = test::analyze_values("");
    exporters::DiagramOptions o;
    o.max_nodes = 3;
    exporters::Diagram d = exporters::make_diagram(a, o);
    CHECK(d.nodes.size() == 3);  // any-source, one group of the six services, ext:*
    CHECK(node(d, "netpol-graph:group:meta").members.size() == 6);
    CHECK(d.disabled);
  }
}

TEST_SUITE("exporters: diagram of classes") {
  TEST_CASE("a class is one node: its own pairs a loop with the ports, members' links unlabelled") {
    values::Layers layers;
    layers.defaults = {"<defaults>", ""};
    std::string y = "global:\n  networkPolicy:\n    enabled: true\n    externalEgress: []\n";
    for (const char* s : {"alpha", "beta", "gamma"})
      y += std::string(s) + ":\n  networkPolicy:\n    allowExternal: true\n";
    layers.files.push_back({"values.yaml", y});
    graph::Analysis a = graph::analyze(values::load_values(layers), test::embedded_profile(),
                                       "default", {"values.yaml"}, nullptr, 0);
    exporters::Diagram d = exporters::make_diagram(a, {});
    const std::string cls = "class-senders:alpha";
    CHECK(node(d, cls).look == Look::ServiceClass);
    CHECK(std::none_of(d.nodes.begin(), d.nodes.end(),
                       [](const auto& n) { return n.id == "class-receivers:alpha"; }));
    // In: alpha, beta, gamma unlabelled, and the class's own loop with the DNS ports.
    CHECK(edges_to(d, cls) ==
          std::vector<std::string>{"alpha: ", "beta: ", "gamma: ", cls + ": TCP 53; UDP 53"});
    CHECK(edges_to(d, "beta") == std::vector<std::string>{"any-source: all ports", cls + ": "});
  }
}

TEST_SUITE("exporters: diagram, focused and with paths") {
  TEST_CASE("--focus keeps the focused nodes, their neighbours and their edges") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::Diagram full = exporters::make_diagram(a, {});
    exporters::DiagramOptions o;
    o.focus = {"meta"};
    exporters::Diagram d = exporters::make_diagram(a, o);
    std::vector<std::string> ids;
    for (const auto& n : d.nodes)
      if (n.look != Look::Junction) ids.push_back(n.id);
    std::sort(ids.begin(), ids.end());
    // meta's senders, and the destinations meta reaches.
    CHECK(ids == std::vector<std::string>{"dns", "ext:PostgreSQL", "ext:S3", "ingest", "janitor",
                                          "meta", "nursery", "query", "ui"});
    // Exactly the edges at meta (its five senders' meet at a junction first): ui -> query is
    // between two neighbours, so left out, and so are the others' edges to S3.
    exporters::DiagramOptions every;
    every.every_edge = true;
    std::size_t at_meta = 0;
    for (const auto& e : exporters::make_diagram(a, every).edges)
      at_meta += e.from == "meta" || e.to == "meta";
    std::size_t drawn_at_meta = 0;
    for (const auto& e : d.edges) {
      CHECK((e.from == "meta" || e.to == "meta" || e.into_junction));
      drawn_at_meta += e.from == "meta" || e.into_junction;
    }
    CHECK(drawn_at_meta == at_meta);
    CHECK(d.notes.front() ==
          "focused on meta (1 hop): 9 of " + std::to_string(drawn(full)) + " nodes");
    // Two hops: ui's and query's senders too, and ui -> query.
    o.hops = 2;
    exporters::Diagram two = exporters::make_diagram(a, o);
    CHECK(std::any_of(two.nodes.begin(), two.nodes.end(),
                      [](const auto& n) { return n.id == "any-source"; }));
    CHECK(std::any_of(two.edges.begin(), two.edges.end(),
                      [](const auto& e) { return e.from == "ui" && e.to == "query"; }));
    // A destination: the namespace's services are its neighbours through the namespace edge.
    o.focus = {"dns"};
    o.hops = 1;
    exporters::Diagram dns = exporters::make_diagram(a, o);
    CHECK(dns.edges.size() == 1);
    CHECK(dns.nodes.size() == 7);  // dns and the six services
  }

  TEST_CASE("--focus on a node the picture does not have says which it has") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::DiagramOptions o;
    o.focus = {"mta"};
    CHECK_THROWS_WITH_AS(exporters::make_diagram(a, o),
                         "--focus: no node \"mta\" in the picture (did you mean \"meta\"?); node "
                         "ids are those of `graph --format json`",
                         Error);
  }

  TEST_CASE("a reach answer's paths are marked, everything else faded") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    exporters::DiagramOptions o;
    o.paths = {{"ui", "query"}, {"ui", "meta"}, {"ui", "dns"}};
    o.caption = "what ui reaches";
    o.max_nodes = 2;  // services stay one node each when paths are drawn
    exporters::Diagram d = exporters::make_diagram(a, o);
    std::vector<std::string> on_path, kept;
    for (const auto& e : d.edges) {
      if (e.invisible) continue;
      CHECK(e.on_path != e.faded);
      if (e.on_path) on_path.push_back((e.from.empty() ? "(namespace)" : e.from) + "->" + e.to);
    }
    std::sort(on_path.begin(), on_path.end());
    CHECK(on_path == std::vector<std::string>{"ui->dns", "ui->meta", "ui->query"});
    // The others' DNS edges are one faded bundle that says ui is not in it.
    std::vector<std::string> dns = edges_to(d, "dns");
    std::sort(dns.begin(), dns.end());
    CHECK(dns == std::vector<std::string>{"(namespace): every service but ui:\nTCP 53; UDP 53",
                                          "ui: TCP 53; UDP 53"});
    for (const auto& n : d.nodes)
      if (!n.faded) kept.push_back(n.id);
    std::sort(kept.begin(), kept.end());
    CHECK(kept == std::vector<std::string>{"dns", "meta", "query", "ui"});
    CHECK(std::find(d.notes.begin(), d.notes.end(), "what ui reaches") != d.notes.end());
    for (const auto& n : d.nodes) CHECK(n.members.empty());
  }
}

TEST_SUITE("exporters: diagram") {
  TEST_CASE("a selector's edge that a node holding all of its pods draws is drawn once") {
    auto has_node = [](const exporters::Diagram& d, const std::string& id) {
      return std::any_of(d.nodes.begin(), d.nodes.end(), [&](const auto& n) { return n.id == id; });
    };
    // query admits any source on 9510 (allowExternal): the data-team rule on 9510 adds
    // nothing; on 9511 it does.
    auto rule = [](const std::string& peer, const std::string& ports) {
      return "      - from: [" + peer + "]\n        ports: [" + ports + "]\n";
    };
    std::string head = test::kEnabled + "query:\n  networkPolicy:\n    additionalIngress:\n";
    const std::string team = "{namespaceSelector: {matchLabels: {team: data}}}";
    const std::string every_ns = "{namespaceSelector: {}}";
    exporters::Diagram same =
        exporters::make_diagram(test::analyze_values(head + rule(team, "9510")), {});
    CHECK_FALSE(has_node(same, "sel:ns(team=data)"));
    CHECK(edges_to(same, "query") ==
          std::vector<std::string>{"any-source: TCP 9510", "janitor: TCP 9510", "ui: TCP 9510"});
    exporters::Diagram more =
        exporters::make_diagram(test::analyze_values(head + rule(team, "9510, 9511")), {});
    CHECK(has_node(more, "sel:ns(team=data)"));
    // A wider selector holds the narrower one: its edge on the same ports is the one drawn.
    exporters::Diagram wider = exporters::make_diagram(
        test::analyze_values(head + rule(team, "7000") + rule(every_ns, "7000, 7001")), {});
    CHECK_FALSE(has_node(wider, "sel:ns(team=data)"));
    CHECK(has_node(wider, "sel:ns()"));
    // Two spellings of one set: the first drawn keeps the edge.
    exporters::Diagram twins = exporters::make_diagram(
        test::analyze_values(head + rule("{podSelector: {}}", "7000") +
                             rule("{namespaceSelector: {matchLabels: "
                                  "{kubernetes.io/metadata.name: default}}}",
                                  "7000")),
        {});
    CHECK(has_node(twins, "ns-pods") !=
          has_node(twins, "sel:ns(kubernetes.io/metadata.name=default)"));
    // --every-edge, a focus on it, or a path through it draws it.
    exporters::DiagramOptions every;
    every.every_edge = true;
    const graph::Analysis a = test::analyze_values(head + rule(team, "9510"));
    CHECK(has_node(exporters::make_diagram(a, every), "sel:ns(team=data)"));
    exporters::DiagramOptions focus;
    focus.focus = {"sel:ns(team=data)"};
    CHECK(has_node(exporters::make_diagram(a, focus), "sel:ns(team=data)"));
  }

  TEST_CASE("an edge between ends open to the world on its ports is said by their red edges") {
    // back sends anywhere (no egress policy); front admits any source on 8080 and back alone
    // on 9000 too.
    auto cluster = [](const std::string& back_ports) {
      return deployment("front", "web") + deployment("back", "web") +
             "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: front, "
             "namespace: web}\nspec:\n  podSelector: {matchLabels: {app: front}}\n  "
             "policyTypes: [Ingress]\n  ingress:\n    - ports: [{port: 8080}]\n    - from: "
             "[{podSelector: {matchLabels: {app: back}}}]\n      ports: [" +
             back_ports + "]\n";
    };
    auto from_back = [](const exporters::Diagram& d, const std::string& to) {
      std::vector<std::string> out;
      for (const auto& e : d.edges)
        if (e.from == "back" && e.to == to && !e.invisible) out.push_back(e.label);
      return out;
    };
    // back -> front on 8080 is any source's edge and back's edge to any address: not again.
    const graph::Analysis open = test::analyze_manifests(cluster("{port: 8080}"));
    const exporters::Diagram d = exporters::make_diagram(open, {});
    CHECK(from_back(d, "front").empty());
    CHECK(edges_to(d, "front") == std::vector<std::string>{"any-source: TCP 8080"});
    CHECK(edges_to(d, std::string(graph::kAnywhereId)) ==
          std::vector<std::string>{"(namespace): every workload:\nall ports"});
    exporters::DiagramOptions every;
    every.every_edge = true;
    CHECK(from_back(exporters::make_diagram(open, every), "front") ==
          std::vector<std::string>{"TCP 8080"});
    // On 9000 too, which any source does not reach: the edge says more, and is drawn.
    const exporters::Diagram more =
        exporters::make_diagram(test::analyze_manifests(cluster("{port: 9000}")), {});
    CHECK(from_back(more, "front") == std::vector<std::string>{"TCP 8080, 9000"});
    // back's egress to 0.0.0.0/0 holds no pod: its edge to front, a rule of its own, stays.
    const std::string egress =
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: back, "
        "namespace: web}\nspec:\n  podSelector: {matchLabels: {app: back}}\n  policyTypes: "
        "[Egress]\n  egress:\n    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]\n    - to: "
        "[{podSelector: {matchLabels: {app: front}}}]\n";
    const exporters::Diagram block =
        exporters::make_diagram(test::analyze_manifests(cluster("{port: 8080}") + egress), {});
    CHECK(from_back(block, "front") == std::vector<std::string>{"TCP 8080"});
  }
}

TEST_SUITE("exporters: diagram, which way it is ranked") {
  TEST_CASE("top down where that is narrower, left to right where one row would be wide") {
    const graph::Analysis chart = test::analyze_values(test::kEnabled);
    CHECK(exporters::make_diagram(chart, {}).top_down);
    // 30 workers side by side in one row, all sending to ingest: a column is narrower.
    const graph::Analysis wide = test::analyze_values(workers(30, 100));
    exporters::Diagram d = exporters::make_diagram(wide, {});
    REQUIRE(d.layout == exporters::Layout::Dot);
    CHECK_FALSE(d.top_down);
    // sfdp has no ranks.
    exporters::DiagramOptions sfdp;
    sfdp.layout = exporters::Layout::Sfdp;
    CHECK_FALSE(exporters::make_diagram(chart, sfdp).top_down);
  }

  TEST_CASE("a focus, a reach answer and a diff are ranked as the whole picture is") {
    const graph::Analysis wide = test::analyze_values(workers(30, 100));
    // Focused on one worker the picture is small (top down would be narrower on its own),
    // but it keeps the whole picture's direction.
    exporters::DiagramOptions focus;
    focus.focus = {"w3"};
    exporters::Diagram focused = exporters::make_diagram(wide, focus);
    CHECK(drawn(focused) < 6);
    CHECK_FALSE(focused.top_down);
    exporters::DiagramOptions path;
    path.paths = {{"w3", "ingest"}};
    CHECK_FALSE(exporters::make_diagram(wide, path).top_down);
    const graph::Analysis chart = test::analyze_values(test::kEnabled);
    focus.focus = {"meta"};
    CHECK(exporters::make_diagram(chart, focus).top_down);
    // The diff of the chart against the wide one: the new side's whole picture decides.
    graph::DiffReport to_wide{chart, wide, graph::diff_analyses(chart, wide)};
    CHECK_FALSE(exporters::make_diff_diagram(to_wide, {}).top_down);
    graph::DiffReport to_chart{wide, chart, graph::diff_analyses(wide, chart)};
    CHECK(exporters::make_diff_diagram(to_chart, {}).top_down);
  }

  TEST_CASE("a whole picture's rows: the services that share a rank there, in dot's order") {
    exporters::Diagram d;
    d.ns = "default";
    for (const char* id : {"a", "b", "c", "d"}) {
      exporters::DiagramNode n;
      n.id = id;
      n.lines = {id};
      n.place = exporters::Place::Namespace;
      d.nodes.push_back(n);
    }
    auto edge = [](const char* from, const char* to, std::string label) {
      exporters::DiagramEdge e;
      e.from = from;
      e.to = to;
      e.label = std::move(label);
      return e;
    };
    d.edges = {edge("a", "b", "TCP 1"), edge("c", "d", "TCP 2"), edge("a", "d", "TCP 3")};
    std::ostringstream dot;
    exporters::write_dot(d, dot);
    const std::map<std::string, exporters::NodePlace> places = exporters::node_places(dot.str());
    const std::vector<std::vector<std::string>> rows = exporters::laid_out_rows(d);
    // a and c send, b and d receive: two ranks of two, each in dot's order.
    REQUIRE(rows.size() == 2);
    for (const auto& row : rows) {
      REQUIRE(row.size() == 2);
      CHECK(places.at(row[0]).rank == places.at(row[1]).rank);
      CHECK(places.at(row[0]).order < places.at(row[1]).order);
    }
    CHECK(places.at(rows[0][0]).rank != places.at(rows[1][0]).rank);
    // None when sfdp lays it out, nor past 60 edges (dot would take seconds on a dense chart).
    exporters::Diagram sfdp = d;
    sfdp.layout = exporters::Layout::Sfdp;
    CHECK(exporters::laid_out_rows(sfdp).empty());
    exporters::Diagram dense = d;
    for (int port = 4; dense.edges.size() <= 60; ++port)
      dense.edges.push_back(edge("a", "b", "TCP " + std::to_string(port)));
    CHECK(exporters::laid_out_rows(dense).empty());
    dense.edges.pop_back();  // 60 edges
    CHECK(exporters::laid_out_rows(dense).size() == 2);
  }

  TEST_CASE(
      "boxes stand in the order traffic from any source enters them, a way back up does not "
      "rank") {
    // frontend takes any source's traffic and sends to backend, backend to data; backend and
    // data/redis also send back up to frontend (with every edge drawn). data's own source (pods
    // with app=metrics) is not held in the top row.
    graph::Analysis a = test::analyze_manifests(
        test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/manifests/three-namespaces.yaml"));
    exporters::Diagram d = exporters::make_diagram(a, {});
    REQUIRE(d.top_down);
    std::ostringstream dot;
    exporters::write_dot(d, dot);
    const std::map<std::string, exporters::NodePlace> at = exporters::node_places(dot.str());
    CHECK(at.at("frontend/web").rank < at.at("api").rank);
    CHECK(at.at("api").rank < at.at("data/postgres").rank);
    CHECK(at.at("api").rank < at.at("data/redis").rank);
    const std::string metrics = "sel:ns(kubernetes.io/metadata.name=data)/pods(app=metrics)";
    CHECK(at.at(metrics).rank > at.at("any-source").rank);
    CHECK(at.at(metrics).rank > at.at("api").rank);
    // The ways back up are in the DOT without ranking; the ways down rank.
    auto attributes = [](const std::string& text, const std::string& from, const std::string& to) {
      const std::size_t at_edge =
          text.find("  " + exporters::dot_id(from) + " -> " + exporters::dot_id(to) + " [");
      REQUIRE(at_edge != std::string::npos);
      return text.substr(at_edge, text.find('\n', at_edge) - at_edge);
    };
    CHECK(attributes(dot.str(), "data/postgres", "ext:52.216.0.0/15").find("constraint=false") ==
          std::string::npos);
    // data/redis's way up to frontend/web, said by its two red edges, is drawn with every edge.
    exporters::DiagramOptions every;
    every.every_edge = true;
    std::ostringstream every_dot;
    exporters::write_dot(exporters::make_diagram(a, every), every_dot);
    CHECK(attributes(every_dot.str(), "data/redis", "frontend/web").find("constraint=false") !=
          std::string::npos);
  }

  TEST_CASE("a service and a destination keep their place between the whole picture and others") {
    using Places = std::map<std::string, exporters::NodePlace>;
    auto laid_out = [](const exporters::Diagram& d) {
      std::ostringstream dot;
      exporters::write_dot(d, dot);
      return exporters::node_places(dot.str());
    };
    // What the pictures hold in place: the services of a box, and the destinations' row. (A
    // source outside every box and another box's selector are not held: dot orders a box as
    // one block, past any edge to a node outside it.)
    auto held = [](const exporters::Diagram& whole) {
      std::map<std::string, std::string> kind;  // id -> the box it stands in, or "destination"
      for (const auto& n : whole.nodes)
        if ((n.look == Look::Service || n.look == Look::ExposedService) &&
            n.place != exporters::Place::Source)
          kind[n.id] = "box " + n.box;
        else if (n.place == exporters::Place::Destination && n.box.empty())
          kind[n.id] = "destination";
      return kind;
    };
    // Two nodes an edge of a picture joins, directly or through a junction, are not held in
    // one rank there (a flat edge with a label, which dot can fail to route).
    struct Laid {
      Places places;
      std::set<std::pair<std::string, std::string>> joined;
    };
    auto lay_out = [&](const exporters::Diagram& d) {
      Laid laid{laid_out(d), {}};
      std::map<std::string, std::vector<std::string>> into;
      for (const auto& e : d.edges)
        if (e.into_junction) into[e.to].push_back(e.from);
      for (const auto& e : d.edges) {
        if (e.invisible || e.into_junction) continue;
        std::vector<std::string> from = into.count(e.from) ? into[e.from] : std::vector{e.from};
        for (const auto& f : from) {
          laid.joined.emplace(f, e.to);
          laid.joined.emplace(e.to, f);
        }
      }
      return laid;
    };
    // Two held nodes of one kind, not joined, side by side in a rank of both layouts, in a
    // different order.
    auto swaps = [](const std::map<std::string, std::string>& kind, const Places& whole,
                    const Laid& laid) {
      const Places& part = laid.places;
      std::vector<std::string> out;
      for (const auto& a : part)
        for (const auto& b : part) {
          if (a.first >= b.first || !kind.count(a.first) || !kind.count(b.first) ||
              kind.at(a.first) != kind.at(b.first) || !whole.count(a.first) ||
              !whole.count(b.first) || laid.joined.count({a.first, b.first}))
            continue;
          const exporters::NodePlace &wa = whole.at(a.first), &wb = whole.at(b.first);
          if (wa.rank == wb.rank && a.second.rank == b.second.rank &&
              (wa.order < wb.order) != (a.second.order < b.second.order))
            out.push_back(a.first + " and " + b.first);
        }
      return out;
    };
    const graph::Analysis enabled = test::analyze_values(test::kEnabled);
    std::size_t compared = 0;
    for (const char* sample : {"production", "custom-rules-global", "custom-rules-per-service",
                               "otlp-default-endpoint"}) {
      const std::string name = sample;
      CAPTURE(name);
      const graph::Analysis a = test::analyze_values(
          test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/" + sample + ".yaml"));
      for (bool every_edge : {false, true}) {  // top down, and left to right
        exporters::DiagramOptions options;
        options.every_edge = every_edge;
        const exporters::Diagram picture = exporters::make_diagram(a, options);
        const std::map<std::string, std::string> kind = held(picture);
        const Places whole = laid_out(picture);
        for (const char* service : {"meta", "query", "ingest", "janitor", "ui", "nursery"}) {
          exporters::DiagramOptions focus = options;
          focus.focus = {service};
          const std::string focused_on = service;
          CAPTURE(focused_on);
          CAPTURE(every_edge);
          CHECK(join(swaps(kind, whole, lay_out(exporters::make_diagram(a, focus))), "; ") == "");
          exporters::DiagramOptions path = options;
          path.paths = {{service, "meta"}};
          CHECK(join(swaps(kind, whole, lay_out(exporters::make_diagram(a, path))), "; ") == "");
          ++compared;
        }
        graph::DiffReport report{enabled, a, graph::diff_analyses(enabled, a)};
        CHECK(join(swaps(kind, whole, lay_out(exporters::make_diff_diagram(report, options))),
                   "; ") == "");
      }
    }
    CHECK(compared == 48);
    // The rows are what hold them: without, dot orders production's focus on meta by its own
    // edges, and ui and nursery swap.
    const graph::Analysis production =
        test::analyze_values(test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/production.yaml"));
    exporters::DiagramOptions focus;
    focus.focus = {"meta"};
    exporters::Diagram focused = exporters::make_diagram(production, focus);
    CHECK_FALSE(focused.rows.empty());
    CHECK(exporters::make_diagram(production, {}).rows.empty());  // the whole: dot's own order
    // A picture Graphviz does not lay out (Mermaid's) holds none and lays nothing out, but is
    // ranked the same way.
    exporters::DiagramOptions unheld = focus;
    unheld.hold_rows = false;
    const exporters::Diagram for_mermaid = exporters::make_diagram(production, unheld);
    CHECK(for_mermaid.rows.empty());
    CHECK(for_mermaid.top_down == focused.top_down);
    focused.rows.clear();
    const exporters::Diagram whole = exporters::make_diagram(production, {});
    CHECK_FALSE(swaps(held(whole), laid_out(whole), lay_out(focused)).empty());
  }

  TEST_CASE("a selector's box and its shorter name hold against every pod class") {
    // One pod of every label class: namespaces named monitoring, logging and default (the
    // release's), with or without team=obs; pods with app grafana, loki or none.
    std::vector<std::pair<graph::Labels, graph::Labels>> pods;
    for (const char* ns : {"monitoring", "logging", "default"})
      for (bool team : {false, true})
        for (const char* app : {"grafana", "loki", ""}) {
          graph::Labels ns_labels{{std::string(graph::kNamespaceNameLabel), ns}};
          if (team) ns_labels["team"] = "obs";
          graph::Labels pod_labels;
          if (*app) pod_labels["app"] = app;
          pods.emplace_back(ns_labels, pod_labels);
        }
    std::mt19937 rng(7);
    std::size_t boxed = 0, shortened = 0;
    for (int round = 0; round < 200; ++round) {
      test::RandomPeer peer;
      const bool by_name = rng() % 4 != 0;
      const unsigned has_ns = static_cast<unsigned>(rng() % 3);
      if (has_ns != 0)
        peer.ns = by_name ? test::random_sel(rng, std::string(graph::kNamespaceNameLabel),
                                             "monitoring", "logging")
                          : test::random_sel(rng, "team", "obs", "dev");
      if (!peer.ns || rng() % 4 != 0)  // a peer needs one selector at least
        peer.pods = test::random_sel(rng, "app", "grafana", "loki");
      const std::string yaml = test::kEnabled +
                               "query:\n  networkPolicy:\n    additionalIngress:\n"
                               "      - from: [" +
                               peer.yaml() + "]\n        ports: [9511]\n";
      CAPTURE(yaml);
      const graph::Analysis a = test::analyze_values(yaml);
      const exporters::Diagram d = exporters::make_diagram(a, {});
      for (const auto& n : d.nodes) {
        if (n.look != Look::Source || n.box.empty()) continue;
        ++boxed;
        // In a box: every pod the peer selects is in that namespace.
        for (const auto& [ns_labels, pod_labels] : pods)
          if (peer.matches(ns_labels, pod_labels))
            CHECK(ns_labels.at(std::string(graph::kNamespaceNameLabel)) == n.box);
        if (n.tooltip.empty()) continue;
        ++shortened;
        // Named without the namespace: the peer's pods are exactly those of the box's
        // namespace that its pod selector takes.
        for (const auto& [ns_labels, pod_labels] : pods) {
          const bool in_box = ns_labels.at(std::string(graph::kNamespaceNameLabel)) == n.box;
          CHECK(peer.matches(ns_labels, pod_labels) ==
                (in_box && (!peer.pods || peer.pods->matches(pod_labels))));
        }
      }
    }
    CHECK(boxed > 40);
    CHECK(shortened > 20);
  }

  TEST_CASE("a selector drawn in its namespace's box says its pods without the namespace") {
    auto selector = [](const exporters::Diagram& d) -> const exporters::DiagramNode& {
      for (const auto& n : d.nodes)
        if (n.look == Look::Source) return n;
      FAIL("no selector node");
      throw;
    };
    auto with_peer = [](const std::string& peer) {
      return test::analyze_values(test::kEnabled +
                                  "query:\n  networkPolicy:\n    additionalIngress:\n"
                                  "      - from: [" +
                                  peer + "]\n        ports: [9511]\n");
    };
    exporters::Diagram named = exporters::make_diagram(
        with_peer("{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}, "
                  "podSelector: {matchLabels: {app: grafana}}}"),
        {});
    const exporters::DiagramNode& grafana = selector(named);
    CHECK(grafana.box == "monitoring");
    CHECK(grafana.lines == std::vector<std::string>{"pods with app=grafana"});
    CHECK(grafana.tooltip ==
          "pods with app=grafana in namespaces with kubernetes.io/metadata.name=monitoring");
    // Another namespace label narrows the namespaces: the box alone would not say it.
    exporters::Diagram narrowed = exporters::make_diagram(
        with_peer("{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring, "
                  "team: obs}}, podSelector: {matchLabels: {app: grafana}}}"),
        {});
    const exporters::DiagramNode& team = selector(narrowed);
    CHECK(team.box == "monitoring");
    CHECK(netpol::join(team.lines, " ").find("team=obs") != std::string::npos);
    // Not in a box: the whole text.
    exporters::Diagram any_ns = exporters::make_diagram(
        with_peer("{namespaceSelector: {}, podSelector: {matchLabels: {app: grafana}}}"), {});
    CHECK(selector(any_ns).box.empty());
    CHECK(netpol::join(selector(any_ns).lines, " ").find("all namespaces") != std::string::npos);
  }
}
