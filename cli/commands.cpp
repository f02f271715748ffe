#include "cli/commands.hpp"

#include <CLI/CLI.hpp>

#include "cli/handlers.hpp"
#include "cli/options.hpp"
#include "exporters/diagram.hpp"
#include "exporters/formats.hpp"
#include "exporters/report.hpp"
#include "graph/analysis/findings.hpp"

namespace netpol::cli {
namespace {

// Options several commands share: the values inputs, --format and -o, the picture options.
void add_values_options(CLI::App& cmd, Options& opts, bool manifests_option = true) {
  cmd.add_option("-f,--values", opts.values_files,
                 "A values file, as given to `helm install -f`; repeat to layer several (later "
                 "files win). `-` reads standard input.")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd.add_option("--set", opts.set,
                 "Set values as Helm does: a.b=c, list[0].x=y, a=1,b=2, {x,y} for a list, \\. "
                 "and \\, to escape. Repeatable; applied after every -f file.")
      ->type_name("KEY=VAL")
      ->allow_extra_args(false);
  cmd.add_option("--set-string", opts.set_string,
                 "Like --set, but every value is a string. Applied after every --set, as Helm "
                 "does.")
      ->type_name("KEY=VAL")
      ->allow_extra_args(false);
  cmd.add_option("--defaults", opts.defaults_file,
                 "The chart's default values (e.g. from `helm show values`), instead of the "
                 "embedded ones.")
      ->type_name("FILE");
  cmd.add_option("--profile", opts.profile,
                 "The chart profile (service order, external names, documented needs): a FILE, "
                 "`chart` for the embedded one (the default with values), or `none` (the "
                 "default when every input is --manifests, whose workloads are not the chart's "
                 "services; `--profile chart` reads the chart's own rendered manifests as its "
                 "services).")
      ->type_name("FILE|chart|none");
  cmd.add_option("--input-limit", opts.input_limit_mib,
                 "Refuse any input (file, standard input, --set) larger than this many MiB "
                 "(default: " +
                     std::to_string(kValuesLimitMib) + " for values, " +
                     std::to_string(kManifestsLimitMib) + " for --manifests).")
      ->type_name("MIB")
      ->check(CLI::Range(1, 1 << 20));
  cmd.add_option(
         "--max-pairs", opts.max_pairs,
         "List at most this many service-to-service pairs one by one; beyond it, "
         "services that every policy treats alike are shown as one class, as in "
         "\"(every service)\" (docs/model.md, \"Classes\"), and diff lists a change once for "
         "all the pairs it holds for.")
      ->type_name("N")
      ->capture_default_str();
  cmd.add_flag("--strict", opts.strict,
               "Make every warning (an unknown key, a peer naming no service, ...) an error: "
               "exit 2. For CI.");
  cmd.add_option("-n,--namespace", opts.ns,
                 "The release namespace (with --manifests: of objects that name none).")
      ->type_name("NAME")
      ->capture_default_str();
  if (!manifests_option) return;
  cmd.add_option("--manifests", opts.manifests,
                 "Read rendered Kubernetes manifests instead of values: a multi-document YAML "
                 "file (what `helm template` prints), a directory of them, or `-` for standard "
                 "input. Repeatable. Workloads become services; NetworkPolicies are read with "
                 "full Kubernetes semantics (docs/manifests.md).")
      ->type_name("FILE|DIR|-")
      ->allow_extra_args(false);
}

std::string format_help(std::string_view command) {
  std::string out;
  for (const auto* format : exporters::formats_for(command)) {
    out += "\n  " + std::string(format->name) + "  " + std::string(format->description) + " (";
    for (std::size_t i = 0; i < format->extensions.size(); ++i)
      out += (i ? ", " : "") + std::string(format->extensions[i]);
    out += ")";
  }
  return out;
}

// -o: a path, or - for standard output; never empty (an empty path is a mistake in a script,
// not a request for standard output).
CLI::Option* add_output(CLI::App& cmd, Options& opts, const std::string& help) {
  return cmd.add_option("-o,--output", opts.output, help)
      ->check(CLI::Validator(
          [](std::string& path) {
            return path.empty() ? std::string(
                                      "the output path is empty: give a file name, or - "
                                      "for standard output")
                                : std::string();
          },
          "", ""));
}

// --format (from the one table of formats) and -o, for a command that writes several formats.
void add_output_options(CLI::App& cmd, Options& opts, std::string_view command,
                        const char* fallback) {
  cmd.add_option("--format", opts.format,
                 "Output format:" + format_help(command) +
                     "\nDefault: from the extension of -o, else " + fallback + ".")
      ->type_name("FORMAT");
  add_output(cmd, opts, "Write to FILE instead of standard output; its extension picks the format.")
      ->type_name("FILE");
}

// Every finding code, as the help lists them.
std::string finding_codes() {
  std::string out;
  for (const auto& r : graph::finding_rules())
    out += (out.empty() ? "" : ", ") + std::string(r.code);
  return out;
}

// --max-nodes: the size above which a picture is drawn for size; `what` says how.
void add_max_nodes_option(CLI::App& cmd, Options& opts, const std::string& what) {
  cmd.add_option("--max-nodes", opts.diagram.max_nodes, what)
      ->type_name("N")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}))
      ->capture_default_str();
}

// --focus and --hops: a picture of some nodes and their surroundings.
void add_focus_options(CLI::App& cmd, Options& opts) {
  CLI::Option* focus =
      cmd.add_option("--focus", opts.diagram.focus,
                     "Draw only these nodes (ids as in `graph --format json`: a service, "
                     "any-source, ext:S3, dns, ...), the nodes one edge away from them either "
                     "way, and the edges between them and those. Comma-separated or repeated.")
          ->type_name("NODE[,NODE]")
          ->delimiter(',');
  cmd.add_option("--hops", opts.diagram.hops,
                 "With --focus: keep the nodes up to K edges away instead of one, and the "
                 "edges on the way.")
      ->type_name("K")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100}))
      ->needs(focus)
      ->capture_default_str();
}

// Every option of a picture, the same on graph, diff and report: bundling, size, focus,
// grouping and the layout engine. `max_nodes_help` says what the command does above N.
void add_picture_options(CLI::App& cmd, Options& opts, const std::string& max_nodes_help) {
  cmd.add_flag("--every-edge", opts.diagram.every_edge,
               "Draw every edge. By default, edges from services of the namespace that share a "
               "destination and ports are one bundle with one label: from the namespace when "
               "every service (or all but one or two, named) sends, else meeting at a point; "
               "and the graph leaves out a selector peer's edge that a node holding all of its "
               "pods (any source) draws already, and an edge between two services whose ends "
               "are open on its ports (the source's edge to any address, the destination's "
               "from any source) says already.");
  add_max_nodes_option(cmd, opts, max_nodes_help);
  add_focus_options(cmd, opts);
  cmd.add_flag_callback(
      "--no-group", [&opts] { opts.diagram.group = false; },
      "Never group services: one node each, however large the picture.");
  cmd.add_option("--layout", opts.layout,
                 "Graphviz layout engine. dot: in ranks (top down, or left to right where "
                 "that is narrower), ports on the edges; sfdp: "
                 "force-directed, fast on thousands of nodes; auto: sfdp above --max-nodes "
                 "nodes or " +
                     std::to_string(exporters::kDotMostEdges) + " edges, else dot.")
      ->type_name("ENGINE")
      ->check(CLI::IsMember({"auto", "dot", "sfdp"}))
      ->capture_default_str();
}

// Each command's own options.
void table_options(CLI::App& cmd, Options& opts) {
  add_values_options(cmd, opts);
  cmd.add_option("--view", opts.view,
                 "documented: externals as far as the profile documents them (the chart "
                 "docs' table); effective: everything the policies allow.")
      ->check(CLI::IsMember({"documented", "effective"}))
      ->capture_default_str();
  add_output(cmd, opts, "Write to FILE instead of standard output.")->type_name("FILE");
}

void graph_options(CLI::App& cmd, Options& opts) {
  add_values_options(cmd, opts);
  add_output_options(cmd, opts, "graph", "dot");
  add_picture_options(cmd, opts,
                      "Draw for size above N nodes: services with the same edges (to the same "
                      "nodes, on the same ports) become one node listing them, and if more "
                      "than N nodes remain, sfdp lays the picture out instead of dot, with "
                      "ports in edge tooltips (dot needs seconds at ~60 nodes, minutes at a "
                      "few hundred).");
}

void reach_options(CLI::App& cmd, Options& opts) {
  add_values_options(cmd, opts);
  cmd.add_option("--from", opts.from,
                 "Everything NODE reaches, nearest first, with a shortest path. NODE is a "
                 "stable id: a service (ui), any-source, ext:S3, dns, ns-pods, sel:...")
      ->type_name("NODE");
  cmd.add_option("--to", opts.to,
                 "Everything that reaches NODE; with --from, just that pair. With neither, a "
                 "matrix of hop counts.")
      ->type_name("NODE");
  cmd.add_option("--port", opts.port,
                 "Only paths whose last hop allows this port (earlier hops may use any "
                 "allowed port), e.g. TCP/5432 or UDP/53.")
      ->type_name("PROTO/PORT");
  cmd.add_option("--max-hops", opts.max_hops, "Only paths of at most K hops.")
      ->type_name("K")
      ->check(CLI::Range(1, 1000000));
  cmd.add_flag("--explain", opts.explain,
               "For every hop, the ports and the values keys (file:line:col) on both sides "
               "that opened it; with --from and --to, also what blocks a direct hop.");
  cmd.add_option("--expect", opts.expect,
                 "A gate: exit 1 when the answer is not this. reachable: some path (of the "
                 "pair, from --from, to --to) exists; unreachable: none does.")
      ->check(CLI::IsMember({"reachable", "unreachable"}))
      ->type_name("reachable|unreachable");
  add_output_options(cmd, opts, "reach", "text");
}

void diff_options(CLI::App& cmd, Options& opts) {
  cmd.add_option("sides", opts.sides,
                 "OLD and NEW values files (`-` for one read from standard input).")
      ->type_name("OLD NEW")
      ->expected(0, 2);
  cmd.add_option("--old", opts.old_files,
                 "A values file of the old side; repeat to layer several (above OLD).")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd.add_option("--new", opts.new_files,
                 "A values file of the new side; repeat to layer several (above NEW).")
      ->type_name("FILE")
      ->allow_extra_args(false);
  cmd.add_option("--old-manifests", opts.old_manifests,
                 "Rendered manifests (file, directory or -) as the old side, instead of "
                 "values. Repeatable.")
      ->type_name("PATH")
      ->allow_extra_args(false);
  cmd.add_option("--new-manifests", opts.new_manifests,
                 "Rendered manifests as the new side, instead of values: e.g. `helm "
                 "template` output against the values, to check the model. Repeatable.")
      ->type_name("PATH")
      ->allow_extra_args(false);
  add_values_options(cmd, opts, false);
  cmd.add_option("--fail-on", opts.diff_fail_on,
                 "any: exit 1 when effective access differs (as diff(1)); widen: exit 1 only "
                 "when some access is added or widened, so tightening passes a CI gate.")
      ->check(CLI::IsMember({"any", "widen"}))
      ->capture_default_str();
  add_output_options(cmd, opts, "diff", "text");
  add_picture_options(cmd, opts,
                      "For pictures: above N nodes draw only what changed (changed edges, "
                      "their ends, services added or removed), services with the same changes "
                      "as one node; if more than N nodes remain, sfdp lays the picture out "
                      "instead of dot, with ports and changes in edge tooltips.");
}

// --flows, for check and report: observed traffic whose findings join the others.
void add_flows_option(CLI::App& cmd, Options& opts) {
  cmd.add_option("--flows", opts.flows,
                 "Observed traffic, to check against the policies (repeatable): Hubble's "
                 "`hubble observe --output jsonpb` lines, or CSV lines "
                 "source,destination,port,protocol[,count] (a service, namespace/workload or "
                 "address each end). Adds denied-flow (seen, not allowed) and "
                 "unused-allowance (allowed, never seen) findings (docs/flows.md).")
      ->type_name("FILE");
}

void check_options(CLI::App& cmd, Options& opts) {
  add_values_options(cmd, opts);
  cmd.add_option("--fail-on", opts.check_fail_on,
                 "Exit 1 when a finding at or above this severity exists (error, warning, "
                 "info). Default: error.")
      ->check(CLI::IsMember({"error", "warning", "info"}))
      ->capture_default_str();
  cmd.add_option("--ignore", opts.ignore,
                 "Waive a finding code, everywhere or at one values path (repeatable): the "
                 "finding leaves the text report and --fail-on, and stays in JSON and SARIF "
                 "as waived (suppressed).")
      ->type_name("CODE[:VALUES.PATH]");
  cmd.add_option("--baseline", opts.baseline,
                 "The JSON or SARIF of an earlier check: report and fail only on findings "
                 "not in it, matched by code, values path and subject, not by line.")
      ->type_name("FILE");
  cmd.add_option("--intent", opts.intent,
                 "YAML with deny: and allow: lists of {from, to, port?, maxHops?}: a deny that "
                 "some path satisfies, or an allow that no path does, is an error finding "
                 "intent-violated (docs/findings.md#intent-rules).")
      ->type_name("FILE");
  add_flows_option(cmd, opts);
  cmd.add_option("--sarif-root", opts.sarif_root,
                 "SARIF file locations are relative to this directory, the repository root "
                 "for code scanning (default: the working directory).")
      ->type_name("DIR");
  add_output_options(cmd, opts, "check", "text");
}

void manifests_options(CLI::App& cmd, Options& opts) {
  add_values_options(cmd, opts, false);
  cmd.add_flag("--workloads", opts.workloads,
               "Also write one minimal Deployment per service (its app label and "
               "container ports), so the output is complete input for --manifests and "
               "for other analyzers.");
  add_output(cmd, opts, "Write to FILE instead of standard output.")->type_name("FILE");
}

void values_options(CLI::App& cmd, Options& opts) {
  add_values_options(cmd, opts, false);
  cmd.add_flag("--show-origin", opts.show_origin,
               "Say where each leaf was set: file:line:col, <--set N>, <defaults>.");
  add_output_options(cmd, opts, "values", "yaml");
}

void report_options(CLI::App& cmd, Options& opts) {
  add_values_options(cmd, opts);
  add_output(cmd, opts,
             "The bundle's directory: new, empty, or a previous bundle (any other "
             "directory is refused). Written beside it first and swapped into place, so "
             "a failed run leaves an existing directory untouched.")
      ->type_name("DIR")
      ->required();
  add_picture_options(cmd, opts,
                      "Draw the bundle's picture for size above N nodes, as `graph` does.");
  add_flows_option(cmd, opts);
}

void suggest_options(CLI::App& cmd, Options& opts) {
  add_values_options(cmd, opts, false);
  cmd.add_option("--intent", opts.intent,
                 "An intent file (as for check): every path an allow rule names stays open.")
      ->type_name("FILE");
  cmd.add_option("--flows", opts.flows,
                 "Observed traffic (as for check; repeatable): what flows used stays open, "
                 "everything else between pods is cut, and external blocks are narrowed to "
                 "the addresses contacted. Without it, traffic between pods is kept.")
      ->type_name("FILE");
  cmd.add_option("--max-prefixes", opts.max_prefixes,
                 "With --flows: narrow an external block to at most N prefixes that hold "
                 "every address contacted through it.")
      ->type_name("N")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}))
      ->capture_default_str();
  add_output(cmd, opts,
             "Write the overlay to FILE instead of standard output (never one of the "
             "inputs).")
      ->type_name("FILE");
}

std::vector<Command> make_commands() {
  const std::string success = "0 success, 2 error.";
  return {
      {"table",
       "Print the Markdown Service Communication Map, as in the chart's docs.",
       "",
       success,
       {"netpol-graph table -f values.yaml --set global.networkPolicy.enabled=true"},
       table_options,
       handlers::table,
       Graphviz::Never},
      {"graph",
       "Write the effective traffic graph (nodes, edges with ports).",
       "",
       success,
       {"netpol-graph graph -f prod.yaml -o net.svg",
        "netpol-graph graph -f prod.yaml -o net.png --focus meta --hops 2"},
       graph_options,
       handlers::graph,
       Graphviz::ForPictures},
      {"reach",
       "What can reach what, in how many hops, by which path, and why.",
       "Chart services and the namespace's pods may be intermediate hops; externals, DNS and "
       "the OTLP collector end a path; any-source and selector peers start one. A selector "
       "peer or address block reaches where some of its pods or addresses do: its paths may "
       "start (or end) at any-source, ext:* or a selector holding some of them.",
       "0 success (with --expect: the answer is the expected one), 1 the answer is not what "
       "--expect says, 2 error.",
       {"netpol-graph reach -f prod.yaml --from any-source",
        "netpol-graph reach -f prod.yaml --from any-source --to ext:PostgreSQL --port TCP/5432 "
        "--explain",
        "netpol-graph reach -f prod.yaml --max-hops 2",
        "netpol-graph reach -f prod.yaml --from any-source --to ext:PostgreSQL --expect "
        "unreachable"},
       reach_options,
       handlers::reach,
       Graphviz::ForPictures},
      {"diff",
       "What a values change does to network access: added, removed, widened, narrowed.",
       "Each side is layered as Helm would: the chart defaults, the shared -f files, the side's "
       "own files, then the shared --set and --set-string.",
       "0 same effective access (or, with --fail-on widen, nothing widened), 1 different, 2 "
       "error.",
       {"netpol-graph diff prod.yaml prod-next.yaml",
        "git show main:values.yaml | netpol-graph diff - values.yaml --fail-on widen",
        "netpol-graph diff old.yaml new.yaml --format md > access-changes.md"},
       diff_options,
       handlers::diff,
       Graphviz::ForPictures},
      {"check",
       "Findings for a security review, each with a code, severity, values key and fix.",
       "Codes: " + finding_codes() + " (docs/findings.md).",
       "0 no finding at or above --fail-on, 1 some, 2 error.",
       {"netpol-graph check -f prod.yaml",
        "netpol-graph check -f prod.yaml --fail-on warning --format sarif -o netpol.sarif",
        "netpol-graph check -f prod.yaml --format json -o baseline.json   # accept today's",
        "netpol-graph check -f prod.yaml --baseline baseline.json --fail-on warning",
        "netpol-graph check -f prod.yaml --ignore "
        "over-permission:global.networkPolicy.externalEgress",
        "netpol-graph check -f prod.yaml --intent intent.yaml   # deny: [{from: any-source, to: "
        "ext:PostgreSQL}]"},
       check_options,
       handlers::check,
       Graphviz::Never},
      {"manifests",
       "Write the NetworkPolicy objects the chart renders for the values, as YAML.",
       "One networking.k8s.io/v1 NetworkPolicy per service, named after it, selecting app: "
       "<service>, with both policy types (docs/manifests.md). With policies disabled nothing "
       "is written and stderr says why.",
       success,
       {"netpol-graph manifests -f prod.yaml > policies.yaml",
        "netpol-graph manifests -f prod.yaml --workloads | netpol-graph table --manifests - "
        "--view effective"},
       manifests_options,
       handlers::manifests,
       Graphviz::Never},
      {"values",
       "Print the merged values as Helm computes them (helm get values --all).",
       "The chart defaults, every -f file and every --set layered as Helm layers them (a null "
       "deletes a default), numbers and booleans as templates receive them (0x2526 is 9510, "
       "yes is true). Unknown keys are warned about, as by every command.",
       success,
       {"netpol-graph values -f prod.yaml --set query.networkPolicy.allowExternal=false",
        "netpol-graph values -f base.yaml -f prod.yaml --show-origin",
        "netpol-graph values -f prod.yaml --format json"},
       values_options,
       handlers::values,
       Graphviz::Never},
      {"suggest",
       "Write the least-privilege values overlay: what nothing asks for, cut.",
       "What is asked for: the profile's documented needs and external sources, the telemetry "
       "the values switch on, the intent file's allow rules, and the observed flows (without "
       "--flows, traffic between pods is kept). Every other allowed path is cut or narrowed "
       "as far as the chart's values can say it: lists restated whole (Helm replaces lists), "
       "each key with a comment saying what it removes and what keeps the rest. The overlay "
       "is checked before it is written: the inputs analysed with it layered last must only "
       "narrow (diff), and every need, intent allow and flow must still be allowed "
       "(docs/suggest.md). The summary goes to stderr.",
       "0 overlay written, 2 error (an overlay that fails its check is not written).",
       {"netpol-graph suggest -f prod.yaml -o least-privilege.yaml",
        "netpol-graph suggest -f prod.yaml --flows week.csv --intent intent.yaml -o tight.yaml",
        "netpol-graph suggest -f prod.yaml -o tight.yaml && netpol-graph diff -f prod.yaml --new "
        "tight.yaml"},
       suggest_options,
       handlers::suggest,
       Graphviz::Never},
      {"report",
       "Write a review bundle: " + exporters::bundle_file_names() + ".",
       "index.html is one self-contained page (no network): what the internet reaches first, "
       "then the diagram (fitted to the width), the findings and the tables; clicking a node "
       "highlights its edges and lists the values keys behind them. The inputs are named "
       "relative to the bundle (or by file name) with their SHA-256.",
       success,
       {"netpol-graph report -f prod.yaml -o review/"},
       report_options,
       handlers::report,
       Graphviz::Always},
  };
}

}  // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> table = make_commands();
  return table;
}

const std::vector<Command>& hidden_commands() {
  static const std::vector<Command> table = {
      {"__nodes",
       "Print the node ids of the inputs, one a line (for the shell completions).",
       "",
       "0 success, 2 error.",
       {"netpol-graph __nodes -f prod.yaml"},
       [](CLI::App& cmd, Options& opts) {
         add_values_options(cmd, opts);
         cmd.allow_extras();
       },
       handlers::node_ids,
       Graphviz::Never}};
  return table;
}

const Command* find_command(std::string_view name) {
  for (const auto* table : {&commands(), &hidden_commands()})
    for (const Command& c : *table)
      if (c.name == name) return &c;
  return nullptr;
}

const std::vector<std::string>& overview_examples() {
  static const std::vector<std::string> examples = {
      "netpol-graph table --set global.networkPolicy.enabled=true",
      "netpol-graph table -f prod.yaml --view effective",
      "netpol-graph graph -f prod.yaml -o net.svg",
      "netpol-graph reach -f prod.yaml --from any-source --explain",
      "netpol-graph diff prod.yaml prod-next.yaml --fail-on widen",
      "netpol-graph check -f prod.yaml --format sarif -o netpol.sarif",
      "netpol-graph manifests -f prod.yaml --workloads -o rendered.yaml",
      "netpol-graph graph --manifests rendered.yaml -o net.svg",
      "netpol-graph report -f prod.yaml -o review/",
  };
  return examples;
}

std::string footer(const Command& command) {
  std::string out = command.details.empty() ? "" : command.details + "\n";
  out += "Exit codes: " + command.exit_codes + "\n";
  out += command.examples.size() == 1 ? "Example:" : "Examples:";
  for (const auto& e : command.examples) out += "\n  " + e;
  return out;
}

}  // namespace netpol::cli
