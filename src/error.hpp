#pragma once
// Errors and source locations shared by every layer of netpol-graph.

#include <stdexcept>
#include <string>

namespace netpol {

// A place in an input: file name (or a pseudo-name such as "<defaults>"), 1-based line and column.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;

  bool known() const { return !file.empty(); }
  // "file:line:col", "file" when line is unknown, "" when nothing is known.
  std::string str() const;
  bool operator==(const Location& o) const {
    return file == o.file && line == o.line && column == o.column;
  }
};

// The one error type the program reports: main prints what() and exits with exit_code().
// The message is made one line (text.hpp, one_line): file names and arguments in it can hold
// line breaks and escape sequences, and no error may start a line of its own with them.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message);
  // A one-line message followed by `quoted`, lines shown from an input (an excerpt), each
  // beginning with a line break; they are printed as they are.
  Error(const std::string& message, const std::string& quoted);
  // Every error exits 2 (1 is a gate's answer, not an error).
  int exit_code() const { return 2; }
};

// Malformed input at a known place: formatted "file:line:col: values.path: detail".
class InputError : public Error {
 public:
  InputError(Location where, std::string path, std::string detail);
  const Location& where() const { return where_; }
  const std::string& path() const { return path_; }
  const std::string& detail() const { return detail_; }

 private:
  Location where_;
  std::string path_;
  std::string detail_;
};

// A short message from a value parser ("port 70000 is not in 1-65535"); the caller that knows
// the location turns it into an InputError.
class ValueError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Formats "where: path: detail" with the empty parts left out.
std::string format_located(const Location& where, const std::string& path,
                           const std::string& detail);

}  // namespace netpol
