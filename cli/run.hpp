#pragma once
// Running a parsed command, without the command line's library (CLI11): what main and the
// tests call after cli::define has filled the Options.

#include <iosfwd>

#include "cli/options.hpp"

namespace netpol::cli {

// Runs the parsed command (opts.command, a name in the command table) by its handler: reads
// inputs, writes the output, prints warnings to `err`. Returns the exit code; throws Error
// for anything that stops it.
int run(const Options& opts, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace netpol::cli
