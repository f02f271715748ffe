#pragma once
// The command line: options of every command, and running one.

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "cli/run.hpp"

namespace netpol::cli {

// Defines on `app` every command of the command table (commands.hpp) with its options, help
// and examples, storing what is parsed in `opts`.
void define(CLI::App& app, Options& opts);
// The same for one run: only the command the command line names (its first argument), with
// its options; with no command named (--help, --version), every command by name and summary,
// for the overview. Defining every command's options was a third of a text command's
// start-up (docs/performance.md).
void define_for(CLI::App& app, Options& opts, int argc, const char* const* argv);

// Throws Error when the first argument names no command ("did you mean"), before CLI11
// would answer with a less helpful message.
void check_command(int argc, const char* const* argv);
// The message for a command-line error in the tool's own form: an unknown option with the
// option it most likely meant, else CLI11's sentence; both end with where help is.
std::string parse_error_text(const CLI::App& app, const CLI::ParseError& e, int argc,
                             const char* const* argv);

// How --help, the man page and the completions say an option's value. Whether it is a file
// or directory (completed with paths):
bool takes_path(const std::string& type);
// The values an option accepts, where its type lists them ("TEXT:{error,warning,info}", or
// "reachable|unreachable" as a type name); empty for any other.
std::vector<std::string> choices_of(const CLI::Option* o);
// The value as a reader writes it: the choices ("documented|effective") or the metavariable
// ("N"), not the parser's notation ("N:UINT in [1 - 1000000]", "TEXT:{documented,effective}").
std::string value_text(const CLI::Option* o);

}  // namespace netpol::cli
