#pragma once
// File input and output for the command line.

#include <functional>
#include <iosfwd>
#include <map>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error.hpp"
#include "values/loader.hpp"

namespace netpol::cli {

// Reads a whole file, or standard input for "-" (from `in`), but never more than `limit`
// bytes: a longer input throws Error naming the limit (so /dev/zero cannot eat memory).
// Throws Error "cannot read <what> <path>: <reason>" when it cannot be read.
std::string read_input(const std::string& path, const std::string& what, std::istream& in,
                       std::size_t limit);

// The files `path` stands for as manifests input: itself for a file or "-", or every
// *.yaml, *.yml and *.json file under a directory (recursively, as `helm template
// --output-dir` writes them), sorted by path. Throws Error for a missing path or an empty
// directory.
std::vector<std::string> manifest_files(const std::string& path);

// Writes `content` to `path` without ever destroying what it names (docs/robustness.md):
// a regular file (or a new one) through a temporary file beside it, renamed into place only
// when everything was written, keeping the old file's permissions; a symlink is followed and
// its target replaced so; a device, a FIFO, /dev/stdout, /dev/fd/N or /proc/self/fd/N is
// written through, never replaced; a file with other hard links is written in place (all its
// names keep it). An empty path is an error.
// A failure leaves an existing file untouched and no temporary file behind.
void write_atomically(const std::string& path, const std::string& content);
// The same, with a hook run after the temporary file is complete and before the rename (the
// tests make it throw, to check the rollback).
void write_output(const std::string& path, const std::string& content,
                  const std::function<void(const std::string&)>& before_rename);

// Writes `files` (name, content) as the directory `dir`: into a temporary directory beside it,
// then swapped into place, so a failure leaves an existing `dir` untouched. `dir` must be new,
// empty, or a previous bundle (regular files, each named in its SHA256SUMS, and nothing
// else): any other directory is refused (Error), never replaced. A link to a directory stays
// a link; the bundle replaces what it points to.
void write_directory_atomically(const std::string& dir,
                                const std::vector<std::pair<std::string, std::string>>& files);

// Refuses (Error) an output that is one of the run's inputs (the same file, also through links
// and `..`, or a file inside an input directory), before anything is read; with `directory`
// (report's bundle), also an output directory that holds an input. A new output passes.
void check_output_is_no_input(const std::string& output, bool directory,
                              const std::vector<std::string>& inputs);

// An output stream buffer that passes text on to `out` in whole lines, each line made inert
// for CI systems (text.hpp, neutralise_ci_commands; `hash` as there): some 64 KiB of lines
// at a time, and on every flush. Flushing passes on complete lines only (a line is judged
// whole: an unbuffered std::cerr flushes after every <<, so a warning reaches its stream as
// it is written); the last, unterminated line is passed on when the buffer is destroyed.
class CommandGuardBuf : public std::streambuf {
 public:
  CommandGuardBuf(std::streambuf* out, std::string_view hash) : out_(out), hash_(hash) {}
  ~CommandGuardBuf() override { pass(true); }
  CommandGuardBuf(const CommandGuardBuf&) = delete;
  CommandGuardBuf& operator=(const CommandGuardBuf&) = delete;
  // The errno of the first write any guard could not pass on whole (0: none), for the
  // message when standard output fails (main.cpp).
  static int write_error();

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void pass(bool all);  // passes on the complete lines, and with `all` the rest too
  static constexpr std::size_t kBatch = 64 << 10;
  std::streambuf* out_;
  std::string_view hash_;
  std::string pending_;
};

// The offending line of an InputError and a caret under the column, each line beginning with
// a line break, when `texts` (name -> text) holds the text of the file it names; else "".
std::string excerpt(const InputError& e, const std::map<std::string, std::string_view>& texts);

// The texts of the inputs one run has read, kept for the whole run: cli::run turns every
// InputError that reaches it into an Error with its line and caret (excerpt), in one place.
struct InputTexts {
  std::map<std::string, values::Source> files;    // by path as given, read once
  std::map<std::string, std::string_view> texts;  // by name: views of files, Options, embedded
};

}  // namespace netpol::cli
