#include "graph/analysis/findings.hpp"

#include <algorithm>
#include <stdexcept>

#include "graph/analysis/finder.hpp"

namespace netpol::graph {

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::Info:
      return "info";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "warning";
}

Severity parse_severity(std::string_view s) {
  for (Severity v : {Severity::Info, Severity::Warning, Severity::Error})
    if (s == severity_name(v)) return v;
  throw ValueError("unknown severity \"" + std::string(s) + "\" (expected error, warning or info)");
}

const std::vector<FindingRule>& finding_rules() {
  static const std::vector<FindingRule> rules = {
      {"policies-disabled", Severity::Warning,
       "Network policies are disabled: nothing is restricted.",
       "With global.networkPolicy.enabled false the chart renders no NetworkPolicy: every pod "
       "may reach every pod on every port, and any source every service.",
       "Set global.networkPolicy.enabled: true, then review the table and check again."},
      {"otlp-egress-missing", Severity::Warning,
       "OTLP goes to a non-default endpoint but otlpEgress is empty, so telemetry is blocked.",
       "The chart opens egress only to the in-namespace ingest:4317; an external collector "
       "needs its addresses in global.networkPolicy.otlpEgress.",
       "Add the collector's CIDRs and port to global.networkPolicy.otlpEgress."},
      {"egress-open-world", Severity::Warning, "An egress rule allows 0.0.0.0/0 or ::/0.",
       "Egress to every address lets a compromised pod send data anywhere on those ports.",
       "Narrow the rule to the address blocks the services need."},
      {"dns-any-destination", Severity::Info, "DNS egress is allowed to any address.",
       "The chart's DNS rule has no destination: port 53 is open to any address, a known "
       "exfiltration channel.",
       "Nothing in the values narrows it; a cluster-wide policy can limit DNS to kube-dns."},
      {"one-sided-peer", Severity::Warning,
       "A peer rule the other side does not match, so it opens nothing.",
       "Traffic between two services needs the source's egress and the destination's ingress; "
       "an entry on one side only is dead configuration that reviewers read as access.",
       "Add the matching entry on the other side, or remove the entry."},
      {"unknown-peer", Severity::Warning, "A peer names no chart service.",
       "A peer app that is no chart service selects pods nobody defined, often a typo.",
       "Correct the name (the message suggests the closest), or select the pods explicitly."},
      {"reserved-name", Severity::Warning,
       "A service or an external entry is named like one of netpol-graph's own nodes.",
       "A service named dns, any-source or ns-pods would share the node that stands for DNS, "
       "any source or the namespace's pods, and its access would be theirs; the values' service "
       "is left out (from manifests, such a workload is named namespace/name instead). An "
       "externalEgress entry named * would be ext:*, the node for any address; it is drawn by "
       "its address block instead.",
       "Rename the service or the entry, or read the rendered manifests with --manifests."},
      {"unknown-key", Severity::Warning,
       "A values key the chart does not have (a typo?): Helm ignores it.",
       "Helm renders nothing from a key the chart does not read, so the intended policy is "
       "silently missing.",
       "Correct the key (the message suggests the closest), or remove it."},
      {"over-permission", Severity::Warning,
       "A service may reach an external destination it is not documented to need.",
       "Access beyond what the service needs widens what a compromised pod can reach.",
       "Give the service an egress rule for what it needs instead of allowExternalEgress, or "
       "add the need to the profile."},
      {"broken-dependency", Severity::Error,
       "A service may not reach an external destination it is documented to need.",
       "The policies block traffic the service is documented to send: it will fail at run "
       "time.",
       "Turn on the service's allowExternalEgress or add an externalEgress entry (the message "
       "says which)."},
      {"selector-all", Severity::Warning,
       "A raw rule selects every namespace, every pod of the namespace, or every address.",
       "An empty selector is easy to write by accident and opens far more than one peer.",
       "Select only the namespaces, pods or addresses that need it."},
      {"external-exposure", Severity::Info, "Services any source can reach, and how deep.",
       "Every service any source reaches, directly or through others, is attack surface.",
       "Expose only services that serve outside traffic, and check what they reach in turn."},
      {"no-service-ports", Severity::Warning,
       "allowExternal on a service with no known ports exposes every port.",
       "allowExternal admits any source on the service ports; without a known port the rule "
       "has no ports, which means every port.",
       "Set the service's service.port (or .ports), or turn allowExternal off."},
      {"denied-flow", Severity::Error, "A flow of check --flows that no policy allows.",
       "The traffic was seen (Hubble, or the flows CSV), so something depends on it: if the "
       "datapath dropped it, it fails now; otherwise it will fail once these policies apply.",
       "If the traffic is needed, open it in the values of both ends (reach --explain names "
       "the key that blocks it); if not, find and stop what sends it."},
      {"flow-unknown-endpoint", Severity::Warning,
       "A flow of check --flows names a service or workload the inputs do not have.",
       "Its flows cannot be checked: the name may be misspelt, or the workload gone or not "
       "part of the chart.",
       "Name a chart service, or a workload as namespace/name; drop the flows of workloads "
       "that are gone."},
      {"unused-allowance", Severity::Info,
       "An allowed path (or some of its ports) that no flow of check --flows used.",
       "Access nobody uses is attack surface with no purpose; the flows show what the "
       "services actually need in the window they cover.",
       "If the window was long enough to hold every real use (a week, a release), narrow or "
       "remove the values key that opens it."},
      {"intent-violated", Severity::Error,
       "A rule of the intent file (check --intent) does not hold.",
       "A deny rule names traffic that must never be possible, and some path allows it; an "
       "allow rule names traffic that must keep working, and no path allows it.",
       "Close one hop of the offending path (the message lists each hop's values keys), open "
       "the missing path, or change the rule if the access is intended."},
      {"not-kubernetes", Severity::Warning,
       "A file in a --manifests directory holds no Kubernetes object: it was skipped.",
       "A tool's output or a stray file next to the manifests is not part of the cluster; a "
       "manifest file that fails to parse as one would leave objects out of the review.",
       "Move the file out of the directory, or fix it if it was meant to hold objects."},
      {"api-would-refuse", Severity::Warning,
       "--manifests: an object the API server would refuse, read with the API's zero values.",
       "Such objects sit in repositories and in netpol-analyzer's suite, which reads them so; "
       "kubectl refuses them, so the cluster never held them as written. What was assumed "
       "is in the message.",
       "Write the field the API requires (the message says which and what was assumed)."},
      {"duplicate-object", Severity::Warning,
       "--manifests: the same object (kind, namespace and name) is given twice.",
       "Kubernetes keeps one object per name: applied as a stream, the last one replaces the "
       "first, so only the last is read. The first may be what the author meant.",
       "Remove one of the two, or give them different names."},
      {"replicas-differ", Severity::Warning,
       "--manifests: pods of one workload that a selector tells apart, or that differ in their "
       "container ports.",
       "Pods are shown by the workload that controls them; pods that policies treat "
       "differently cannot be one workload, so each kind is kept apart, named by its first "
       "pod. A rollout in progress does this; so does a pod relabelled by hand.",
       "Nothing, if a rollout is under way; else make the pods alike."},
      {"unmodelled-kind", Severity::Info,
       "Objects of kinds netpol-graph does not model were read and ignored.",
       "Only the kinds docs/manifests.md lists change what netpol-graph computes; the others "
       "(ConfigMaps, Secrets, ...) are counted so that nothing is left out silently.",
       "Nothing, if these kinds do not affect network access."},
      {"admin-priority-tie", Severity::Warning, "AdminNetworkPolicies share a priority.",
       "The API leaves the order of AdminNetworkPolicies of equal priority undefined: where "
       "their rules overlap, implementations may decide differently (netpol-graph takes them "
       "by name).",
       "Give each AdminNetworkPolicy its own priority."},
      {"admin-nodes-peer", Severity::Warning,
       "An admin policy rule has a nodes peer, which netpol-graph cannot place.",
       "netpol-graph knows pods and addresses, not which nodes have which addresses, so "
       "traffic to nodes is not in the graph.",
       "Add the nodes' addresses as a networks peer to see that traffic."},
      {"admin-deny-shadowed", Severity::Warning,
       "An AdminNetworkPolicy Deny rule never decides: higher-priority Allow rules take all it "
       "matches.",
       "A reviewer reads the Deny as a guarantee; the cluster allows that traffic first.",
       "Give the Deny a lower priority number than the Allow, or narrow the Allow."},
      {"baseline-decides", Severity::Info,
       "The BaselineAdminNetworkPolicy decides for services no NetworkPolicy selects.",
       "Where no NetworkPolicy selects a pod, the cluster's baseline (not the application's "
       "own policies) decides its traffic; a change to the baseline changes that access.",
       "Nothing, if the baseline is meant to decide; else add NetworkPolicies for them."},
      {"ingress-no-backend", Severity::Warning,
       "An Ingress backend names a Service, port or pods that are not there.",
       "The route is configured but leads nowhere: a typo in a name or port, or a Service "
       "left out of the manifests.",
       "Correct the backend's service name or port, or add the Service and its pods."},
      {"ingress-blocked", Severity::Warning,
       "An Ingress routes to pods whose ingress policies keep the ingress controller out.",
       "The controller's pods are not known, so a route works only where the policies admit "
       "an arbitrary in-cluster pod (netpol-analyzer's rule): else it is configured but "
       "blocked, unless a policy names the controller.",
       "Admit the ingress controller's namespace and pods in the backend's ingress policy."},
      {"noncanonical-cidr", Severity::Warning, "A CIDR with host bits set.",
       "10.0.0.1/16 means 10.0.0.0/16: the written address suggests a narrower block than the "
       "policy allows.",
       "Write the network address the policy means."},
  };
  return rules;
}

Severity severity_of(std::string_view code) {
  for (const auto& r : finding_rules())
    if (r.code == code) return r.severity;
  // A code no rule has is a typo in the code base, not in the input: every path that
  // raises it fails its test instead of passing as a warning.
  throw std::logic_error("finding code \"" + std::string(code) +
                         "\" has no rule in finding_rules()");
}

namespace findings_detail {

std::vector<Finding> Finder::run() {
  const Chart& chart = analysis_.chart;
  for (const Warning& w : chart.warnings) add(w.code, w.message, w.where, w.fix, w.message);
  if (!chart.enabled) {
    add("policies-disabled",
        "network policies are disabled: every pod may reach every pod on every port, any "
        "source every service, every service any address",
        chart.enabled_at, "set global.networkPolicy.enabled: true");
    return sorted();
  }
  dns();
  open_world();
  one_sided();
  documented();
  selector_all();
  exposure();
  no_service_ports();
  noncanonical();
  admin_shadowed();
  baseline_decides();
  ingress_blocked();
  return sorted();
}

void Finder::add(std::string_view code, std::string message, Provenance where, std::string fix,
                 std::string subject, std::string access) {
  if (code.empty()) return;
  out_.push_back({{std::string(code), std::move(message), std::move(where), std::move(fix)},
                  severity_of(code),
                  std::move(subject),
                  "",
                  std::move(access)});
}

std::vector<Finding> Finder::sorted() {
  sort_findings(out_);  // within a code, in the order they were found: chart order
  return std::move(out_);
}

std::string Finder::join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The values key that stands for a rule: the entry itself (the last provenance); none for
// a rule built without one (the readers always give one; a Chart made in code may not).
const Provenance& Finder::rule_key(const Rule& r) {
  static const Provenance none;
  return r.provenance.empty() ? none : r.provenance.back();
}
}  // namespace findings_detail

std::vector<Finding> find_issues(const Analysis& a) {
  return findings_detail::Finder(a).run();
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& x, const Finding& y) {
    if (x.severity != y.severity) return x.severity > y.severity;
    return x.code < y.code;
  });
}

Waivers::Ignore parse_ignore(std::string_view text) {
  auto colon = text.find(':');
  Waivers::Ignore out{std::string(text.substr(0, colon)), std::nullopt};
  if (colon != std::string_view::npos) out.path = std::string(text.substr(colon + 1));
  std::vector<std::string> codes;
  for (const auto& r : finding_rules()) codes.emplace_back(r.code);
  if (std::find(codes.begin(), codes.end(), out.code) == codes.end()) {
    std::string hint = did_you_mean(out.code, codes);
    throw ValueError("no finding code \"" + out.code + "\"" +
                     (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                     "; expected CODE or CODE:VALUES.PATH with a code of docs/findings.md");
  }
  if (out.path && out.path->empty())
    throw ValueError("\"" + std::string(text) + "\" has no values path after the colon");
  return out;
}

void apply_waivers(std::vector<Finding>& findings, const Waivers& waivers) {
  for (Finding& finding : findings) {
    for (const auto& i : waivers.ignore)
      if (i.code == finding.code && (!i.path || *i.path == finding.where.path)) {
        finding.waived = "--ignore " + i.code + (i.path ? ":" + *i.path : "");
        break;
      }
    if (!finding.waived.empty()) continue;
    for (const auto& known : waivers.baseline) {
      // By subject, or by access where both say it: a renamed destination is the same
      // finding, and so is a narrowed one under its name.
      const bool same =
          !known.subject || *known.subject == finding.subject ||
          (known.access && !finding.access.empty() && *known.access == finding.access);
      if (known.code == finding.code && known.path == finding.where.path && same) {
        finding.waived = "in the baseline " + waivers.baseline_name;
        break;
      }
    }
  }
}

}  // namespace netpol::graph
