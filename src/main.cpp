// netpol-graph: parse the command line, run one command, report the one error type.

#include <iostream>

#include "cli/cli.hpp"
#include "cli/io.hpp"
#include "error.hpp"
#include "text.hpp"

int main(int argc, char** argv) {
  // Everything written to standard error (warnings, errors and their excerpts) passes a
  // line at a time through the CI-command guard (text.hpp), as command output does.
  netpol::cli::CommandGuardBuf err_guard(std::cerr.rdbuf(), true);
  struct Restore {
    std::streambuf* original;
    ~Restore() { std::cerr.rdbuf(original); }
  } restore{std::cerr.rdbuf(&err_guard)};
  CLI::App app{"", "netpol-graph"};
  netpol::cli::Options options;
  netpol::cli::define(app, options);
  if (argc < 2) {
    std::cerr << app.help();
    return 2;
  }
  try {
    netpol::cli::check_command(app, argc, argv);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
      std::cerr << "netpol-graph: error: " << netpol::cli::parse_error_text(app, e, argc, argv)
                << "\n";
      return 2;
    }
    return netpol::cli::run(options, std::cin, std::cout, std::cerr);
  } catch (const netpol::Error& e) {
    // The message is one line (text.hpp); the excerpt after it is a line of an input.
    std::cerr << "netpol-graph: error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "netpol-graph: internal error: " << netpol::one_line(e.what()) << "\n";
    return 2;
  }
}
