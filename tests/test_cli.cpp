#include <unistd.h>

#include <fstream>
#include <sstream>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/io.hpp"
#include "exporters/diagram.hpp"
#include "exporters/formats.hpp"
#include "support.hpp"

using namespace netpol;

using test::slurp;
using test::TempDir;

namespace {

struct Run {
  int code;
  std::string out, err;
};

// The options a command line (without the program name) sets, defined as main defines them:
// only the command named gets its options (cli::define_for).
cli::Options parsed(const std::string& line) {
  CLI::App app;
  cli::Options o;
  std::string first = line.substr(0, line.find(' '));
  const char* argv[] = {"netpol-graph", first.c_str()};
  cli::define_for(app, o, 2, argv);
  app.parse(line, false);
  return o;
}

Run run(cli::Options o, const std::string& input = "") {
  std::istringstream in(input);
  std::ostringstream out, err;
  int code = cli::run(o, in, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("-o writes the file in the format its extension names") {
    TempDir dir;
    cli::Options o;
    o.command = "graph";
    o.set = {"global.networkPolicy.enabled=true"};
    o.output = dir.file("net.gv");
    Run r = run(o);
    CHECK(r.code == 0);
    CHECK(r.out.empty());
    CHECK(slurp(o.output).rfind("digraph \"netpol-graph\" {", 0) == 0);
  }

  TEST_CASE("graph --max-nodes, --no-group and --layout reach the diagram") {
    cli::Options o = parsed("graph --set global.networkPolicy.enabled=true");
    CHECK(o.diagram.max_nodes == exporters::kDefaultMaxNodes);
    CHECK(o.diagram.group);
    CHECK(run(o).out.find("layout=sfdp") == std::string::npos);
    // The defaults draw 10 nodes, all different.
    o = parsed("graph --set global.networkPolicy.enabled=true --max-nodes 5");
    CHECK(o.diagram.max_nodes == 5);
    CHECK(run(o).out.find("layout=sfdp") != std::string::npos);
    o = parsed("graph --set global.networkPolicy.enabled=true --max-nodes 5 --layout dot");
    CHECK(run(o).out.find("layout=sfdp") == std::string::npos);
    o = parsed("graph --max-nodes 5");  // disabled: every service alike, one group
    CHECK(run(o).out.find("netpol-graph:group:meta") != std::string::npos);
    o = parsed("graph --max-nodes 5 --no-group");
    CHECK_FALSE(o.diagram.group);
    CHECK(run(o).out.find("netpol-graph:group:") == std::string::npos);
  }

  TEST_CASE("a failed run leaves an existing output file untouched") {
    TempDir dir;
    std::string bad = dir.file("bad.yaml", "query:\n  networkPolicy:\n    ingressFrom: ui\n");
    cli::Options o;
    o.command = "table";
    o.values_files = {bad};
    o.output = dir.file("map.md", "previous content\n");
    CHECK_THROWS_AS(run(o), Error);
    CHECK(slurp(o.output) == "previous content\n");
  }

  TEST_CASE("input errors carry the offending line and a caret") {
    TempDir dir;
    cli::Options o;
    o.command = "table";
    o.values_files = {dir.file("bad.yaml", "query:\n  networkPolicy:\n    ingressFrom: ui\n")};
    try {
      run(o);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(std::string(e.what()) ==
            dir.path +
                "/bad.yaml:3:18: query.networkPolicy.ingressFrom: expected a list, got a "
                "string (\"ui\")\n        ingressFrom: ui\n                     ^");
    }
  }

  TEST_CASE(
      "values files layer in order, stdin once, --defaults and --profile replace the embedded "
      "ones") {
    TempDir dir;
    cli::Options o;
    o.command = "table";
    o.defaults_file =
        dir.file("defaults.yaml",
                 "global:\n  networkPolicy:\n    enabled: false\n"
                 "api:\n  networkPolicy:\n    ingressFrom: [{app: web, ports: [8080]}]\n"
                 "web:\n  networkPolicy:\n    egressTo: [{app: api}]\n");
    o.profile = dir.file("profile.yaml", "services:\n  - name: web\n  - name: api\n");
    o.values_files = {"-", dir.file("off.yaml", "web:\n  networkPolicy:\n    egressTo: []\n")};
    Run r = run(o, "global:\n  networkPolicy:\n    enabled: true\n");
    CHECK(r.out ==
          "| Service | Ingress From | Egress To | External Ingress |\n|---|---|---|---|\n"
          "| web | (none) | (none) | No |\n| api | (none) | (none) | No |\n\n"
          "All services are always allowed DNS egress (port 53 UDP/TCP).\n");
    o.values_files = {"-"};
    r = run(o, "global:\n  networkPolicy:\n    enabled: true\n");
    CHECK(r.out.find("| web | (none) | api | No |") != std::string::npos);
    o.values_files = {"-", "-"};
    CHECK_THROWS_WITH_AS(run(o), "standard input (-) can be read only once", Error);
  }

  TEST_CASE("a --set null deletes a default list") {
    cli::Options o;
    o.command = "table";
    o.set = {"global.networkPolicy.enabled=true", "meta.networkPolicy.ingressFrom=null"};
    Run r = run(o);
    CHECK(r.out.find("| meta | (none) | S3, PostgreSQL | No |") != std::string::npos);
  }

  TEST_CASE(
      "unknown keys change nothing, as Helm ignores them, and a chart key's is warned about") {
    cli::Options plain;
    plain.command = "table";
    plain.set = {"global.networkPolicy.enabled=true"};
    cli::Options o = plain;
    o.set = {"global.networkPolicy.enabled=true", "meta.networkPolicy.colour=blue", "extra.x=1"};
    Run with = run(o), without = run(plain);
    CHECK(with.code == 0);
    CHECK(with.out == without.out);
    // A key under a service's networkPolicy is a likely typo; a top-level key the chart does
    // not have (another chart's, a subchart's) is not.
    CHECK(with.err ==
          "netpol-graph: warning: <--set 2>:1:20: meta.networkPolicy.colour: \"colour\" is not a "
          "networkPolicy key of the chart; Helm ignores it, so it changes nothing\n");
    CHECK(without.err.empty());
  }

  TEST_CASE("warnings go to the error stream") {
    cli::Options o;
    o.command = "table";
    o.set = {"global.networkPolicy.enabled=true", "ui.networkPolicy.egressTo[0].app=metaa"};
    Run r = run(o);
    CHECK(r.err ==
          "netpol-graph: warning: <--set 2>:1:34: ui.networkPolicy.egressTo[0].app: \"metaa\" is "
          "not a chart service (did you mean \"meta\"?); it is drawn as a node of its own\n");
  }

  TEST_CASE("missing files are named") {
    cli::Options o;
    o.command = "table";
    o.values_files = {"/nonexistent/prod.yaml"};
    CHECK_THROWS_WITH_AS(
        run(o), "cannot read values file /nonexistent/prod.yaml: No such file or directory", Error);
  }
}

TEST_SUITE("cli: warnings and shared files") {
  // A values file with `n` peers naming no chart service: n unknown-peer warnings.
  std::string with_unknown_peers(int n) {
    std::string s =
        "global:\n  networkPolicy:\n    enabled: true\nui:\n  networkPolicy:\n"
        "    egressTo:\n";
    for (int i = 0; i < n; ++i) s += "      - app: stranger" + std::to_string(i) + "\n";
    return s;
  }

  TEST_CASE("past ten warnings of one code, the rest are counted in one line") {
    TempDir dir;
    cli::Options o;
    o.command = "table";
    o.values_files = {dir.file("many.yaml", with_unknown_peers(12))};
    Run r = run(o);
    CHECK(r.code == 0);
    std::size_t lines = std::count(r.err.begin(), r.err.end(), '\n');
    CHECK(lines == 11);
    CHECK(r.err.find("stranger9\"") != std::string::npos);
    CHECK(r.err.find("stranger10\"") == std::string::npos);
    CHECK(r.err.find("netpol-graph: warning: 2 more unknown-peer warnings like the 10 above; "
                     "`netpol-graph check` lists each\n") != std::string::npos);
    // --strict counts every one, shown or not.
    o.strict = true;
    CHECK_THROWS_WITH_AS(run(o), "12 warnings with --strict (see above)", Error);
  }

  TEST_CASE("a file both sides of a diff read is parsed once and warned about once") {
    TempDir dir;
    std::string base = with_unknown_peers(1);
    std::string shared = dir.file("base.yaml", base);
    std::string copy = dir.file("copy.yaml", base);
    std::string layer = dir.file("layer.yaml",
                                 "meta:\n  networkPolicy:\n    egressTo:\n"
                                 "      - app: ui\n");
    cli::Options o;
    o.command = "diff";
    o.old_files = {shared};
    o.new_files = {shared, layer};
    Run once = run(o);
    o.new_files = {copy, layer};
    Run twice = run(o);
    CHECK(once.code == 1);  // the layer replaced meta's egress list: a change
    CHECK(once.out == twice.out);
    CHECK(once.err == "netpol-graph: warning: old and new: " + shared +
                          ":7:14: ui.networkPolicy.egressTo[0].app: \"stranger0\" is not a "
                          "chart service; it is drawn as a node of its own\n");
    CHECK(twice.err.find("warning: old: " + shared) != std::string::npos);
    CHECK(twice.err.find("warning: new: " + copy) != std::string::npos);
  }
}

TEST_SUITE("cli: the command table") {
  TEST_CASE("a run defines only its command's options, and parses and helps as with all") {
    CLI::App all_app;
    cli::Options all_options;
    cli::define(all_app, all_options);
    std::vector<const cli::Command*> every;
    for (const auto& c : cli::commands()) every.push_back(&c);
    for (const auto& c : cli::hidden_commands()) every.push_back(&c);
    for (const cli::Command* c : every) {
      CAPTURE(c->name);
      CLI::App app;
      cli::Options o;
      const char* argv[] = {"netpol-graph", c->name.c_str()};
      cli::define_for(app, o, 2, argv);
      // Its own options, help and footer are the full definition's, word for word.
      CHECK(app.get_subcommand(c->name)->help() == all_app.get_subcommand(c->name)->help());
      CHECK(app.get_subcommand(c->name)->get_options().size() ==
            all_app.get_subcommand(c->name)->get_options().size());
      // No other command is defined.
      CHECK(app.get_subcommands([](const CLI::App*) { return true; }).size() == 1);
      // Its examples parse: each its netpol-graph part, up to a pipe, redirect, && or comment.
      for (const std::string& example : c->examples) {
        CAPTURE(example);
        std::size_t at = example.find("netpol-graph " + c->name);
        REQUIRE(at != std::string::npos);
        std::string line = example.substr(at + std::string("netpol-graph ").size());
        line = line.substr(0, line.find_first_of("|>#&"));
        while (!line.empty() && line.back() == ' ') line.pop_back();
        CLI::App again;
        cli::Options parsed_options;
        cli::define_for(again, parsed_options, 2, argv);
        CHECK_NOTHROW(again.parse(line, false));
        CHECK(parsed_options.command == c->name);
      }
    }
    // The overview (`netpol-graph --help`) needs no command's options and lists them all.
    CLI::App overview;
    cli::Options o;
    const char* help_argv[] = {"netpol-graph", "--help"};
    cli::define_for(overview, o, 2, help_argv);
    CHECK(overview.help() == all_app.help());
    for (const cli::Command* c : every)
      CHECK(overview.get_subcommand(c->name)->get_options().size() == 1);  // --help alone
  }

  TEST_CASE("the command line is the table: every command in order, with its help") {
    CLI::App app;
    cli::Options o;
    cli::define(app, o);
    std::vector<std::string> defined, table;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
      defined.push_back(sub->get_name());
    for (const auto& c : cli::commands()) table.push_back(c.name);
    for (const auto& c : cli::hidden_commands()) table.push_back(c.name);
    CHECK(defined == table);
    CHECK(table.size() == 10);
    // The hidden ones are in no help: CLI11 lists a subcommand of no group nowhere.
    for (const auto& c : cli::hidden_commands()) {
      CHECK(app.get_subcommand(c.name)->get_group().empty());
      CHECK(app.help().find(c.name) == std::string::npos);
      CHECK(cli::find_command(c.name) == &c);
    }
    for (const auto& c : cli::commands()) {
      CAPTURE(c.name);
      const CLI::App* sub = app.get_subcommand(c.name);
      CHECK(sub->get_description() == c.summary);
      CHECK(sub->get_footer() == cli::footer(c));
      CHECK(sub->get_footer().find("Exit codes: " + c.exit_codes) != std::string::npos);
      REQUIRE_FALSE(c.examples.empty());
      for (const auto& e : c.examples) {
        CHECK(sub->get_footer().find("\n  " + e) != std::string::npos);
        // Every example runs the command it is the example of (after a pipe, perhaps).
        CHECK(e.find("netpol-graph " + c.name + " ") != std::string::npos);
      }
      CHECK(cli::find_command(c.name) == &c);
    }
    CHECK(cli::find_command("tabel") == nullptr);
  }

  TEST_CASE("--help says values as the man page does, not in the parser's notation") {
    CLI::App app;
    cli::Options o;
    cli::define(app, o);
    for (const auto& c : cli::commands()) {
      CAPTURE(c.name);
      const std::string help = app.get_subcommand(c.name)->help();
      for (const char* notation : {"INT in [", "UINT", ":{", "TEXT:"})
        CHECK_MESSAGE(help.find(notation) == std::string::npos, notation);
    }
    const std::string graph = app.get_subcommand("graph")->help();
    CHECK(graph.find("--max-nodes N=60 ") != std::string::npos);
    CHECK(graph.find("--layout auto|dot|sfdp=auto ") != std::string::npos);
    CHECK(graph.find("--hops K=1 Needs: --focus") != std::string::npos);
    CHECK(app.get_subcommand("check")->help().find("--fail-on error|warning|info=error") !=
          std::string::npos);
  }

  TEST_CASE("parsing a command names its handler, an unknown name is an error") {
    for (const auto& c : cli::commands()) {
      CAPTURE(c.name);
      cli::Options o = parsed(c.name + (c.name == "report" ? " -o out" : ""));
      CHECK(o.command == c.name);
    }
    cli::Options o;
    o.command = "tabel";
    CHECK_THROWS_WITH_AS(run(o), "unknown command \"tabel\"", Error);
  }

  TEST_CASE("--fail-on: diff's default is any, check's is error, each refuses the other's") {
    CHECK(parsed("diff a.yaml b.yaml").diff_fail_on == "any");
    CHECK(parsed("check").check_fail_on == "error");
    CHECK(parsed("check --fail-on warning").check_fail_on == "warning");
    CHECK_THROWS_AS(parsed("check --fail-on widen"), CLI::ValidationError);
    CHECK_THROWS_AS(parsed("diff a.yaml b.yaml --fail-on warning"), CLI::ValidationError);
  }

  TEST_CASE("a command may load Graphviz only if the format table gives it a picture") {
    for (const auto& c : cli::commands()) {
      CAPTURE(c.name);
      bool pictures = false;
      for (const auto* f : exporters::formats_for(c.name)) pictures = pictures || f->picture;
      if (c.graphviz == cli::Graphviz::Never) CHECK_FALSE(pictures);
      if (c.graphviz == cli::Graphviz::ForPictures) CHECK(pictures);
    }
    CHECK(cli::find_command("report")->graphviz == cli::Graphviz::Always);
  }
}

TEST_SUITE("cli: manifests directories") {
  TEST_CASE(
      "a file that holds no Kubernetes object is skipped with a warning, named on its own an "
      "error") {
    TempDir dir;
    dir.file("app.yaml",
             "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {app: web}}\n"
             "spec: {containers: [{name: c}]}\n");
    std::string report = dir.file("scan.json", "{\"tool\": \"scanner\", \"results\": []}\n");
    cli::Options o;
    o.command = "table";
    o.manifests = {dir.path};
    Run r = run(o);
    CHECK(r.code == 0);
    CHECK(r.out.find("| web |") != std::string::npos);
    CHECK(r.err == "netpol-graph: warning: " + report +
                       ": holds no Kubernetes object (a map with apiVersion and kind): skipped\n");
    o.strict = true;
    CHECK_THROWS_WITH_AS(run(o), "1 warning with --strict (see above)", Error);
    o.strict = false;
    o.manifests = {report};  // asked for by name: it must hold objects
    CHECK_THROWS_AS(run(o), Error);
  }
}

TEST_SUITE("cli: the profile") {
  // A cluster's Deployment named like a chart service, whose policy allows one block on 443.
  const std::string kClusterMeta =
      test::deployment("meta", "shop") +
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
      "metadata: {name: meta, namespace: shop}\n"
      "spec:\n  podSelector: {matchLabels: {app: meta}}\n  policyTypes: [Egress]\n"
      "  egress: [{to: [{ipBlock: {cidr: 10.1.0.0/16}}], ports: [{port: 443}]}]\n";

  TEST_CASE(
      "a cluster's workload is not held to the chart's needs by its name, but with "
      "--profile chart") {
    TempDir dir;
    cli::Options o;
    o.command = "check";
    o.manifests = {dir.file("cluster.yaml", kClusterMeta)};
    Run r = run(o);
    CHECK(r.code == 0);
    CHECK(r.out.find("broken-dependency") == std::string::npos);
    CHECK(r.out.find("documented") == std::string::npos);
    o.command = "table";
    r = run(o);
    CHECK(r.out.find("| meta | (any source) | 10.1.0.0/16 | Yes |") != std::string::npos);

    o.profile = "chart";  // the chart's own rendered manifests: its profile, asked for
    r = run(o);
    CHECK(r.out.find("| meta | (any source) | S3 | Yes |") != std::string::npos);
    o.command = "check";
    r = run(o);
    CHECK(r.code == 1);
    CHECK(r.out.find("error[broken-dependency]") != std::string::npos);
    CHECK(r.out.find("meta is documented to need PostgreSQL") != std::string::npos);
  }

  TEST_CASE("a diff with values on one side applies the chart's profile to both") {
    TempDir dir;
    cli::Options o;
    o.command = "manifests";
    o.values_files = {std::string(NETPOL_SAMPLES_DIR) + "/enabled.yaml"};
    o.workloads = true;
    o.output = dir.path + "/rendered.yaml";
    REQUIRE(run(o).code == 0);
    cli::Options d;
    d.command = "diff";
    d.old_manifests = {o.output};
    d.values_files = {std::string(NETPOL_SAMPLES_DIR) + "/enabled.yaml"};
    Run r = run(d);
    CHECK(r.code == 0);
    CHECK(r.out.rfind("No change in effective access.", 0) == 0);
    CHECK(r.out.find("Renamed") == std::string::npos);  // S3 on both sides, not a CIDR on one
    d.profile = "none";
    r = run(d);
    CHECK(r.code == 0);
    CHECK(r.out.find("Renamed") == std::string::npos);
  }
}
