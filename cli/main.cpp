// netpol-graph: parse the command line, run one command, report the one error type.

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <string>

#include "cli/cli.hpp"
#include "cli/io.hpp"
#include "error.hpp"
#include "text.hpp"

#include <unistd.h>

// Whether AddressSanitizer is on: GCC defines __SANITIZE_ADDRESS__, clang answers
// __has_feature (scripts/test.sh's sanitizer tree is built with clang).
#if defined(__SANITIZE_ADDRESS__)
#define NETPOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NETPOL_ASAN 1
#endif
#endif

namespace {

// A command's output is complete only once standard output took all of it: a write error
// (a full disk, /dev/full) or a failed close is an error, exit 2. A closed pipe (EPIPE, with
// SIGPIPE ignored by whoever started us) ends quietly, as other command-line tools do.
int finish_stdout(int code) {
  errno = 0;
  std::cout.flush();  // through stdio: its fflush fails (and sets errno) where a write did
  bool failed = !std::cout || std::fflush(stdout) != 0 || std::ferror(stdout);
  int error = netpol::cli::CommandGuardBuf::write_error()
                  ? netpol::cli::CommandGuardBuf::write_error()
                  : errno;
  if (!failed && ::close(STDOUT_FILENO) != 0 && errno != EBADF) {
    failed = true;
    error = errno;
  }
  if (!failed || error == EPIPE) return code;
  std::cerr << netpol::said("error") << "cannot write standard output"
            << (error ? std::string(": ") + std::strerror(error) : std::string()) << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Everything written to standard error (warnings, errors and their excerpts) passes a
  // line at a time through the CI-command guard (text.hpp), as command output does.
  netpol::cli::CommandGuardBuf err_guard(std::cerr.rdbuf(), netpol::kHashProse);
  struct Restore {
    std::streambuf* original;
    ~Restore() { std::cerr.rdbuf(original); }
  } restore{std::cerr.rdbuf(&err_guard)};
  CLI::App app{"", "netpol-graph"};
  netpol::cli::Options options;
  netpol::cli::define_for(app, options, argc, argv);
  options.command_line.assign(argv, argv + argc);
#ifndef NETPOL_ASAN
  options.free_at_exit = false;  // the process ends when the command does
#endif
  if (argc < 2) {
    std::cerr << app.help();
    return 2;
  }
  try {
    netpol::cli::check_command(argc, argv);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
      std::cerr << netpol::said("error") << netpol::cli::parse_error_text(app, e, argc, argv)
                << "\n";
      return 2;
    }
    // The time a review bundle records: SOURCE_DATE_EPOCH (reproducible builds) or now.
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
      std::string text = epoch;
      if (text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
        throw netpol::Error("SOURCE_DATE_EPOCH: expected seconds since 1970-01-01 UTC, got \"" +
                            netpol::one_line(text) + "\"");
      options.now = std::stoll(text);
    } else {
      options.now = static_cast<long long>(std::time(nullptr));
    }
    int code = netpol::cli::run(options, std::cin, std::cout, std::cerr);
    return finish_stdout(code);
  } catch (const netpol::Error& e) {
    // The message is one line (text.hpp); the excerpt after it is a line of an input.
    std::cerr << netpol::said("error") << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << netpol::said("internal error") << netpol::one_line(e.what()) << "\n";
    return 2;
  }
}
