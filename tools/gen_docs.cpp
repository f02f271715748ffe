// Writes netpol-graph's man page and shell completions from the same definitions as its
// --help (the command table, cli::define's options and the format table), at build time, so
// neither can drift.
//   netpol-gen-docs man|bash|zsh|fish OUTPUT-FILE
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "exporters/formats.hpp"

namespace {

using netpol::cli::choices_of;
using netpol::cli::Options;
using netpol::cli::takes_path;
using netpol::cli::value_text;

// roff: backslashes escaped, a line starting with . or ' kept as text, hyphens as minus.
std::string roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
    line_start = c == '\n';
  }
  return out;
}

// The commands as cli::define made them, in the command table's order.
std::vector<const CLI::App*> commands(const CLI::App& app) {
  std::vector<const CLI::App*> out;
  for (const auto& c : netpol::cli::commands()) out.push_back(app.get_subcommand(c.name));
  return out;
}

// Every name of an option, long and short, with its dashes.
std::vector<std::string> long_options_of(const CLI::Option* option) {
  std::vector<std::string> out;
  for (const auto& l : option->get_lnames()) out.push_back("--" + l);
  for (const auto& s : option->get_snames()) out.push_back("-" + s);
  return out;
}

std::vector<std::string> long_options(const CLI::App& cmd) {
  std::vector<std::string> out;
  for (const CLI::Option* o : cmd.get_options())
    for (const auto& n : long_options_of(o)) out.push_back(n);
  return out;
}

// The format names a command writes, from the format table.
std::vector<std::string> formats_of(const std::string& command) {
  std::vector<std::string> out;
  for (const auto& f : netpol::exporters::formats())
    for (auto c : f.commands)
      if (c == command) out.emplace_back(f.name);
  return out;
}

// Options that take node ids (--from, --to, --focus): completed from `netpol-graph __nodes`
// with the inputs already on the line.
bool takes_node(const std::string& type) {
  return type.rfind("NODE", 0) == 0;
}

std::string join(const std::vector<std::string>& v, const char* sep = " ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// "-o, --output FILE" with the value as value_text gives it.
std::string man_title(const CLI::Option* option) {
  std::string names;
  for (const auto& s : option->get_snames()) names += (names.empty() ? "-" : ", -") + s;
  for (const auto& l : option->get_lnames()) names += (names.empty() ? "--" : ", --") + l;
  if (names.empty()) names = option->get_name();
  std::string value = value_text(option);
  return value.empty() ? names : names + " " + value;
}

// The description, with the default when it has one that the text does not say.
std::string man_description(const CLI::Option* option) {
  std::string text = option->get_description();
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  const std::string def = option->get_default_str();
  if (!def.empty() && option->get_type_size() != 0 && lower.find("default") == std::string::npos)
    text += " Default: " + def + ".";
  return text;
}

bool is_help(const CLI::Option* o) {
  const auto& l = o->get_lnames();
  return std::find(l.begin(), l.end(), "help") != l.end();
}

// The options that several commands share word for word (the values and input options):
// described once. Keyed by the option's title, with the commands that take it.
std::map<std::string, std::vector<std::string>> shared_options(const CLI::App& app) {
  std::map<std::string, std::vector<std::string>> seen;  // title + description -> commands
  for (const CLI::App* c : commands(app))
    for (const CLI::Option* o : c->get_options())
      if (!is_help(o)) seen[man_title(o) + "\n" + o->get_description()].push_back(c->get_name());
  std::map<std::string, std::vector<std::string>> out;
  for (auto& [key, cmds] : seen)
    if (cmds.size() > 2) out[key] = cmds;
  return out;
}

void man(const CLI::App& app, std::ostream& out) {
  const auto shared = shared_options(app);
  auto is_shared = [&](const CLI::Option* o) {
    return shared.count(man_title(o) + "\n" + o->get_description()) > 0;
  };
  out << ".TH NETPOL\\-GRAPH 1 \"\" \"netpol-graph " << NETPOL_VERSION
      << "\" \"User Commands\"\n.SH NAME\nnetpol\\-graph \\- " << roff(app.get_description())
      << "\n.SH SYNOPSIS\n";
  // One line per command: its own options; the shared ones are "common options".
  for (const CLI::App* command : commands(app)) {
    out << ".B netpol\\-graph " << roff(command->get_name()) << "\n";
    bool values = false;
    for (const CLI::Option* o : command->get_options())
      values = values || (!is_help(o) && is_shared(o));
    if (values) out << "[\\fIcommon options\\fR]\n";
    for (const CLI::Option* option : command->get_options()) {
      if (is_help(option) || is_shared(option)) continue;
      std::string name =
          option->get_lnames().empty()
              ? (option->get_snames().empty() ? option->get_name() : "-" + option->get_snames()[0])
              : "--" + option->get_lnames()[0];
      std::string value = value_text(option);
      if (option->get_lnames().empty() && option->get_snames().empty())  // a positional
        out << "\\fI" << roff(value.empty() ? name : value) << "\\fR\n";
      else
        out << "[\\fB" << roff(name) << "\\fR"
            << (value.empty() ? "" : " \\fI" + roff(value) + "\\fR") << "]\n";
    }
    out << ".br\n";
  }
  out << ".SH DESCRIPTION\nnetpol\\-graph reads the values files of a Helm chart whose values "
         "switch on Kubernetes NetworkPolicies (or the rendered manifests of a cluster), works "
         "out which traffic the policies allow, and writes tables, diagrams, reachability, "
         "findings and audit diffs. Each command is described below with its options, as "
         "\\fBnetpol\\-graph\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR shows them.\n";
  out << ".SH COMMON OPTIONS\nThe options that several commands share (what to read, and "
         "how); the commands that take each are named after it.\n";
  for (const CLI::App* c : commands(app))
    for (const CLI::Option* o : c->get_options()) {
      if (is_help(o) || !is_shared(o)) continue;
      const auto& cmds = shared.at(man_title(o) + "\n" + o->get_description());
      if (cmds.front() != c->get_name()) continue;  // once, where first met
      out << ".TP\n.B " << roff(man_title(o)) << "\n"
          << roff(man_description(o)) << " ("
          << roff(cmds.size() == commands(app).size() ? "every command" : join(cmds, ", "))
          << ")\n";
    }
  out << ".SH COMMANDS\n";
  for (const CLI::App* c : commands(app)) {
    out << ".SS " << roff(c->get_name()) << "\n" << roff(c->get_description()) << "\n";
    for (const CLI::Option* o : c->get_options()) {
      if (is_help(o) || is_shared(o)) continue;
      out << ".TP\n.B " << roff(man_title(o)) << "\n" << roff(man_description(o)) << "\n";
    }
    const auto& details = netpol::cli::find_command(c->get_name())->details;
    if (!details.empty()) out << ".PP\n" << roff(details) << "\n";
  }
  // Exit codes and examples, command by command, from the command table.
  out << ".SH EXIT STATUS\nEvery command exits 2 on an error: the message names the file, line, "
         "column and values path, and says what was expected. The gates:\n";
  for (const auto& c : netpol::cli::commands())
    out << ".TP\n.B " << roff(c.name) << "\n" << roff(c.exit_codes) << "\n";
  out << ".SH ENVIRONMENT\n.TP\n.B SOURCE_DATE_EPOCH\nThe time a review bundle (\\fBreport\\fR) "
         "records, in seconds since 1970\\-01\\-01 UTC, for reproducible bundles; when unset, "
         "the time it is written.\n";
  out << ".SH FILES\nnetpol\\-graph reads no configuration file: the chart's default values and "
         "profile are built in (\\fB\\-\\-defaults\\fR and \\fB\\-\\-profile\\fR replace them), "
         "and every input is named on the command line.\n"
         ".TP\n.I /usr/share/bash\\-completion/completions/netpol\\-graph\n"
         ".TQ\n.I /usr/share/zsh/vendor\\-completions/_netpol\\-graph\n"
         ".TQ\n.I /usr/share/fish/vendor_completions.d/netpol\\-graph.fish\n"
         "The shell completions (under the installation prefix). They complete commands, options, "
         "formats and option values, and the node ids of \\fB\\-\\-from\\fR, "
         "\\fB\\-\\-to\\fR and \\fB\\-\\-focus\\fR from the inputs already on the "
         "command line.\n";
  out << ".SH EXAMPLES\n.nf\n";
  for (const auto& e : netpol::cli::overview_examples()) out << roff(e) << "\n";
  out << ".fi\n";
  for (const auto& c : netpol::cli::commands()) {
    out << ".SS " << roff(c.name) << "\n.nf\n";
    for (const auto& e : c.examples) out << roff(e) << "\n";
    out << ".fi\n";
  }
  const std::string docs = NETPOL_DOCS_URL;
  out << ".SH SEE ALSO\n.BR helm (1),\n.BR dot (1).\nThe guides (usage, the model, JSON, "
         "findings, manifests) are the Markdown files of the documentation, "
      << (docs.find("://") != std::string::npos
              ? "published at " + roff(docs)
              : std::string("the docs/ folder of netpol\\-graph's source"))
      << "; a path \"docs/NAME.md\" above names one of them.\n";
}

void bash(const CLI::App& app, std::ostream& out) {
  std::vector<std::string> names;
  for (const CLI::App* c : commands(app)) names.push_back(c->get_name());
  // With bash-completion loaded, a word is not split at ':' or '=' (ext:S3, --set a=b), and
  // ext:S3 is offered as ext:S3 after "ext:"; without it, bash's own words.
  out << "# bash completion for netpol-graph (generated from its --help definitions)\n"
         "_netpol_graph() {\n"
         "  local cur prev words cword\n"
         "  if declare -F _get_comp_words_by_ref > /dev/null; then\n"
         "    _get_comp_words_by_ref -n := cur prev words cword\n"
         "  else\n"
         "    words=(\"${COMP_WORDS[@]}\"); cword=$COMP_CWORD\n"
         "    cur=${words[cword]}; prev=${words[cword-1]}\n"
         "  fi\n"
         "  if [ \"$cword\" -eq 1 ]; then\n"
         "    COMPREPLY=($(compgen -W \""
      << join(names)
      << " --help --version\" -- \"$cur\"))\n"
         "    return\n  fi\n"
         "  local cmd=${words[1]} opts=\"\" formats=\"\"\n  case $cmd in\n";
  // What follows each option that takes a value: a path (file names), one of its choices,
  // a node id (from `netpol-graph __nodes` with the inputs on the line), or something no
  // list holds (a port, a key): nothing is offered.
  std::set<std::string> path_options, node_options, other_options;
  std::map<std::string, std::vector<std::string>> choice_options;  // "check:--fail-on"
  std::set<std::string> choice_names;
  for (const CLI::App* command : commands(app)) {
    out << "    " << command->get_name() << ") opts=\"" << join(long_options(*command))
        << "\"; formats=\"" << join(formats_of(command->get_name())) << "\" ;;\n";
    for (const CLI::Option* option : command->get_options()) {
      if (option->get_expected_min() == 0) continue;  // a flag
      const std::vector<std::string> choices = choices_of(option);
      for (const auto& n : long_options_of(option)) {
        if (n == "--format") continue;
        if (takes_path(option->get_type_name()))
          path_options.insert(n);
        else if (takes_node(option->get_type_name()))
          node_options.insert(n);
        else if (!choices.empty())
          choice_options[command->get_name() + ":" + n] = choices, choice_names.insert(n);
        else
          other_options.insert(n);
      }
    }
  }
  for (const auto& n : choice_names) other_options.erase(n);
  // File names one per line, so that a name with spaces stays one word.
  const std::string files =
      "local IFS=$'\\n'; compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))";
  out << "  esac\n  case $cmd:$prev in\n";  // choices are the command's own
  for (const auto& [name, choices] : choice_options)
    out << "    " << name << ") COMPREPLY=($(compgen -W \"" << join(choices) << "\" -- \"$cur\")); "
        << "return ;;\n";
  out << "  esac\n  case $prev in\n"
         "    --format) COMPREPLY=($(compgen -W \"$formats\" -- \"$cur\")); return ;;\n";
  if (!path_options.empty())
    out << "    " << join(std::vector<std::string>(path_options.begin(), path_options.end()), "|")
        << ") " << files << "; return ;;\n";
  // Node ids: the words between the command and this one name the inputs (__nodes ignores
  // the others); after a comma (--focus a,b), the next id of the list.
  if (!node_options.empty())
    out << "    " << join(std::vector<std::string>(node_options.begin(), node_options.end()), "|")
        << ")\n"
           "      local IFS=$'\\n' pre=\"\"; compopt -o filenames 2>/dev/null\n"
           "      [[ $cur == *,* ]] && pre=${cur%,*},\n"
           "      COMPREPLY=($(compgen -P \"$pre\" -W \"$(\"${words[0]}\" __nodes "
           "\"${words[@]:2:cword-3}\" 2>/dev/null)\" -- \"${cur##*,}\"))\n"
           "      declare -F __ltrim_colon_completions > /dev/null && "
           "__ltrim_colon_completions \"$cur\"\n"
           "      return ;;\n";
  if (!other_options.empty())
    out << "    " << join(std::vector<std::string>(other_options.begin(), other_options.end()), "|")
        << ") COMPREPLY=(); return ;;\n";
  out << "  esac\n"
         "  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"));\n"
         "  else "
      << files
      << "; fi\n}\n"
         "complete -F _netpol_graph netpol-graph\n";
}

void zsh(const CLI::App& app, std::ostream& out) {
  out << "#compdef netpol-graph\n# zsh completion for netpol-graph (generated from its --help "
         "definitions)\n_netpol_graph() {\n  local -a commands\n  commands=(\n";
  for (const CLI::App* c : commands(app)) {
    std::string d = c->get_description();
    for (auto& ch : d)
      if (ch == '\'' || ch == ':') ch = ' ';
    out << "    '" << c->get_name() << ":" << d << "'\n";
  }
  out << "  )\n  if (( CURRENT == 2 )); then _describe command commands; return; fi\n"
         "  case $words[2] in\n";
  // (_netpol_graph_nodes, below: node ids from `netpol-graph __nodes` with the words
  // between the command and this one, which name the inputs.)
  for (const CLI::App* command : commands(app)) {
    out << "    " << command->get_name() << ") _arguments";
    for (const CLI::Option* option : command->get_options())
      for (const auto& name : long_options_of(option)) {
        std::string description = option->get_description().substr(0, 60);
        for (auto& ch : description)
          if (ch == '\'' || ch == ']' || ch == '[' || ch == ':' || ch == '\n') ch = ' ';
        std::string action;
        if (option->get_expected_min() == 0)
          ;  // a flag: nothing follows it
        else if (name == "--format")
          action = ":format:(" + join(formats_of(command->get_name())) + ")";
        else if (takes_path(option->get_type_name()))
          action = ":file:_files";
        else if (takes_node(option->get_type_name()))
          action = ":node:_netpol_graph_nodes";
        else if (!choices_of(option).empty())
          action = ":value:(" + join(choices_of(option)) + ")";
        else if (option->get_type_size() != 0)
          action = ":value: ";
        out << " '" << name << "[" << description << "]" << action << "'";
      }
    out << " '*:file:_files' ;;\n";
  }
  out << "  esac\n}\n"
         "_netpol_graph_nodes() {\n"
         "  local -a ids\n"
         "  ids=(${(f)\"$($words[1] __nodes ${(Q)words[3,CURRENT-2]} 2>/dev/null)\"})\n"
         "  _sequence -s , compadd -a ids\n"
         "}\n"
         "_netpol_graph \"$@\"\n";
}

// A fish single-quoted string: inside one, only \\ and \' are escapes.
std::string fish_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "'";
}

void fish(const CLI::App& app, std::ostream& out) {
  out << "# fish completion for netpol-graph (generated from its --help definitions)\n"
         "function __netpol_graph_nodes\n"
         "    set -l words (commandline -opc)\n"
         "    set -l pre (string match -r -- '^.*,' (commandline -ct)); or set pre ''\n"
         "    for id in ($words[1] __nodes $words[3..-1] 2>/dev/null)\n"
         "        echo $pre$id\n"
         "    end\n"
         "end\n";
  std::vector<std::string> names;
  for (const CLI::App* c : commands(app)) names.push_back(c->get_name());
  for (const CLI::App* command : commands(app)) {
    out << "complete -c netpol-graph -f -n 'not __fish_seen_subcommand_from " << join(names)
        << "' -a " << command->get_name() << " -d " << fish_quote(command->get_description())
        << "\n";
    for (const CLI::Option* option : command->get_options()) {
      std::string line =
          "complete -c netpol-graph -n '__fish_seen_subcommand_from " + command->get_name() + "'";
      for (const auto& l : option->get_lnames()) line += " -l " + l;
      for (const auto& s : option->get_snames()) line += " -s " + s;
      if (option->get_lnames().empty() && option->get_snames().empty()) continue;
      if (option->get_type_size() != 0) line += " -r";
      bool format = option->get_lnames().size() == 1 && option->get_lnames()[0] == "format";
      if (format) {
        // Each format with its description: "name<TAB>description" lines that fish reads
        // from a printf it runs when completing.
        std::string printf = "(printf '%s\\t%s\\n'";
        for (const auto& f : netpol::exporters::formats())
          for (auto cmd : f.commands)
            if (cmd == command->get_name())
              printf += " " + std::string(f.name) + " " + fish_quote(std::string(f.description));
        line += " -f -a " + fish_quote(printf + ")");
      } else if (takes_path(option->get_type_name())) {
        line += " -F";
      } else if (takes_node(option->get_type_name())) {
        // The inputs on the line so far name the nodes (__nodes ignores the other words).
        line += " -f -a " + fish_quote("(__netpol_graph_nodes)");
      } else if (!choices_of(option).empty()) {
        line += " -f -a " + fish_quote(join(choices_of(option)));
      }
      out << line << " -d " << fish_quote(option->get_description().substr(0, 80)) << "\n";
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: netpol-gen-docs man|bash|zsh|fish OUTPUT-FILE\n";
    return 2;
  }
  CLI::App app{"", "netpol-graph"};
  Options options;
  netpol::cli::define(app, options);
  std::ostringstream text;
  std::string what = argv[1];
  if (what == "man")
    man(app, text);
  else if (what == "bash")
    bash(app, text);
  else if (what == "zsh")
    zsh(app, text);
  else if (what == "fish")
    fish(app, text);
  else {
    std::cerr << "netpol-gen-docs: unknown output " << what << "\n";
    return 2;
  }
  std::ofstream out(argv[2], std::ios::binary);
  out << text.str();
  return out ? 0 : 1;
}
