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

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/chart.hpp"
#include "graph/pod_cubes.hpp"
#include "values/cursor.hpp"

namespace netpol::graph {

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

// `policies` in the order the tiers decide: AdminNetworkPolicies by priority (then name),
// then the baseline.
void sort_by_decision(std::vector<AdminPolicy>& policies);

// Pods nobody listed as admin subjects (docs/model.md, "Admin tiers"): of the pods `pods`,
// which ports they may use to send to (`sends`) or receive from the known pod `other`, as
// the tiers of `policies` (in decision order) decide for the pods their subjects select.
// The NetworkPolicies of pods nobody listed are not known: where no AdminNetworkPolicy
// decides, or one passes, they are read as selecting none (as every rule of the input reads
// such pods), so the baseline decides, else the traffic is allowed. Pieces of `pods` with
// their allowed ports (of `ports`; none empty, no two with the same ports); `resolve` gives
// an admin rule's ports as `ports` are given (named ports against the destination).
// `denials`, when given, gains each Deny that decided: the rule, the pods and the ports.
struct TierDenial {
  const AdminRule* rule = nullptr;
  PodCubes pods;
  PortSet ports;
};
std::vector<std::pair<PodCubes, PortSet>> outside_tiers(
    const std::vector<AdminPolicy>& policies, const PodCubes& pods, const Service& other,
    bool sends, const PortSet& ports, const std::function<PortSet(const PortSet&)>& resolve,
    std::vector<TierDenial>* denials = nullptr);

// Warnings about the admin policies as a whole: AdminNetworkPolicies sharing a priority
// (the API leaves their order undefined; netpol-graph takes them by name).
std::vector<Warning> admin_policy_warnings(const std::vector<AdminPolicy>& policies);

}  // namespace netpol::graph
