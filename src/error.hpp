#pragma once
// Errors and source locations shared by every layer of netpol-graph.

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace netpol {

// How every line the program says begins: "netpol-graph: ", and with a kind, "netpol-graph:
// error: " or "netpol-graph: warning: ". The one place that spells it.
inline std::string said(std::string_view kind = {}) {
  return "netpol-graph: " + (kind.empty() ? std::string() : std::string(kind) + ": ");
}

// A file's name as locations hold it: shared, not copied, so that a tree of millions of
// nodes (a cluster dump) holds its file's name once (a copy each was a heap block per node
// for a name past 15 bytes, a third of the tree). Reads as the std::string it holds.
class FileName {
 public:
  FileName() = default;
  FileName(const std::string& name)  // NOLINT: a name is a file name
      : name_(name.empty() ? nullptr : std::make_shared<const std::string>(name)) {}
  FileName(const char* name) : FileName(std::string(name)) {}  // NOLINT: likewise

  const std::string& str() const { return name_ ? *name_ : none(); }
  operator const std::string&() const { return str(); }  // NOLINT: reads as its text
  bool empty() const { return !name_; }
  char front() const { return str().front(); }
  std::size_t rfind(std::string_view s, std::size_t pos = std::string::npos) const {
    return str().rfind(s, pos);
  }
  std::string substr(std::size_t pos, std::size_t n = std::string::npos) const {
    return str().substr(pos, n);
  }
  friend bool operator==(const FileName& a, const FileName& b) {
    return a.name_ == b.name_ || a.str() == b.str();
  }
  friend bool operator!=(const FileName& a, const FileName& b) { return !(a == b); }
  friend bool operator==(const FileName& a, std::string_view b) { return a.str() == b; }
  friend bool operator!=(const FileName& a, std::string_view b) { return a.str() != b; }
  friend bool operator==(const FileName& a, const std::string& b) { return a.str() == b; }
  friend bool operator!=(const FileName& a, const std::string& b) { return a.str() != b; }
  friend bool operator==(const FileName& a, const char* b) { return a.str() == b; }
  friend bool operator!=(const FileName& a, const char* b) { return a.str() != b; }
  friend std::string operator+(const std::string& a, const FileName& b) { return a + b.str(); }
  friend std::string operator+(const FileName& a, const std::string& b) { return a.str() + b; }
  friend std::string operator+(const char* a, const FileName& b) { return a + b.str(); }
  friend std::string operator+(const FileName& a, const char* b) { return a.str() + b; }

 private:
  static const std::string& none() {
    static const std::string none;
    return none;
  }
  std::shared_ptr<const std::string> name_;
};

// A place in an input: file name (or a pseudo-name such as "<defaults>"), 1-based line and column.
struct Location {
  FileName file;
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
