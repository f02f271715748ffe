#pragma once
// AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1, the
// SIG Network API): read from manifests, and folded into the rules of each service they
// apply to, so that every other part of netpol-graph goes on reading allow rules.
//
// For one pod and direction the API decides in tiers: the AdminNetworkPolicies' rules by
// priority (lower number first, then rule order; the first rule matching decides: Allow,
// Deny, or Pass to the next tier), then the NetworkPolicies (when one selects the pod, they
// decide: allowed if a rule allows), then the BaselineAdminNetworkPolicy's rules (first
// match: Allow or Deny), then allowed. `apply_admin_policies` writes that as allow rules:
// an Allow rule becomes a rule with the earlier Deny and Pass rules taken out (`except`),
// and the NetworkPolicy tier (or the unrestricted rule when no NetworkPolicy selects the
// pod) loses what an earlier Deny decided, unless a still earlier Pass handed it on. Pods are
// taken out per destination when edges are built (graph/match.hpp), so named ports resolve
// against the real destination; addresses (egress `networks`) are worked out here, port by
// port, into ipBlock rules.

#include <optional>
#include <string>
#include <vector>

#include "graph/chart.hpp"
#include "values/cursor.hpp"

namespace netpol::graph {

struct AdminPolicy {
  bool baseline = false;
  std::string id;  // "AdminNetworkPolicy/name"
  int priority = 0;
  // The subject: pods of the namespaces `namespaces` selects, or pods `pods` selects
  // (`namespaces` and `pods` of the Peer both set).
  Peer subject;
  std::vector<AdminRule> ingress, egress;
  Provenance at;
};

// Reads an AdminNetworkPolicy or BaselineAdminNetworkPolicy object (`obj` is the object,
// its path naming it). Unknown fields are errors, with "did you mean"; `nodes` peers are
// read and reported as a warning (netpol-graph knows no node addresses).
AdminPolicy read_admin_policy(const values::Cursor& obj, bool baseline,
                              std::vector<Warning>& warnings);

// Whether the policy's subject selects the pods of `s`.
bool subject_selects(const AdminPolicy& p, const Service& s);

// The rules of `policies` (any order) that apply to `s`, in the order they decide, as
// s.admin_ingress and s.admin_egress, and s's rules rewritten so that they allow exactly
// what the tiers allow. Call once per service, after its NetworkPolicy rules (with the
// unrestricted rule of a direction no NetworkPolicy isolates) and isolation flags are set.
void apply_admin_policies(Service& s, const std::vector<const AdminPolicy*>& policies);

// Warnings about the admin policies as a whole: AdminNetworkPolicies sharing a priority
// (the API leaves their order undefined; netpol-graph takes them by name).
std::vector<Warning> admin_policy_warnings(const std::vector<AdminPolicy>& policies);

}  // namespace netpol::graph
