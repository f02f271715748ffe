#include "cli/cli.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <sstream>

#include "cli/commands.hpp"
#include "error.hpp"
#include "suggest.hpp"
#include "text.hpp"

namespace netpol::cli {

// Options that take a file or directory: completed with paths.
bool takes_path(const std::string& type) {
  return type == "FILE" || type == "DIR" || type == "PATH" || type == "FILE|DIR|-" ||
         type.find("FILE") != std::string::npos || type.find("DIR") != std::string::npos;
}

// The values an option accepts, where its type lists them ("TEXT:{error,warning,info}", or
// "reachable|unreachable" as a type name).
std::vector<std::string> choices_of(const CLI::Option* option) {
  const std::string type = option->get_type_name();
  const auto open = type.rfind('{'), close = type.rfind('}');
  if (open == std::string::npos && type.find('|') != std::string::npos && !takes_path(type) &&
      std::none_of(type.begin(), type.end(), [](unsigned char c) { return std::isupper(c); })) {
    std::vector<std::string> out;
    std::stringstream in(type);
    for (std::string item; std::getline(in, item, '|');) out.push_back(item);
    return out;
  }
  if (open == std::string::npos || close == std::string::npos || close < open) return {};
  std::vector<std::string> out;
  std::string item;
  for (char ch : type.substr(open + 1, close - open - 1)) {
    if (ch == ',') {
      out.push_back(item);
      item.clear();
    } else {
      item += ch;
    }
  }
  out.push_back(item);
  return out;
}

// An option's value as a reader writes it: the parser's notation ("N:UINT in [1 - 1000000]",
// "TEXT:{documented,effective}") as the metavariable ("N") or the choices
// ("documented|effective").
std::string value_text(const CLI::Option* option) {
  if (option->get_type_size() == 0) return "";
  std::string t = option->get_type_name();
  std::vector<std::string> choices = choices_of(option);
  if (!choices.empty()) return join(choices, "|");
  // "N:UINT in [...]": the parser's type after the colon ("CODE[:VALUES.PATH]" keeps its own).
  if (auto colon = t.find(':'); colon != std::string::npos)
    for (const char* type : {"INT", "UINT", "FLOAT", "TEXT", "NUMBER"})
      if (t.compare(colon + 1, std::string(type).size(), type) == 0) return t.substr(0, colon);
  return t;
}

namespace {

// Help in CLI11's layout, but a positional reads as its type name: `[OLD NEW]`, not
// `[sides(0x)]`.
class Formatter : public CLI::Formatter {
 public:
  std::string make_option_usage(const CLI::Option* opt) const override {
    if (!opt->get_positional() || opt->get_type_name().empty())
      return CLI::Formatter::make_option_usage(opt);
    return opt->get_required() ? opt->get_type_name() : "[" + opt->get_type_name() + "]";
  }
  // A value as the man page writes it (value_text): "N=60", "error|warning|info=error", not
  // the parser's "N:UINT in [1 - 1000000]=60" or "TEXT:{error,warning,info}".
  std::string make_option_opts(const CLI::Option* opt) const override {
    std::string out = CLI::Formatter::make_option_opts(opt);
    const std::string type = opt->get_type_name();
    if (!opt->get_option_text().empty() || type.empty()) return out;
    if (auto at = out.find(type); at != std::string::npos)
      out.replace(at, type.size(), value_text(opt));
    return out;
  }
};

}  // namespace

std::string parse_error_text(const CLI::App& app, const CLI::ParseError& e, int argc,
                             const char* const* argv) {
  const CLI::App* cmd = &app;
  if (argc >= 2 && argv[1][0] != '-')
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
      if (sub->get_name() == argv[1]) cmd = sub;
  std::string help = "Run `netpol-graph " + (cmd == &app ? std::string() : cmd->get_name() + " ") +
                     "--help` for help.";
  if (!dynamic_cast<const CLI::ExtrasError*>(&e)) return std::string(e.what()) + ". " + help;
  std::vector<std::string> names;  // every option name the command knows
  for (const CLI::Option* opt : cmd->get_options()) {
    for (const auto& n : opt->get_lnames()) names.push_back("--" + n);
    for (const auto& n : opt->get_snames()) names.push_back("-" + n);
  }
  for (int i = cmd == &app ? 1 : 2; i < argc; ++i) {
    std::string arg = argv[i];
    std::string name = arg.substr(0, arg.find('='));
    if (name.size() < 2 || name[0] != '-' ||
        std::find(names.begin(), names.end(), name) != names.end())
      continue;
    std::string hint = did_you_mean(name, names);
    return "unknown option \"" + name + "\"" +
           (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") + " for " +
           (cmd == &app ? "netpol-graph" : "netpol-graph " + cmd->get_name()) + ". " + help;
  }
  return std::string(e.what()) + ". " + help;
}

void check_command(int argc, const char* const* argv) {
  if (argc < 2 || argv[1][0] == '-') return;
  std::string word = argv[1];
  if (find_command(word)) return;
  std::vector<std::string> names;
  for (const Command& c : commands()) names.push_back(c.name);
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i)
    list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  std::string hint = did_you_mean(word, names);
  throw Error("unknown command \"" + word + "\"" +
              (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") + "; expected " + list +
              ". Run `netpol-graph --help` for help.");
}

namespace {

// The commands `wanted` accepts as subcommands, with their options, footer and examples when
// `full` says so, else by name and summary only (for the overview's list of commands).
void define_commands(CLI::App& app, Options& opts,
                     const std::function<bool(const Command&)>& wanted, bool full) {
  app.formatter(std::make_shared<Formatter>());
  app.description(
      "netpol-graph reads the Helm values of the Berserk chart and shows exactly which traffic "
      "its NetworkPolicies allow.");
  app.require_subcommand(1);
  app.set_version_flag("--version", NETPOL_VERSION);
  std::string examples;
  for (const auto& e : overview_examples()) examples += "  " + e + "\n";
  app.footer("Examples:\n" + examples +
             "\nRun `netpol-graph COMMAND --help` for a command's options.");
  for (const Command& c : commands()) {
    if (!wanted(c)) continue;
    CLI::App* cmd = app.add_subcommand(c.name, c.summary);
    if (full) {
      c.define(*cmd, opts);
      cmd->footer(footer(c));
    }
    cmd->callback([&opts, name = c.name] { opts.command = name; });
  }
  for (const Command& c : hidden_commands()) {
    if (!wanted(c)) continue;
    CLI::App* cmd = app.add_subcommand(c.name, c.summary)->group("");
    if (full) c.define(*cmd, opts);
    cmd->callback([&opts, name = c.name] { opts.command = name; });
  }
}

}  // namespace

void define(CLI::App& app, Options& opts) {
  define_commands(
      app, opts, [](const Command&) { return true; }, true);
}

void define_for(CLI::App& app, Options& opts, int argc, const char* const* argv) {
  if (argc >= 2 && argv[1][0] != '-' && find_command(argv[1])) {
    std::string selected = argv[1];
    define_commands(
        app, opts, [&](const Command& c) { return c.name == selected; }, true);
  } else {  // --help, --version, or nothing: the overview, which lists every command
    define_commands(
        app, opts, [](const Command&) { return true; }, false);
  }
}

}  // namespace netpol::cli
