#pragma once
// Inside find_issues (graph/analysis/findings.hpp): the Finder, which lists check's findings
// for one analysis, one file per family of findings: findings.cpp (the codes, the order of
// the work, waivers), findings_egress.cpp (DNS and egress open to the world),
// findings_rules.cpp (what the rules say against the profile and the selectors: one-sided,
// undocumented, select-all, no service ports, non-canonical), findings_exposure.cpp (what any
// source reaches; ingress a controller cannot use) and findings_admin.cpp (admin tiers that
// decide nothing). Only those files include this header.

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "error.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/findings.hpp"
#include "graph/analysis/reach.hpp"
#include "graph/read/admin.hpp"
#include "graph/rules/match.hpp"
#include "graph/sets/access.hpp"
#include "graph/sets/address_set.hpp"
#include "graph/sets/pod_cubes.hpp"
#include "suggest.hpp"

namespace netpol::graph::findings_detail {

class Finder {
 public:
  explicit Finder(const Analysis& analysis) : analysis_(analysis) {}

  std::vector<Finding> run();

 private:
  void add(std::string_view code, std::string message, Provenance where, std::string fix,
           std::string subject = "", std::string access = "");

  std::vector<Finding> sorted();

  static std::string join(const std::vector<std::string>& v);

  void dns();

  // Read from manifests, the DNS-shaped rules are whatever the policies say: one finding per
  // rule, naming the services it applies to.
  void dns_rules();

  // The values key that stands for a rule: the entry itself (the last provenance); none for
  // a rule built without one (the readers always give one; a Chart made in code may not).
  static const Provenance& rule_key(const Rule& r);

  void open_world();

  // Services whose egress rules, none of them to every address alone, together allow every
  // globally reachable address of a family on some ports (0.0.0.0/1 and 128.0.0.0/1 on 443):
  // open to the world all the same, said once per first such rule, with its services.
  void open_world_together(const std::set<std::string>& said_alone);

  // Egress of `from` towards `to`, without the DNS rule every service has.
  PortSet egress_without_dns(const Service& from, const Service& to);

  void one_sided();

  void documented();

  void selector_all();

  void exposure();

  void no_service_ports();

  // Whether the Allow rules before `deny` (in one service's order) take all it matches: its
  // pods (as sets, docs/model.md "Pods as sets") and addresses, each on its ports, less
  // what each earlier Allow takes on its own ports. The first Allow that took some, or null
  // when something is left for the Deny to decide.
  static const AdminRule* shadowed_by(const std::vector<AdminRule>& order, std::size_t deny);

  // An AdminNetworkPolicy Deny that decides nothing: for every service it applies to, Allow
  // rules of higher priority take all the traffic it matches first.
  void admin_shadowed();

  // Pods that no NetworkPolicy selects for a direction, where the BaselineAdminNetworkPolicy
  // has rules for them: the baseline, not the application's own policies, decides.
  void baseline_decides();

  // An Ingress backend whose pods' ingress policies keep the controller out (on some of
  // the Service's target ports): the route is configured but cannot work.
  void ingress_blocked();

  void noncanonical();

  const Analysis& analysis_;
  std::vector<Finding> out_;
};

}  // namespace netpol::graph::findings_detail
