#pragma once
// What the command line sets: the options of every command, parsed by cli::define (cli.hpp)
// from the command table (commands.hpp) and read by the commands' handlers (run.cpp).

#include <cstddef>
#include <string>
#include <vector>

#include "exporters/diagram.hpp"
#include "graph/model/policy_graph.hpp"

namespace netpol::cli {

// Input limits without --input-limit: values files (and --set, defaults, profile), and
// --manifests files (a cluster dump of 50,000 pods as `kubectl get -o json` is 565 MB; a
// file over the limit is refused before it is read).
constexpr std::size_t kValuesLimitMib = 8;
constexpr std::size_t kManifestsLimitMib = 768;
// Nodes a document may expand to (aliases included), likewise. Manifests count the nodes
// read, not the fields skipped (graph::manifest_skip): 50,000 pods are some 2.5 million.
// At most some 3 GB of tree.
constexpr std::size_t kValuesNodeBudget = 1'000'000;
constexpr std::size_t kManifestsNodeBudget = 16'000'000;

struct Options {
  std::string command;  // a name in the command table (commands.hpp)
  // Values, shared by every command that reads them.
  std::vector<std::string> values_files;
  std::vector<std::string> set;
  std::vector<std::string> set_string;
  std::string defaults_file;  // empty: the embedded chart defaults
  std::string profile;        // "chart": embedded; "none": no profile; else a file; empty: the
                              // chart's with values, none with only manifests (profile_choice)
  std::vector<std::string> manifests;  // --manifests: rendered manifests instead of values
  std::string ns = "default";
  std::size_t input_limit_mib = 0;                        // --input-limit; 0: the defaults below
  std::size_t max_pairs = graph::PolicyGraph::kMaxPairs;  // --max-pairs
  bool strict = false;                                    // --strict: warnings are errors
  // Output.
  std::string format;
  std::string output;  // empty: standard output
  std::string view = "documented";
  exporters::DiagramOptions diagram;  // graph: --every-edge, --max-nodes, --no-group
  std::string layout = "auto";        // graph --layout: auto, dot or sfdp
  // reach
  std::string from, to, port;
  int max_hops = 0;
  bool explain = false;
  std::string expect;  // reach --expect reachable|unreachable
  // diff
  std::vector<std::string> sides;  // OLD NEW
  std::vector<std::string> old_files, new_files;
  std::vector<std::string> old_manifests, new_manifests;
  // manifests
  bool workloads = false;
  bool show_origin = false;             // values --show-origin
  std::string diff_fail_on = "any";     // diff --fail-on: any|widen
  std::string check_fail_on = "error";  // check --fail-on: error|warning|info
  std::vector<std::string> ignore;      // check --ignore CODE[:VALUES.PATH]
  std::string baseline;                 // check --baseline FILE
  std::string sarif_root;               // check --sarif-root DIR (empty: the working directory)
  std::string intent;                   // check --intent FILE
  std::vector<std::string> flows;       // check --flows FILE... (Hubble jsonpb or CSV)
  std::size_t max_prefixes = 4;         // suggest --max-prefixes N
  // Set by main, for the review bundle's provenance: the arguments, and the time (seconds
  // since the epoch: SOURCE_DATE_EPOCH when set, for reproducible bundles, else now).
  std::vector<std::string> command_line;
  long long now = 0;
  // Whether the command frees what it built before returning. main turns it off (the
  // process exits next) except under the sanitizers, which check that all is freed.
  bool free_at_exit = true;
};

}  // namespace netpol::cli
