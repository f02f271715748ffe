// graph/read/flows and graph/analysis/flows: observed traffic read from Hubble's jsonpb lines
// and from a flows CSV, and checked against what the policies allow (check --flows).

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/flows.hpp"
#include "graph/read/flows.hpp"
#include "support.hpp"

using namespace netpol;
using namespace netpol::graph;

namespace {

std::string flows_error(const std::string& text) {
  return test::input_error([&] { read_flows(text, "flows.csv"); });
}

Analysis production() {
  return test::analyze_values(test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/production.yaml"));
}

std::vector<Finding> with_code(const std::vector<Finding>& all, const std::string& code) {
  std::vector<Finding> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const Finding& f) { return f.code == code; });
  return out;
}

// A CSV flow line between two named ends (or addresses).
Flow csv_flow(const std::string& from, const std::string& to, int port,
              const std::string& protocol = "TCP") {
  return read_flows(from + "," + to + "," + std::to_string(port) + "," + protocol + "\n", "f.csv")
      .at(0);
}

}  // namespace

TEST_SUITE("graph: flows") {
  TEST_CASE("a flows CSV: header, comments, quoted names, counts, addresses of both families") {
    std::vector<Flow> flows = read_flows(
        "# a week\n"
        "Source,Destination,Port,Protocol,Count\n"
        "ui,query,9510,TCP,12\n"
        "\n"
        "\"shop/web, the old one\",\"db\"\"x\",5432,udp\n"
        "query,10.0.3.21,443,TCP\r\n"
        "fd00::1,ui,8080,sctp,1\n",
        "flows.csv");
    REQUIRE(flows.size() == 4);
    CHECK(flows[0].from.name == "ui");
    CHECK(flows[0].from.named);
    CHECK(flows[0].to.name == "query");
    CHECK(flows[0].port == 9510);
    CHECK(flows[0].protocol == Protocol::TCP);
    CHECK(flows[0].count == 12);
    CHECK(flows[0].at.str() == "flows.csv:3:1");
    CHECK(flows[1].from.name == "shop/web, the old one");
    CHECK(flows[1].to.name == "db\"x");
    CHECK(flows[1].protocol == Protocol::UDP);
    CHECK(flows[1].count == 1);
    CHECK((!flows[2].to.named && flows[2].to.ip == "10.0.3.21"));
    CHECK(flows[2].at.line == 6);
    CHECK(flows[3].from.ip == "fd00::1");
    CHECK(flows[3].protocol == Protocol::SCTP);
    CHECK(read_flows("", "empty.csv").empty());
  }

  TEST_CASE("a malformed CSV line is an error at its line and column, and nothing is read") {
    CHECK(flows_error("ui,query,70000,TCP\n") ==
          "flows.csv:1:10: port: port 70000 is not in 1-65535");
    CHECK(flows_error("ui,query,9510,ICMP\n")
              .rfind("flows.csv:1:15: protocol: unknown protocol", 0) == 0);
    CHECK(flows_error("ui,query,80,TCP\nui,query,eighty,TCP\n") ==
          "flows.csv:2:10: port: expected a number, got \"eighty\"");
    CHECK(flows_error("ui,query,80,TCP,0\n") ==
          "flows.csv:1:17: count: expected a count of 1 or more, got 0");
    CHECK(flows_error("ui,query,80\n")
              .rfind("flows.csv:1:10: expected 4 or 5 fields "
                     "(source,destination,port,protocol[,count]), "
                     "got 3",
                     0) == 0);
    CHECK(flows_error("\"ui,query,80,TCP\n") ==
          "flows.csv:1:1: a quoted field is not closed (expected a closing \")");
    CHECK(flows_error("ui,10.0.0.300,80,TCP\n")
              .rfind("flows.csv:1:4: destination: expected an address", 0) == 0);
    CHECK(flows_error(",query,80,TCP\n").rfind("flows.csv:1:1: source: expected a service", 0) ==
          0);
    // A hostile name is shown on one line.
    CHECK(flows_error("ui,\"10.0.0.1\n\",1,TCP\n").find('\n') == std::string::npos);
  }

  TEST_CASE("Hubble's jsonpb lines: flows with pods' labels, replies and status lines left out") {
    std::vector<Flow> flows =
        read_flows(test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/flows/production-hubble.jsonl"),
                   "hubble.jsonl");
    REQUIRE(flows.size() == 4);  // one reply, one node status
    const Flow& nginx = flows[0];
    CHECK(nginx.from.pod);
    CHECK(nginx.from.ns == "ingress-nginx");
    CHECK(nginx.from.labels == Labels{{"app.kubernetes.io/component", "controller"},
                                      {"app.kubernetes.io/name", "ingress-nginx"}});
    CHECK(nginx.from.ns_labels == Labels{{"kubernetes.io/metadata.name", "ingress-nginx"}});
    CHECK(nginx.to.labels == Labels{{"app", "ui"}});
    CHECK(nginx.port == 8080);
    CHECK(nginx.from.ip == "10.244.1.7");
    CHECK(nginx.from.workload == "ingress-nginx-controller");
    CHECK(nginx.from.shown() == "ingress-nginx/ingress-nginx-controller");
    CHECK(flows[1].from.shown() == "default/query-0");  // no workloads given: the pod
    CHECK(!nginx.dropped);
    CHECK(nginx.at.str() == "hubble.jsonl:1:1");
    CHECK(flows[2].dropped);
    CHECK(flows[3].protocol == Protocol::UDP);
    CHECK(flows[3].at.line == 5);
    // lowerCamelCase names, as protojson writes them by default, read alike.
    std::vector<Flow> camel = read_flows(
        R"({"flow":{"l4":{"TCP":{"destinationPort":80}},"source":{"namespace":"a","podName":"p"},)"
        R"("destination":{"namespace":"b"},"isReply":false}})",
        "c.jsonl");
    REQUIRE(camel.size() == 1);
    CHECK(camel[0].port == 80);
    CHECK(camel[0].from.name == "p");
    // ICMP has no port: left out.
    CHECK(read_flows(R"({"flow":{"l4":{"ICMPv4":{"type":8}},"source":{"namespace":"a"},)"
                     R"("destination":{"namespace":"b"}}})",
                     "i.jsonl")
              .empty());
  }

  TEST_CASE("a malformed Hubble line is an error at its line") {
    auto error = [](const std::string& text) {
      return test::input_error([&] { read_flows(text, "h.jsonl"); });
    };
    const std::string ok =
        R"({"flow":{"l4":{"TCP":{"destination_port":80}},"source":{"namespace":"a"},)"
        R"("destination":{"namespace":"b"}}})";
    CHECK(error(ok + "\n{\"flow\": [}\n").rfind("h.jsonl:2:", 0) == 0);
    CHECK(error(ok + "\n[1, 2]\n") == "h.jsonl:2:1: expected a JSON object a line, got array");
    CHECK(error(R"({"flow":{"l4":{"TCP":{"destination_port":"80"}}}})") ==
          "h.jsonl:1:1: flow.l4.TCP.destination_port: expected the destination port as a number");
    CHECK(error(R"({"flow":{"l4":{"UDP":{"destination_port":0}}}})") ==
          "h.jsonl:1:1: flow.l4.UDP.destination_port: port 0 is not in 1-65535");
    CHECK(error(R"({"flow":{"l4":{"TCP":{"destination_port":80}},"source":{"namespace":"a"}}})") ==
          "h.jsonl:1:1: flow: a flow end with neither a namespace nor an address");
    CHECK(error(R"({"flow":{"l4":{"TCP":{"destination_port":80}},"source":{"labels":"x"}}})") ==
          "h.jsonl:1:1: flow.source.labels: expected a list of labels, got string");
    // A number past a double is nlohmann's out_of_range, not a parse error: it ended the
    // program (std::terminate) until it was caught as the line's error too (fuzz_parsers).
    CHECK(error(ok + "\n{\"flow\":{\"time\":51e423}}\n") ==
          "h.jsonl:2:1: not a JSON object a line, as hubble observe --output jsonpb prints "
          "(number overflow parsing '51e423')");
  }

  TEST_CASE("a flow is allowed exactly when the graph has a one-hop path on its port") {
    const Analysis a = production();
    const PolicyGraph& g = a.graph;
    const std::vector<int> ports = {53, 443, 4317, 4318, 5432, 8080, 9500, 9510, 9999};
    std::size_t allowed = 0, denied = 0;
    for (const Service& s : a.chart.services)
      for (const Service& d : a.chart.services) {
        if (s.name == d.name) continue;
        for (int port : ports) {
          ReachOptions one_hop;
          one_hop.port = PortQuery{Protocol::TCP, port};
          one_hop.max_hops = 1;
          bool reach = route_between(g, *g.find(s.name), *g.find(d.name), one_hop).has_value();
          std::vector<Finding> found = check_flows(a, {csv_flow(s.name, d.name, port)});
          bool is_denied = !with_code(found, "denied-flow").empty();
          const std::string pair = s.name + " -> " + d.name + " " + std::to_string(port);
          CHECK_MESSAGE(reach == !is_denied, pair);
          (reach ? allowed : denied) += 1;
        }
      }
    CHECK(allowed > 0);
    CHECK(denied > 0);
  }

  TEST_CASE("addresses: held by an edge's blocks on its ports, an except left out") {
    const Analysis a = production();
    auto denied = [&](const Flow& f) {
      return with_code(check_flows(a, {f}), "denied-flow").size();
    };
    CHECK(denied(csv_flow("meta", "10.0.3.20", 443)) == 0);         // S3: 10.0.0.0/16
    CHECK(denied(csv_flow("meta", "10.0.99.4", 443)) == 1);         // its except
    CHECK(denied(csv_flow("meta", "10.0.3.20", 5432)) == 1);        // S3 is 443 only
    CHECK(denied(csv_flow("meta", "10.1.0.15", 5432)) == 0);        // PostgreSQL
    CHECK(denied(csv_flow("meta", "10.96.0.10", 53, "UDP")) == 0);  // DNS to any address
    CHECK(denied(csv_flow("meta", "192.0.2.1", 443)) == 1);
    CHECK(denied(csv_flow("203.0.113.7", "query", 9510)) == 0);  // any-source -> query
    CHECK(denied(csv_flow("203.0.113.7", "meta", 9500)) == 1);
  }

  TEST_CASE("pods nobody listed: by the selectors that hold them") {
    const Analysis a = production();
    std::vector<Flow> hubble =
        read_flows(test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/flows/production-hubble.jsonl"),
                   "hubble.jsonl");
    std::vector<Finding> found = check_flows(a, hubble);
    std::vector<Finding> denied = with_code(found, "denied-flow");
    // The controller reaches ui through its selector; query -> meta and query's DNS are
    // allowed; nursery -> ingest on 4317 is not, and Hubble saw it dropped.
    REQUIRE(denied.size() == 1);
    CHECK(denied[0].subject == "nursery -> ingest TCP 4317");  // by service, not by replica
    CHECK(denied[0].severity == Severity::Error);
    CHECK(denied[0].where.where.str() == "hubble.jsonl:4:1");
    CHECK(denied[0].message.find("Hubble saw it dropped") != std::string::npos);
    // Another pod of the controller's namespace but not its labels is held by no selector.
    Flow other = hubble[0];
    other.from.labels = {{"app", "other"}};
    std::vector<Finding> other_denied = with_code(check_flows(a, {other}), "denied-flow");
    REQUIRE(other_denied.size() == 1);
    CHECK(other_denied[0].subject == "ingress-nginx/ingress-nginx-controller -> ui TCP 8080");
  }

  TEST_CASE("unused allowances: every edge's ports no flow used, at the key that opens it") {
    const Analysis a = production();
    std::vector<Flow> week = read_flows(
        test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/flows/production-week.csv"), "week.csv");
    std::vector<Finding> found = check_flows(a, week);
    std::vector<Finding> unused = with_code(found, "unused-allowance");
    auto about = [&](const std::string& subject) {
      return std::count_if(unused.begin(), unused.end(),
                           [&](const Finding& f) { return f.subject == subject; });
    };
    CHECK(about("query -> meta") == 0);         // used
    CHECK(about("ui -> ext:PostgreSQL") == 1);  // never used
    CHECK(about("nursery -> meta") == 1);
    for (const Finding& f : unused) {
      CHECK(f.severity == Severity::Info);
      CHECK(!f.where.path.empty());  // a values key
    }
    // DNS, which the chart renders whatever the values say, is never an unused allowance.
    CHECK(about("meta -> dns") == 0);
    CHECK(about("janitor -> dns") == 0);
    std::vector<Finding> denied = with_code(found, "denied-flow");
    REQUIRE(denied.size() == 1);
    CHECK(denied[0].subject == "janitor -> 10.0.99.4 TCP 443");
    CHECK(denied[0].message.find("seen 3 times") != std::string::npos);
    // A flow per port of every edge leaves no allowance unused.
    std::vector<Flow> every;
    for (const auto& e : a.graph.edges()) {
      const Node& from = a.graph.node(e.from);
      const Node& to = a.graph.node(e.to);
      for (const auto& item : a.graph.edge(e).ports.items()) {
        if (item.all || !item.name.empty()) continue;
        for (int port = item.lo; port <= item.hi; ++port) {
          Flow f;
          f.protocol = item.protocol;
          f.port = port;
          auto end = [&](const Node& n, FlowEnd& out, bool source) {
            if (n.kind == NodeKind::Service) {
              out.name = n.id;
              out.named = true;
            } else if (n.kind == NodeKind::AnySource) {
              out.ip = "203.0.113.1";
            } else if (n.pods) {  // the ingress controller's pods
              out.pod = true;
              out.ns = "ingress-nginx";
              out.ns_labels = {{"kubernetes.io/metadata.name", "ingress-nginx"}};
              out.labels = {{"app.kubernetes.io/component", "controller"},
                            {"app.kubernetes.io/name", "ingress-nginx"}};
            } else if (!a.graph.edge(e).blocks.empty()) {
              out.ip = a.graph.edge(e).blocks.front().block.cidr.str();
              out.ip = out.ip.substr(0, out.ip.find('/'));
            } else {
              out.ip = "192.0.2.1";
            }
            (void)source;
          };
          end(from, f.from, true);
          end(to, f.to, false);
          every.push_back(f);
        }
      }
    }
    CHECK(with_code(check_flows(a, every), "unused-allowance").empty());
    CHECK(with_code(check_flows(a, every), "denied-flow").empty());
  }

  TEST_CASE(
      "pods nobody listed: a flow is allowed exactly as the peers' selectors, evaluated "
      "pod by pod over one pod of every label class, say") {
    // db admits, on TCP 5432, pods with role x or y in namespaces with team=a, and pods with
    // role z in namespaces whose env is not prod (an absent env included).
    const Analysis a = test::analyze_manifests(R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: data}
spec: {template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: data}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {team: a}}
          podSelector: {matchExpressions: [{key: role, operator: In, values: [x, y]}]}
        - namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}
          podSelector: {matchLabels: {role: z}}
      ports: [{port: 5432}]
)");
    std::size_t allowed = 0, denied = 0;
    const std::vector<std::string> teams = {"a", "b", ""}, envs = {"prod", "dev", ""},
                                   roles = {"x", "y", "z", "w", ""};
    for (const auto& team : teams)
      for (const auto& env : envs)
        for (const auto& role : roles) {
          Flow f;
          f.port = 5432;
          f.from.pod = true;
          f.from.ns = "other";
          f.from.name = "p";
          f.from.ns_labels = {{"kubernetes.io/metadata.name", "other"}};
          if (!team.empty()) f.from.ns_labels["team"] = team;
          if (!env.empty()) f.from.ns_labels["env"] = env;
          if (!role.empty()) f.from.labels["role"] = role;
          f.to.name = "data/db";
          f.to.named = true;
          const bool expected =
              (team == "a" && (role == "x" || role == "y")) || (env != "prod" && role == "z");
          const bool is_denied = !with_code(check_flows(a, {f}), "denied-flow").empty();
          const std::string pod = "team=" + team + " env=" + env + " role=" + role;
          CHECK_MESSAGE(expected == !is_denied, pod);
          (expected ? allowed : denied) += 1;
        }
    CHECK(allowed == 12);
    CHECK(denied == 33);
  }

  TEST_CASE("an unused edge whose key opens a used one too is narrowed, not removed") {
    const Analysis a = test::analyze_manifests(
        test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/manifests/three-namespaces.yaml"));
    std::vector<Finding> unused = with_code(
        check_flows(a, {csv_flow("backend/api", "data/postgres", 5432)}), "unused-allowance");
    // data's ingress[0] admits namespaces with tier=backend: api (used) and the other pods
    // of those namespaces (the selector's edge: unused).
    const Finding* selector = nullptr;
    for (const Finding& f : unused)
      if (f.subject == "sel:ns(tier=backend) -> data/postgres") selector = &f;
    REQUIRE(selector);
    CHECK(selector->message.find("its key also opens api -> data/postgres, which flows used") !=
          std::string::npos);
    CHECK(selector->fix.find("removing it would cut api -> data/postgres too") !=
          std::string::npos);
    // An edge whose key nothing used says plainly to narrow or remove it.
    for (const Finding& f : unused)
      if (f.subject == "frontend/admin -> sel:ns(tier=backend)")
        CHECK(f.fix == "if the window was long enough, narrow or remove the key that opens it");
  }

  TEST_CASE("a name the inputs do not have is one warning, its flows left out") {
    const Analysis a = production();
    std::vector<Finding> found =
        check_flows(a, {csv_flow("ghost", "query", 9510), csv_flow("ghost", "meta", 9500),
                        csv_flow("ui", "shop/web", 80)});
    std::vector<Finding> unknown = with_code(found, "flow-unknown-endpoint");
    REQUIRE(unknown.size() == 2);
    CHECK(unknown[0].subject == "ghost");
    CHECK(unknown[0].message.find("seen 2 times") != std::string::npos);
    CHECK(unknown[1].subject == "shop/web");
    CHECK(with_code(found, "denied-flow").empty());
  }

  TEST_CASE("check --flows: the analysis applies them as it computes its findings") {
    Review review;
    review.flows = read_flows("janitor,10.0.99.4,443,TCP,3\n", "f.csv");
    Analysis a = analyze(
        test::merged_values(test::slurp(std::string(NETPOL_SAMPLES_DIR) + "/production.yaml")),
        test::embedded_profile(), "default", {"<defaults>", "values.yaml"}, nullptr,
        PolicyGraph::kMaxPairs, review);
    CHECK(!with_code(a.findings, "denied-flow").empty());
    CHECK(!with_code(a.findings, "unused-allowance").empty());
    CHECK(a.findings.front().severity == Severity::Error);  // errors first
    Analysis without = production();
    CHECK(with_code(without.findings, "unused-allowance").empty());
  }

  TEST_CASE(
      "services held as classes (past --max-pairs): the same denied flows, unused ports per class "
      "edge") {
    // Twelve services alike (open to any source on every port, DNS out), held as one class.
    std::string yaml = "global: {networkPolicy: {enabled: true}}\n";
    for (int i = 0; i < 12; ++i)
      yaml += "svc-" + std::to_string(10 + i) + ": {networkPolicy: {allowExternal: true}}\n";
    const std::vector<Flow> flows =
        read_flows("svc-10,svc-11,53,UDP\nsvc-12,svc-13,9999,TCP\n", "f.csv");
    auto with_pairs = [&](std::size_t max_pairs) {
      return analyze(test::merged_values(yaml), test::embedded_profile(), "default",
                     {"<defaults>", "values.yaml"}, nullptr, max_pairs);
    };
    const Analysis classes = with_pairs(0), pairs = with_pairs(PolicyGraph::kMaxPairs);
    REQUIRE(classes.graph.has_classes());
    REQUIRE_FALSE(pairs.graph.has_classes());
    const std::vector<Finding> in_classes = check_flows(classes, flows);
    const std::vector<Finding> in_pairs = check_flows(pairs, flows);
    std::vector<std::string> denied_classes, denied_pairs;
    for (const auto& f : with_code(in_classes, "denied-flow")) denied_classes.push_back(f.subject);
    for (const auto& f : with_code(in_pairs, "denied-flow")) denied_pairs.push_back(f.subject);
    CHECK(denied_classes == std::vector<std::string>{"svc-12 -> svc-13 TCP 9999"});
    CHECK(denied_classes == denied_pairs);
    // The class edge between the twelve: one finding for its 132 pairs, UDP 53 used on one.
    std::optional<Finding> class_edge;
    for (const auto& f : with_code(in_classes, "unused-allowance"))
      if (f.subject.rfind("class-senders:", 0) == 0 &&
          f.subject.find("-> class-receivers:") != std::string::npos)
        class_edge = f;
    REQUIRE(class_edge);
    CHECK(class_edge->message.find("(one edge for 132 pairs)") != std::string::npos);
    CAPTURE(class_edge->message);
    CHECK(class_edge->message.find("TCP 53 of it no flow used (UDP 53 did)") != std::string::npos);
    CHECK_FALSE(class_edge->where.path.empty());
    // Pair by pair, the one pair flows used has only TCP 53 unused; the others all of DNS.
    std::size_t unused_pairs = 0;
    for (const auto& f : with_code(in_pairs, "unused-allowance"))
      if (f.subject.rfind("svc-", 0) == 0 && f.subject.find("-> svc-") != std::string::npos) {
        ++unused_pairs;
        if (f.subject == "svc-10 -> svc-11")
          CHECK(f.message.find("TCP 53 of it no flow used (UDP 53 did)") != std::string::npos);
      }
    CHECK(unused_pairs == 132);
  }
}
