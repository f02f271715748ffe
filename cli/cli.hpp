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

}  // namespace netpol::cli
