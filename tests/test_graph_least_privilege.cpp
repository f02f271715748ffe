// graph/analysis/least_privilege (suggest) and exporters/overlay: the overlay keeps every
// documented need, intent allow and flow, cuts what nothing asks for, and only narrows. Each
// overlay is written as YAML, read back as the last -f layer by the loader (Helm's rules) and
// analysed again: the checks below are on that analysis, never on the planner's own view.

#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "exporters/overlay.hpp"
#include "graph/analysis/diff.hpp"
#include "graph/analysis/least_privilege.hpp"
#include "graph/read/flows.hpp"
#include "support.hpp"
#include "values/merge.hpp"
#include "values/yaml_reader.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

struct LpRun {
  Analysis before;
  Suggestion suggestion;
  std::string text;  // the overlay as written
  Analysis after;    // the inputs with the text read back as the last -f file
  SuggestCheck check;
};

Analysis lp_analyze(const std::vector<std::pair<std::string, std::string>>& files,
                    const Review& review) {
  values::Layers layers;
  layers.defaults = {"<defaults>", embedded::kChartValues};
  std::vector<std::string> names = {"<defaults>"};
  for (const auto& [name, text] : files) {
    layers.files.push_back({name, text});
    names.push_back(name);
  }
  return analyze(values::load_values(layers), test::embedded_profile(), "default", names, nullptr,
                 PolicyGraph::kMaxPairs, review);
}

LpRun lp_run(const std::string& user_yaml, const std::string& flows_csv = "",
             const std::string& intent_yaml = "", const SuggestOptions& options = {}) {
  Review review;
  if (!flows_csv.empty()) review.flows = read_flows(flows_csv, "flows.csv");
  if (!intent_yaml.empty())
    review.intents = read_intents(values::read_yaml(intent_yaml, "intent.yaml"));
  LpRun run{lp_analyze({{"values.yaml", user_yaml}}, review), {}, {}, {}, {}};
  run.suggestion = suggest(run.before, review, options);
  std::ostringstream out;
  exporters::write_overlay_yaml(run.suggestion, {"test overlay"}, out);
  run.text = out.str();
  run.after = lp_analyze({{"values.yaml", user_yaml}, {"overlay.yaml", run.text}}, review);
  run.check = check_suggestion(run.before, run.after);
  return run;
}

std::size_t lp_count(const Analysis& a, const std::string& code) {
  return static_cast<std::size_t>(std::count_if(a.findings.begin(), a.findings.end(),
                                                [&](const Finding& f) { return f.code == code; }));
}

// What every overlay must be: read back as written, only narrowing, every ask kept, and a
// fixed point (suggest on inputs + overlay asks for nothing more).
void lp_check_sound(const LpRun& run, const std::string& flows_csv,
                    const std::string& intent_yaml) {
  INFO(run.text);
  // The text is the tree (our reader is yaml-cpp, a YAML 1.2 reader).
  values::Value read_back = values::read_values_file(run.text, "overlay.yaml");
  if (!run.suggestion.keys.empty()) CHECK(values::same_value(read_back, run.suggestion.tree()));
  CHECK_FALSE(run.check.widens);
  CHECK(run.check.broken.empty());
  Diff d = diff_analyses(run.before, run.after);
  for (const auto& e : d.edges) {
    CAPTURE(e.from);
    CAPTURE(e.to);
    CHECK((e.change == Change::Removed || e.change == Change::Narrowed));
  }
  // No over-permission is left, but where a flow or intent asks for it.
  for (const Finding& f : run.after.findings) {
    if (f.code != "over-permission") continue;
    CAPTURE(f.subject);
    const std::string service = f.subject.substr(0, f.subject.find(' '));
    CHECK((!intent_yaml.empty() || flows_csv.find("\n" + service + ",") != std::string::npos));
  }
  for (const char* code : {"broken-dependency", "intent-violated", "denied-flow"})
    CHECK(lp_count(run.after, code) <= lp_count(run.before, code));
  // Again on inputs + overlay: nothing more to cut.
  Review review;
  if (!flows_csv.empty()) review.flows = read_flows(flows_csv, "flows.csv");
  if (!intent_yaml.empty())
    review.intents = read_intents(values::read_yaml(intent_yaml, "intent.yaml"));
  Suggestion again = suggest(run.after, review);
  std::string keys;
  for (const auto& k : again.keys) keys += k.path + " ";
  CHECK_MESSAGE(again.keys.empty(), keys);
}

// One `hubble observe --output jsonpb` line: a pod of `ns` (labelled `label`, its namespace
// named by Cilium's label for it) connecting to meta's pod on TCP `port`.
std::string lp_hubble(const std::string& ns, const std::string& label, int port) {
  return R"({"flow":{"l4":{"TCP":{"destinationPort":)" + std::to_string(port) +
         R"(}},"source":{"namespace":")" + ns + R"(","labels":["k8s:)" + label +
         R"(","k8s:io.cilium.k8s.namespace.labels.name=)" + ns + R"("],"podName":"p-0"},)" +
         R"("destination":{"namespace":"default","labels":["k8s:app=meta"],"podName":"meta-0"},)"
         R"("isReply":false}})" +
         "\n";
}

const OverlayKey* lp_key(const Suggestion& s, const std::string& path) {
  for (const auto& k : s.keys)
    if (k.path == path) return &k;
  return nullptr;
}

// S3's block, used by meta alone (the others' allowExternalEgress off).
const char* const kMetaAloneEgress =
    "global:\n"
    "  networkPolicy:\n"
    "    enabled: true\n"
    "    externalEgress:\n"
    "      - {cidr: 10.0.0.0/16, except: [10.0.99.0/24], ports: [{port: 443, protocol: TCP}]}\n"
    "query: {networkPolicy: {allowExternalEgress: false}}\n"
    "ingest: {networkPolicy: {allowExternalEgress: false}}\n"
    "janitor: {networkPolicy: {allowExternalEgress: false}}\n"
    "ui: {networkPolicy: {allowExternalEgress: false}}\n"
    "nursery: {networkPolicy: {allowExternalEgress: false}}\n";

std::string lp_sample(const std::string& name) {
  return test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/" + name);
}

}  // namespace

TEST_SUITE("graph: least privilege (suggest)") {
  TEST_CASE("every sample: the overlay only narrows, keeps every need, is read back as written") {
    for (const char* name :
         {"enabled.yaml", "production.yaml", "production-egress.yaml", "custom-rules-global.yaml",
          "custom-rules-per-service.yaml", "otlp-default-endpoint.yaml",
          "otlp-external-collector.yaml", "otlp-external-collector-no-egress.yaml"}) {
      CAPTURE(name);
      const std::string yaml = lp_sample(name);
      LpRun run = lp_run(yaml);
      lp_check_sound(run, "", "");
      CHECK(lp_count(run.before, "over-permission") > 0);  // something to answer
    }
  }

  TEST_CASE("the chart defaults: PostgreSQL for meta alone, query no longer open to any source") {
    LpRun run = lp_run(lp_sample("enabled.yaml"));
    // Five services reached PostgreSQL; only meta needs it.
    CHECK(test::edge_ports(run.before, "query", "ext:PostgreSQL") == "TCP 5432");
    CHECK(test::edge_ports(run.after, "query", "ext:PostgreSQL") == "(no edge)");
    const OverlayKey* list = lp_key(run.suggestion, "global.networkPolicy.externalEgress");
    REQUIRE(list);
    REQUIRE(list->value.seq.size() == 1);
    CHECK(list->value.seq[0].find("ports")->seq[0].find("port")->scalar == "443");
    const OverlayKey* meta = lp_key(run.suggestion, "meta.networkPolicy.additionalEgress");
    REQUIRE(meta);
    CHECK(meta->item_comments.at(0).at(0).find("need PostgreSQL (profile)") != std::string::npos);
    // meta keeps allowExternalEgress (S3 is shared) and reaches PostgreSQL by its own rule.
    CHECK(lp_key(run.suggestion, "meta.networkPolicy.allowExternalEgress") == nullptr);
    CHECK(test::edge_ports(run.after, "meta", "ext:S3") == "TCP 443");
    // query has no documented external source: allowExternal off, with why.
    const OverlayKey* query = lp_key(run.suggestion, "query.networkPolicy.allowExternal");
    REQUIRE(query);
    CHECK(query->value.scalar == "false");
    CHECK(query->comment.at(0).find("external-exposure") != std::string::npos);
    CHECK(test::edge_ports(run.after, "any-source", "query") == "(no edge)");
    // ingest and ui have documented external sources: still reached.
    CHECK(test::edge_ports(run.after, "any-source", "ingest") == "TCP 4317, 4318");
    CHECK(test::edge_ports(run.after, "any-source", "ui") == "TCP 8080");
    // Without flows the traffic between services is not judged: all of it stays.
    CHECK(test::edge_ports(run.after, "ui", "query") == "TCP 9510");
    CHECK(test::edge_ports(run.after, "nursery", "meta") == "TCP 9500");
  }

  TEST_CASE("without flows, an allowExternal that carries a service's traffic stays") {
    // ui reaches query only through query's allowExternal (no ingressFrom entry for it).
    const std::string yaml =
        "global: {networkPolicy: {enabled: true}}\n"
        "query: {networkPolicy: {allowExternal: true, ingressFrom: []}}\n";
    LpRun run = lp_run(yaml);
    lp_check_sound(run, "", "");
    CHECK(test::edge_ports(run.before, "ui", "query") == "TCP 9510");
    CHECK(lp_key(run.suggestion, "query.networkPolicy.allowExternal") == nullptr);
    CHECK(test::edge_ports(run.after, "ui", "query") == "TCP 9510");
    // With flows that show no such traffic, it goes.
    LpRun flows = lp_run(yaml, "source,destination,port,protocol\nui,meta,9500,TCP\n");
    lp_check_sound(flows, "source,destination,port,protocol\nui,meta,9500,TCP\n", "");
    CHECK(lp_key(flows.suggestion, "query.networkPolicy.allowExternal") != nullptr);
    CHECK(test::edge_ports(flows.after, "ui", "query") == "(no edge)");
  }

  TEST_CASE("external sources: a rule for pods of other namespaces, decided on pod sets") {
    // ui's documented external sources keep the rule that admits another namespace, not the
    // one that names the release namespace by its name label (the same pods as a podSelector).
    const std::string yaml =
        "global: {networkPolicy: {enabled: true}}\n"
        "ui:\n"
        "  networkPolicy:\n"
        "    allowExternal: false\n"
        "    additionalIngress:\n"
        "      - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "
        "default}}, podSelector: {matchLabels: {app: janitor}}}]\n"
        "        ports: [{port: 8080, protocol: TCP}]\n"
        "      - from: [{namespaceSelector: {matchLabels: {team: edge}}}]\n"
        "        ports: [{port: 8080, protocol: TCP}]\n";
    const std::string flows = "source,destination,port,protocol\nquery,meta,9500,TCP\n";
    LpRun run = lp_run(yaml, flows);
    lp_check_sound(run, flows, "");
    const OverlayKey* in = lp_key(run.suggestion, "ui.networkPolicy.additionalIngress");
    REQUIRE(in);
    REQUIRE(in->value.seq.size() == 1);
    CHECK(values::find_path(in->value, "[0].from[0].namespaceSelector.matchLabels.team")->scalar ==
          "edge");
  }

  TEST_CASE("a global raw rule only some services use moves to theirs") {
    const std::string yaml =
        "global:\n"
        "  networkPolicy:\n"
        "    enabled: true\n"
        "    additionalIngress:\n"
        "      - from: [{namespaceSelector: {matchLabels: {name: monitoring}}}]\n"
        "        ports: [{port: 9090, protocol: TCP}]\n";
    // Prometheus scraped meta alone in the window.
    const std::string hubble = lp_hubble("monitoring", "app=prometheus", 9090);
    LpRun run = lp_run(yaml, hubble);
    lp_check_sound(run, hubble, "");
    const OverlayKey* global = lp_key(run.suggestion, "global.networkPolicy.additionalIngress");
    REQUIRE(global);
    CHECK(global->value.seq.empty());
    CHECK(global->comment.at(0).find("moved to the rules of the services that use it") !=
          std::string::npos);
    const OverlayKey* meta = lp_key(run.suggestion, "meta.networkPolicy.additionalIngress");
    REQUIRE(meta);
    REQUIRE(meta->value.seq.size() == 1);
    CHECK(
        values::find_path(meta->value, "[0].from[0].namespaceSelector.matchLabels.name")->scalar ==
        "monitoring");
    CHECK(lp_key(run.suggestion, "query.networkPolicy.additionalIngress") == nullptr);
    // Before, monitoring reached every service on 9090; after, meta alone.
    const std::string monitoring = "sel:ns(name=monitoring)";
    CHECK(test::edge_ports(run.before, monitoring, "query") == "TCP 9090");
    CHECK(test::edge_ports(run.after, monitoring, "query") == "(no edge)");
    CHECK(test::edge_ports(run.after, monitoring, "meta") == "TCP 9090");
  }

  TEST_CASE("allowExternal used on some of its ports: any source on those alone") {
    const std::string yaml =
        "global: {networkPolicy: {enabled: true}}\n"
        "janitor: {service: {ports: [8080, 8081]}, networkPolicy: {allowExternal: true}}\n";
    const std::string flows = "source,destination,port,protocol\n203.0.113.5,janitor,8080,TCP\n";
    LpRun run = lp_run(yaml, flows);
    lp_check_sound(run, flows, "");
    CHECK(test::edge_ports(run.before, "any-source", "janitor") == "TCP 8080, 8081");
    CHECK(test::edge_ports(run.after, "any-source", "janitor") == "TCP 8080");
    const OverlayKey* off = lp_key(run.suggestion, "janitor.networkPolicy.allowExternal");
    REQUIRE(off);
    CHECK(off->value.scalar == "false");
    const OverlayKey* rule = lp_key(run.suggestion, "janitor.networkPolicy.additionalIngress");
    REQUIRE(rule);
    CHECK(values::find_path(rule->value, "[0].from") == nullptr);  // any source
    CHECK(values::find_path(rule->value, "[0].ports[0].port")->scalar == "8080");
    CHECK(values::find_path(rule->value, "[0].ports[1]") == nullptr);
  }

  TEST_CASE("a week of flows: unused peers cut, blocks narrowed to the addresses contacted") {
    const std::string yaml = lp_sample("production.yaml");
    const std::string flows =
        test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/flows/production-week.csv");
    LpRun run = lp_run(yaml, flows);
    lp_check_sound(run, flows, "");
    // nursery sent nothing in the week: its peers go on both sides.
    CHECK(test::edge_ports(run.before, "nursery", "query") == "TCP 9510");
    CHECK(test::edge_ports(run.after, "nursery", "query") == "(no edge)");
    const OverlayKey* egress = lp_key(run.suggestion, "nursery.networkPolicy.egressTo");
    REQUIRE(egress);
    CHECK(egress->value.seq.empty());
    const OverlayKey* meta_in = lp_key(run.suggestion, "meta.networkPolicy.ingressFrom");
    REQUIRE(meta_in);
    CHECK(meta_in->value.seq.size() == 4);
    CHECK(meta_in->comment.at(0).find("app nursery") != std::string::npos);
    // Every flow that was allowed still is, ui -> query among them.
    CHECK(test::edge_ports(run.after, "ui", "query") == "TCP 9510");
    // S3 (10.0.0.0/16 except 10.0.99.0/24) was contacted at 10.0.3.20 by meta, .21 by query
    // and .22 by ingest: no service may reach what only another contacted. meta keeps the
    // shared list, its two entries narrowed to its own addresses; query and ingest get theirs
    // as their own rules; ui and nursery, documented to need S3 but silent in the week, keep
    // the whole block.
    const OverlayKey* ext = lp_key(run.suggestion, "global.networkPolicy.externalEgress");
    REQUIRE(ext);
    std::set<std::string> shared;
    for (const auto& entry : ext->value.seq) {
      CHECK(entry.find("except") == nullptr);
      shared.insert(entry.find("cidr")->scalar + " " +
                    values::find_path(entry, "ports[0].port")->scalar);
    }
    CHECK(shared == std::set<std::string>{"10.0.3.20/32 443", "10.1.0.15/32 5432"});
    CHECK(lp_key(run.suggestion, "meta.networkPolicy.allowExternalEgress") == nullptr);
    const OverlayKey* query = lp_key(run.suggestion, "query.networkPolicy.additionalEgress");
    REQUIRE(query);
    CHECK(values::find_path(query->value, "[0].to[0].ipBlock.cidr")->scalar == "10.0.3.21/32");
    CHECK(values::find_path(query->value, "[0].ports[0].port")->scalar == "443");
    CHECK(values::find_path(query->value, "[1]") == nullptr);
    const OverlayKey* ui = lp_key(run.suggestion, "ui.networkPolicy.additionalEgress");
    REQUIRE(ui);
    CHECK(values::find_path(ui->value, "[0].to[0].ipBlock.cidr")->scalar == "10.0.0.0/16");
    CHECK(values::find_path(ui->value, "[0].to[0].ipBlock.except[0]")->scalar == "10.0.99.0/24");
    CHECK(test::edge_ports(run.after, "query", "ext:PostgreSQL") == "(no edge)");
    CHECK(lp_key(run.suggestion, "query.networkPolicy.allowExternalEgress")->value.scalar ==
          "false");
    // The blocked flow (janitor to the NAT subnet) stays denied; nothing new is denied.
    CHECK(lp_count(run.after, "denied-flow") == lp_count(run.before, "denied-flow"));
    CHECK(lp_count(run.before, "denied-flow") == 1);
  }

  TEST_CASE("an intent allow keeps its path, with no flow on it") {
    const std::string yaml = lp_sample("production.yaml");
    const std::string flows = "source,destination,port,protocol\nui,query,9510,TCP\n";
    const std::string intent =
        "allow:\n  - {from: nursery, to: meta, port: TCP/9500}\n"
        "  - {from: janitor, to: meta}\n";
    LpRun run = lp_run(yaml, flows, intent);
    lp_check_sound(run, flows, intent);
    CHECK(test::edge_ports(run.after, "nursery", "meta") == "TCP 9500");
    // janitor -> meta stays on its shortest path, the direct hop.
    CHECK(test::edge_ports(run.after, "janitor", "meta") == "TCP 9500");
    CHECK(test::edge_ports(run.after, "ui", "query") == "TCP 9510");
    // Nothing asked for nursery -> query.
    CHECK(test::edge_ports(run.after, "nursery", "query") == "(no edge)");
    const OverlayKey* egress = lp_key(run.suggestion, "nursery.networkPolicy.egressTo");
    REQUIRE(egress);
    REQUIRE(egress->value.seq.size() == 1);
    CHECK(egress->item_comments.at(0).at(0).find("intent allow[0] (intent.yaml:2:5)") !=
          std::string::npos);
  }

  TEST_CASE("ports narrowed to the ones flows used, and a raw rule with none cut") {
    const std::string yaml =
        "global: {networkPolicy: {enabled: true}}\n"
        "meta:\n"
        "  networkPolicy:\n"
        "    ingressFrom:\n"
        "      - {app: query, ports: [9500, 9501, 9502]}\n"
        "    additionalIngress:\n"
        "      - from: [{namespaceSelector: {matchLabels: {name: monitoring}}}]\n"
        "        ports: [{port: 9090, protocol: TCP}, {port: 9091, protocol: TCP}]\n"
        "      - from: [{namespaceSelector: {matchLabels: {name: backup}}}]\n"
        "query:\n"
        "  networkPolicy:\n"
        "    egressTo:\n"
        "      - {app: meta, ports: [9500, 9501, 9502]}\n";
    // Pods of another namespace are Hubble's to name (a CSV end is a service or an address).
    const std::string hubble =
        lp_hubble("monitoring", "app=prometheus", 9090) + lp_hubble("default", "app=query", 9501);
    LpRun run = lp_run(yaml, hubble);
    lp_check_sound(run, hubble, "");
    CHECK(test::edge_ports(run.after, "query", "meta") == "TCP 9501");
    const OverlayKey* in = lp_key(run.suggestion, "meta.networkPolicy.additionalIngress");
    REQUIRE(in);
    REQUIRE(in->value.seq.size() == 1);  // backup's rule: no flow
    CHECK(values::find_path(in->value, "[0].ports[0].port")->scalar == "9090");
    CHECK(values::find_path(in->value, "[0].ports[1]") == nullptr);
    const OverlayKey* peer = lp_key(run.suggestion, "meta.networkPolicy.ingressFrom");
    REQUIRE(peer);
    CHECK(values::find_path(peer->value, "[0].ports[0]")->scalar == "9501");
    CHECK(values::find_path(peer->value, "[0].ports[1]") == nullptr);
  }

  TEST_CASE("--max-prefixes: a cover of the contacted addresses inside the block, no wider") {
    std::mt19937 rng(34);
    for (int round = 0; round < 40; ++round) {
      std::set<std::string> contacted;
      std::string flows = "source,destination,port,protocol\n";
      const int n = 1 + static_cast<int>(rng() % 12);
      for (int i = 0; i < n; ++i) {
        std::string ip = "10.0." + std::to_string(rng() % 99) + "." + std::to_string(rng() % 256);
        contacted.insert(ip);
        flows += "meta," + ip + ",443,TCP\n";
      }
      SuggestOptions options;
      options.max_prefixes = 1 + rng() % 4;
      CAPTURE(flows);
      CAPTURE(options.max_prefixes);
      LpRun run = lp_run(kMetaAloneEgress, flows, "", options);
      const OverlayKey* ext = lp_key(run.suggestion, "global.networkPolicy.externalEgress");
      REQUIRE(ext);
      std::vector<Cidr> cover;
      for (const auto& entry : ext->value.seq)
        if (values::find_path(entry, "ports[0].port")->scalar == "443")
          cover.push_back(Cidr::parse(entry.find("cidr")->scalar));
      CHECK(cover.size() <= options.max_prefixes);
      const Cidr block = Cidr::parse("10.0.0.0/16");
      for (const Cidr& c : cover) CHECK(block.contains(c));
      for (const auto& ip : contacted) {
        const Cidr a = Cidr::parse(ip + "/32");
        CHECK(
            std::any_of(cover.begin(), cover.end(), [&](const Cidr& c) { return c.contains(a); }));
      }
      // Each prefix is the smallest block holding the addresses it holds.
      for (const Cidr& c : cover) {
        std::vector<std::uint32_t> inside;
        for (const auto& ip : contacted)
          if (c.contains(Cidr::parse(ip + "/32")))
            inside.push_back(static_cast<std::uint32_t>(Cidr::parse(ip + "/32").range().first));
        REQUIRE(!inside.empty());
        int common = 32;
        for (std::uint32_t x : inside)
          while (common > 0 && ((x ^ inside.front()) >> (32 - common)) != 0) --common;
        CHECK(c.prefix() == common);
      }
      if (contacted.size() <= options.max_prefixes) CHECK(cover.size() == contacted.size());
      CHECK_FALSE(run.check.widens);
    }
  }

  TEST_CASE("random charts and flows: only narrows, keeps every ask, a fixed point") {
    std::mt19937 rng(3404);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const std::vector<std::string> services = {"meta",    "query", "ingest",
                                               "janitor", "ui",    "nursery"};
    const std::vector<int> ports = {9500, 9510, 8080, 4317};
    const std::vector<std::string> blocks = {"0.0.0.0/0", "10.0.0.0/16", "10.1.0.0/24",
                                             "52.216.0.0/15"};
    for (int round = 0; round < 150; ++round) {
      std::string yaml = "global:\n  networkPolicy:\n    enabled: true\n    externalEgress:\n";
      // (Each draw is its own statement: the order in which the operands of + are evaluated
      // is the compiler's, and GCC's and clang's trees must draw the same charts.)
      for (std::size_t e = 1 + pick(3); e > 0; --e) {
        const std::string& block = blocks[pick(blocks.size())];
        const std::string port = pick(2) ? "443" : "5432";
        yaml += "      - {cidr: " + block + ", ports: [{port: " + port + ", protocol: TCP}]}\n";
      }
      if (pick(2) == 0)  // a global raw rule: some services may use it, others not
        yaml +=
            "    additionalEgress:\n      - to: [{ipBlock: {cidr: 10.0.0.0/8}}]\n"
            "        ports: [{port: 443, protocol: TCP}, {port: 5432, protocol: TCP}]\n";
      for (const auto& s : services) {
        yaml += s + ":\n";
        if (pick(3) == 0) yaml += "  service: {ports: [8080, 9090, 9510]}\n";
        yaml += "  networkPolicy:\n";
        yaml += "    allowExternal: " + std::string(pick(2) ? "true" : "false") + "\n";
        yaml += "    allowExternalEgress: " + std::string(pick(3) ? "true" : "false") + "\n";
        for (const char* list : {"ingressFrom", "egressTo"}) {
          yaml += "    " + std::string(list) + ":\n";
          for (std::size_t p = pick(3); p > 0; --p) {
            const std::string& app = services[pick(services.size())];
            const int first = ports[pick(ports.size())];
            const int second = ports[pick(ports.size())];
            yaml += "      - {app: " + app + ", ports: [" + std::to_string(first) + ", " +
                    std::to_string(second) + "]}\n";
          }
        }
        if (pick(3) == 0)
          yaml +=
              "    additionalIngress:\n      - from: [{namespaceSelector: {matchLabels: {name: "
              "monitoring}}}]\n        ports: [{port: 9090, protocol: TCP}]\n";
      }
      std::string flows = "source,destination,port,protocol\n";
      for (std::size_t f = pick(12); f > 0; --f) {
        const std::string& from = services[pick(services.size())];
        switch (pick(3)) {
          case 0: {
            const std::string& to = services[pick(services.size())];
            const int port = ports[pick(ports.size())];
            flows += from + "," + to + "," + std::to_string(port) + ",TCP\n";
            break;
          }
          case 1: {
            const std::size_t net = pick(2), host = pick(9);
            const char* port = pick(2) ? "443" : "5432";
            flows += from + ",10." + std::to_string(net) + ".0." + std::to_string(host) + "," +
                     port + ",TCP\n";
            break;
          }
          default: {
            const std::size_t host = pick(9);
            const int port = ports[pick(ports.size())];
            flows += "203.0.113." + std::to_string(host) + "," + from + "," + std::to_string(port) +
                     ",TCP\n";
          }
        }
      }
      const bool with_flows = pick(2) == 1 && flows.find('\n') + 1 < flows.size();
      CAPTURE(yaml);
      CAPTURE(flows);
      LpRun run = lp_run(yaml, with_flows ? flows : "");
      lp_check_sound(run, with_flows ? flows : "", "");
    }
  }

  TEST_CASE("refused: manifests, and policies switched off") {
    Analysis off = test::analyze_values("");
    CHECK_THROWS_WITH_AS(suggest(off, {}), doctest::Contains("the policies are disabled"), Error);
    Analysis manifests = test::analyze_manifests(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n"
        "spec: {template: {metadata: {labels: {app: a}}}}\n");
    CHECK_THROWS_WITH_AS(suggest(manifests, {}), doctest::Contains("not --manifests"), Error);
  }

  TEST_CASE("the overlay's YAML: comments wrapped, keys nested, lists item by item") {
    Suggestion s;
    OverlayKey a;
    a.path = "global.networkPolicy.externalEgress";
    a.value = values::Value::make_seq({});
    values::Value item = values::Value::make_map({});
    item.set("cidr", values::Value::make_scalar("10.0.0.0/16", true, {}));
    a.value.seq.push_back(item);
    a.comment = {std::string(120, 'x') + " tail", "short"};
    a.item_comments = {{"kept: need S3"}};
    OverlayKey b;
    b.path = "query.networkPolicy.allowExternal";
    b.value = values::Value::make_scalar("false", false, {});
    b.comment = {"was true"};
    s.keys = {a, b};
    std::ostringstream out;
    exporters::write_overlay_yaml(s, {"header line"}, out);
    CHECK(out.str() ==
          "# header line\n"
          "global:\n"
          "  networkPolicy:\n"
          "    # " +
              std::string(120, 'x') +
              "\n"
              "    #   tail\n"
              "    # short\n"
              "    externalEgress:\n"
              "      # kept: need S3\n"
              "      - cidr: 10.0.0.0/16\n"
              "query:\n"
              "  networkPolicy:\n"
              "    # was true\n"
              "    allowExternal: false\n");
    std::ostringstream empty;
    exporters::write_overlay_yaml(Suggestion{}, {"nothing to cut"}, empty);
    CHECK(empty.str() == "# nothing to cut\n{}\n");
    CHECK(values::read_values_file(empty.str(), "o.yaml").map.empty());
  }
}
