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
// taken out per destination when edges are built (graph/rules/match.hpp), so named ports resolve
// against the real destination; addresses (egress `networks`) are worked out here, port by
// port, into ipBlock rules. Those rewritten rules keep the class machinery
// (graph/model/classes.hpp) working on known pods. Where pods are sets (pods nobody listed, on
// their own side of an edge) and where a decision is explained, `decide_tiers` works the tiers out
// directly.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/rules/chart.hpp"
#include "graph/sets/address_set.hpp"
#include "graph/sets/pod_cubes.hpp"
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

// The pods (admin peers name their namespaces, so no policy namespace is needed) and the
// addresses (`networks`) an admin rule's peers name.
PodCubes match_pods(const AdminMatch& m);
AddressSet match_addresses(const AdminMatch& m);

// `policies` in the order the tiers decide: AdminNetworkPolicies by priority (then name),
// then the baseline.
void sort_by_decision(std::vector<AdminPolicy>& policies);

// The admin tiers for a set of pods (docs/model.md, "Admin tiers"), the one evaluator the
// graph, `reach --explain` and findings use for what admin policies decide on the pods'
// side: of the pods `pods`, which ports they may use to send to (`sends`) or receive from
// the known pod `other`, as the tiers of `policies` (in decision order) decide for the pods
// their subjects select. First the AdminNetworkPolicies (the first matching rule decides;
// Pass hands on), then the NetworkPolicy tier: when `isolated`, a NetworkPolicy selects
// the pods and decides what the AdminNetworkPolicies left (`to_networkpolicies`), else none
// does (pods nobody listed: their own NetworkPolicies are not known and read as none) and
// the baseline decides, then the traffic is allowed. `resolve` gives an admin rule's ports
// as `ports` are given (named ports against the destination).
struct TierPiece {
  PodCubes pods;
  PortSet allowed;             // decided allowed by the admin tiers (or by default)
  PortSet to_networkpolicies;  // `isolated`: left to the NetworkPolicies
};
// A Deny or Pass that decided something, for explanations: the rule, the pods and ports.
struct TierDecision {
  const AdminRule* rule = nullptr;
  PodCubes pods;
  PortSet ports;
};
// Pieces of `pods` (none empty, no two alike), and each decision in the order made.
std::vector<TierPiece> decide_tiers(const std::vector<AdminPolicy>& policies, const PodCubes& pods,
                                    const Service& other, bool sends, const PortSet& ports,
                                    const std::function<PortSet(const PortSet&)>& resolve,
                                    bool isolated, std::vector<TierDecision>* decisions = nullptr);

// The known pod `s` as a set of one pod, for decide_tiers: its labels, every key that the
// policies' subjects read and it lacks absent.
PodCubes subject_point(const std::vector<AdminPolicy>& policies, const Service& s);

// Pods nobody listed as admin subjects: decide_tiers with no NetworkPolicy tier, as pieces
// with the ports allowed (of `ports`; none empty, no two with the same ports).
std::vector<std::pair<PodCubes, PortSet>> outside_tiers(
    const std::vector<AdminPolicy>& policies, const PodCubes& pods, const Service& other,
    bool sends, const PortSet& ports, const std::function<PortSet(const PortSet&)>& resolve,
    std::vector<TierDecision>* decisions = nullptr);

// Warnings about the admin policies as a whole: AdminNetworkPolicies sharing a priority
// (the API leaves their order undefined; netpol-graph takes them by name).
std::vector<Warning> admin_policy_warnings(const std::vector<AdminPolicy>& policies);

}  // namespace netpol::graph
