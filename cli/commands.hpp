#pragma once
// The command table: one entry per command, with its name, help, options, examples, exit
// codes, handler and whether it may load Graphviz. Everything else is made from it: the
// command line (cli::define), the dispatch (cli::run), --help, the man page and the shell
// completions (tools/gen_docs.cpp). A command is added here and nowhere else.

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace netpol::cli {

struct Options;

struct InputTexts;

// The streams a handler reads and writes: standard input (`-`), the output, and warnings;
// and where the run keeps the inputs' texts (io.hpp).
struct Streams {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  InputTexts& inputs;
};

// Whether a command may load Graphviz (exporters/graphviz_runtime.hpp): never, when the
// chosen format is a picture, or always (the review bundle draws one).
enum class Graphviz { Never, ForPictures, Always };

struct Command {
  std::string name;
  std::string summary;     // one line: the command list of --help, the man page, completions
  std::string details;     // --help's footer before the exit codes; may be empty
  std::string exit_codes;  // "0 success, 2 error."
  std::vector<std::string> examples;             // whole command lines, "netpol-graph ..."
  void (*define)(CLI::App& cmd, Options& opts);  // the command's options
  int (*run)(const Options& opts, Streams& io);  // the handler: returns the exit code
  Graphviz graphviz = Graphviz::Never;
};

// Every command, in the order --help lists them.
const std::vector<Command>& commands();
// Commands for the shell completions only (`__nodes`: the node ids of the inputs on the line,
// for --from, --to and --focus): parsed and run as the others, in no help, man page or
// completion list, and their unknown arguments ignored (the rest of the line).
const std::vector<Command>& hidden_commands();
// The command of that name, hidden ones included; nullptr when there is none.
const Command* find_command(std::string_view name);
// Examples for the top-level --help and the man page's EXAMPLES: one or two per command.
const std::vector<std::string>& overview_examples();
// A command's --help footer: its details, exit codes and examples.
std::string footer(const Command& c);

}  // namespace netpol::cli
