#pragma once
// `suggest`: the least-privilege values overlay (docs/suggest.md). What is asked for:
//   - the profile's documented needs (a service's external destinations by port, and its
//     external sources),
//   - the telemetry the values switch on (observability.otlpEnabled),
//   - every `allow` rule of the intent file, along every path that meets it,
//   - every observed flow (--flows); without flows, traffic between pods (peers, raw rules
//     with pod selectors) is kept, since nothing else speaks of it.
// Each is mapped onto the rules that allow it, rule by rule and key by key; every key no
// ask uses is cut, every list restated whole with the entries and ports in use, external
// blocks narrowed to a cover of the addresses flows contacted. The overlay only ever takes
// access away: a `cidr` is only replaced by blocks inside it, ports by a subset.

#include <cstddef>
#include <string>
#include <vector>

#include "graph/analysis/analysis.hpp"
#include "values/value.hpp"

namespace netpol::graph {

struct SuggestOptions {
  // External blocks narrowed from flows: at most this many prefixes per entry.
  std::size_t max_prefixes = 4;
};

// One key of the overlay: a values path set to a value, with comment lines for a reader.
// For a list, each item may carry its own comment lines.
struct OverlayKey {
  std::string path;  // "query.networkPolicy.allowExternalEgress", "global.networkPolicy.x"
  values::Value value;
  std::vector<std::string> comment;
  std::vector<std::vector<std::string>> item_comments;  // a list's, by item
};

struct Suggestion {
  std::vector<OverlayKey> keys;  // global first, then the services in chart order
  // What values cannot say, per path: left as it is, never widened to compensate.
  std::vector<std::string> unexpressible;
  // What asked for access, counted: "2 documented needs", "14 flows".
  std::vector<std::string> asks;

  // The overlay as one values tree, to layer over the inputs (values::merge_over).
  values::Value tree() const;
};

// The overlay for `a` (values mode, policies enabled), from its profile, the intent rules and
// flows of `review`. Throws Error when the analysis was read from manifests or the policies
// are disabled.
Suggestion suggest(const Analysis& a, const Review& review, const SuggestOptions& options = {});

// The check of an overlay: the inputs analysed with and without it.
struct SuggestCheck {
  bool widens = false;              // diff before -> after widens some access
  std::size_t changes = 0;          // access changes of that diff
  std::vector<std::string> broken;  // asks allowed before and not after (must be none)
  // Findings by code where the count differs: "over-permission 5 -> 0" (waived ones left
  // out; a finding's subject may change with the overlay, so they are counted, not matched).
  std::vector<std::string> counts;
  std::vector<std::string> remaining;  // over-permission findings left after
  // Asks not allowed before either (broken-dependency, denied-flow, intent-violated): left
  // so, since the overlay never opens access.
  std::vector<std::string> unmet;
  bool ok() const { return !widens && broken.empty(); }
};
SuggestCheck check_suggestion(const Analysis& before, const Analysis& after);

}  // namespace netpol::graph
