#pragma once
// Inside suggest (graph/analysis/least_privilege.hpp): the Planner, which maps every ask onto
// the rules that allow it and writes the overlay, and what its parts share. Its work is in one
// file per part: least_privilege.cpp (the order of the work, the entry points, and the check of
// an overlay), least_privilege_asks.cpp (the asks: needs, sources, telemetry, intent rules,
// flows, and the rules each marks), least_privilege_keys.cpp (what each key the chart reads
// becomes: cut, kept, narrowed, moved, and the shared externalEgress list) and
// least_privilege_narrow.cpp (narrowing a rule: ports, blocks to a cover of the addresses
// contacted, and the values that say it). Only those files include this header.

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "graph/analysis/least_privilege.hpp"
#include "graph/rules/match.hpp"
#include "graph/sets/cidr.hpp"

namespace netpol::graph::least_privilege_detail {

using values::Value;

using Vertex = PolicyGraph::Vertex;

// What asked for one key of one service: the ports, the addresses flows contacted through
// it (for narrowing its blocks), and why.
struct KeyUse {
  PortSet ports;
  std::set<Cidr> addresses;  // one-address blocks
  bool whole = false;        // an ask that needs every address of its blocks (an intent rule)
  std::vector<std::string> reasons;
  std::size_t flows = 0;  // flows that used it, and where the first was read
  Location first_flow;

  void add_reason(const std::string& r) {
    if (std::find(reasons.begin(), reasons.end(), r) == reasons.end()) reasons.push_back(r);
  }
};

// One end of an ask: a chart service, a pod of no chart service, an address, any source
// outside the cluster, or an external destination the profile names.
struct End {
  enum class Kind { Service, Pod, Address, Internet, Need } kind = Kind::Internet;
  const Service* service = nullptr;
  Service pod;  // Pod: its namespace and labels, as a service's
  std::optional<Cidr> address;
  std::string need;
  PortSet need_ports;
};

inline End service_end(const Service& s) {
  End e;
  e.kind = End::Kind::Service;
  e.service = &s;
  return e;
}

// Why an ask was made, for the overlay's comments.
struct Why {
  std::string text;            // "need S3 (profile)"
  bool whole = false;          // keeps whole blocks (intent)
  const Flow* flow = nullptr;  // a flow (counted, first location kept)
  std::size_t count = 0;
};

// A string as a values file holds it: plain where YAML reads it as a string, else quoted.
Value text_value(const std::string& s);

bool has_block(const Rule& r);

bool block_holds(const Rule& r, const Cidr& address);

// The key a user edits for a rule: its list entry, or allowExternal.
const Provenance* rule_key(const Rule& r);

// Whether a rule may select pods (a pod selector, or no peer list).
bool selects_pods(const Rule& r);

class Planner {
 public:
  Planner(const Analysis& a, const Review& review, const SuggestOptions& options);

  Suggestion plan();

 private:
  void ask_profile();

  // The values switch telemetry on; its rules stay (their blocks narrowed where flows say).
  void ask_telemetry();

  // Each allow rule keeps the edges on every path that meets it (within its maxHops).
  void ask_intents();

  // Hops from `start` along the edges (forward) or against them, through chart services
  // only: externals and DNS end a path, any-source and selectors start one.
  std::unordered_map<Vertex, std::size_t> distances(Vertex start, bool forward) const;

  void ask_flows(const std::vector<Flow>& flows);

  static std::string end_key(const FlowEnd& e);

  std::optional<End> flow_end(const FlowEnd& e, const FlowServices& services) const;

  // Without flows nothing speaks of the traffic between pods: the rules that may carry it
  // stay as they are, and so does every rule that lets one chart service reach another (an
  // allowExternal admits the other services' pods too).
  void keep_pod_traffic();

  // The part of `ports` that rule `r` of `owner` allows with `peer` (the destination for an
  // egress rule, the source for an ingress rule).
  static PortSet rule_allows(const Rule& r, const Service& owner, const End& peer,
                             const PortSet& ports, bool egress);

  // Asks for `from` -> `to` on `ports`: where both sides allow some of it, every rule that
  // does is marked with what it allows.
  void ask(const End& from, const End& to, const PortSet& ports, const Why& why);

  // Marks the rules of one side that allow an ask: those naming their peers when they allow
  // all of it alone, else every one (a rule of any peer, allowExternal, is kept only where
  // nothing narrower does its work).
  void mark_side(const Service* owner, const std::vector<std::pair<const Rule*, PortSet>>& rules,
                 const PortSet& ok, const std::optional<Cidr>& address, const Why& why);

  void mark(const Service& s, const Rule& r, const PortSet& ports,
            const std::optional<Cidr>& address, const Why& why);

  KeyUse& mark_key(const Service& s, const std::string& path, const PortSet& ports, const Why& why);

  static std::string count_text(std::size_t n, const std::string& what);

  // All services' use of a key together (nullopt when none used it).
  std::optional<KeyUse> use_of(const std::string& path,
                               const std::set<std::string>* only = nullptr) const;

  const KeyUse* service_use(const std::string& path, const std::string& service) const;

  static std::string why_text(const KeyUse& use);

  // The findings at a key, as "answers over-permission, egress-open-world".
  // (Indexed on first use: a key, and every key above it, by the codes of its findings.)
  std::string answers(const std::string& path);

  void decide();

  // A global raw rule applies to every service: one that only some of them use, or that they
  // use differently, moves to their own lists (each narrowed as that service uses it).
  void decide_global_rules(const std::string& path);

  // The global raw rules of `path` that `s` uses and that leave the global list, as its own.
  std::vector<std::pair<Value, std::vector<std::string>>> moved_rules(const Service& s,
                                                                      const std::string& path);

  void decide_allow_external(const Service& s, const std::string& np);

  // externalEgress serves every service whose allowExternalEgress is on, so it keeps the
  // entries (`shared_`) that the fewest copies leave: a service that uses all of them keeps
  // allowExternalEgress and gets the others it uses as its own egress rules; one that does not
  // turns it off and gets all it uses so. An entry is shared as one service narrows it (its
  // ports and the addresses it contacted): two services that contacted different addresses
  // of one entry do not share it, so that neither reaches what only the other needs.
  void decide_external_egress(const std::string& path);

  // Whether a service that uses `mine` of externalEgress keeps allowExternalEgress.
  static bool staying(const std::set<std::size_t>& mine, const std::set<std::size_t>& shared);

  // The externalEgress entries `s` uses that the shared list does not give it, as its own
  // egress rules.
  std::vector<std::pair<Value, std::vector<std::string>>> moved_egress(const Service& s);

  void decide_allow_external_egress(const Service& s, const std::string& np);

  // A list the chart reads: each entry kept, narrowed or removed, and `extra` entries
  // appended; restated whole when anything changes. `only`: the services whose use counts.
  // `shared`: for externalEgress, the entries it keeps; the others move to the services.
  void decide_list(const std::string& path, const std::set<std::string>* only,
                   const std::vector<std::pair<Value, std::vector<std::string>>>& extra = {},
                   const std::set<std::size_t>* shared = nullptr);

  static std::vector<IpBlock> entry_blocks(const Rule& r);

  static std::string blocks_text(const std::vector<IpBlock>& blocks);

  static std::string summary(const Rule& r);

  // The rule's ports narrowed to those used; for an entry with named ports, unchanged.
  PortSet narrowed_ports(const Rule& r, const KeyUse& use, const Value* item = nullptr);

  // The rule's blocks narrowed to a cover of the addresses flows contacted through them
  // (blocks none contacted dropped), or as they are when an ask needs them whole or no
  // address is known.
  std::vector<IpBlock> narrowed_blocks(const Rule& r, const KeyUse& use) const;

  // One entry narrowed: its ports to those used, its blocks to the addresses contacted. A
  // cidr entry (externalEgress, otlpEgress) covering several prefixes becomes a list of
  // entries, one per prefix.
  Value narrow_item(const Value& item, const Rule& r, const KeyUse& use,
                    std::vector<std::string>& comment);

  static Value cidrs_value(const std::vector<Cidr>& cidrs);

  static Value block_value(const IpBlock& b);

  // A `ports` list: bare numbers for TCP ports of an {app, ports} entry, else {port,
  // protocol, endPort} maps ({protocol} alone for every port of a protocol).
  static Value ports_value(const PortSet& ports, bool bare_tcp);

  // At most `max` blocks that hold every address (one-address blocks of one family): the
  // two neighbours with the longest common prefix are joined, with every block that prefix
  // holds, until few enough remain (ties: the lowest addresses first). Done level by level,
  // longest prefix first: at each length, the runs of blocks sharing a prefix that long are
  // joined left to right; O(n) a level, so thousands of addresses cost little.
  static std::vector<Cidr> cover(const std::vector<Cidr>& addresses, std::size_t max);

  const Analysis& a_;
  const Review& review_;
  const SuggestOptions& options_;
  std::unordered_map<std::string, const Rule*> rules_;               // by the key a user edits
  std::map<std::string, std::map<std::string, KeyUse>> uses_;        // by key, then service
  std::map<std::string, std::set<std::size_t>> entries_by_service_;  // externalEgress units used
  std::set<std::size_t> shared_;  // the externalEgress entries (units) the global list keeps
  // allowExternal narrowed to the ports asked for: a rule of any source, by service.
  std::map<std::string, std::vector<std::pair<Value, std::vector<std::string>>>> extra_ingress_;
  // A unit: an externalEgress entry as one service narrows it (the entry, and a service that
  // narrows it so); entries_by_service_ and shared_ hold units' positions here.
  std::vector<std::pair<std::size_t, std::string>> unit_entry_;
  // A shared externalEgress entry, by its path: a service it is shared as.
  std::map<std::string, std::string> shared_by_;
  // The global raw rules some services use and others do not: by list, the positions of those
  // that stay global.
  std::map<std::string, std::set<std::size_t>> global_kept_;
  bool codes_indexed_ = false;
  std::unordered_map<std::string, std::set<std::string>> codes_at_;  // answers' index
  Suggestion out_;
};

}  // namespace netpol::graph::least_privilege_detail
