#include "cli/io.hpp"

#include <algorithm>

#include "text.hpp"
#include "values/yaml_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace netpol::cli {

std::string read_input(const std::string& path, const std::string& what, std::istream& in,
                       std::size_t limit) {
  std::ifstream file;
  std::istream* source = &in;
  std::string name = path == "-" ? "<stdin>" : path;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) throw Error("cannot read " + what + " " + path + ": " + std::strerror(errno));
    source = &file;
  }
  std::string text;
  // A file's size is known: a file over the limit is refused before it is read, and one
  // under it is read into one allocation (appending doubled it: a 113 MB dump peaked at
  // twice its size before parsing began).
  if (path != "-") {
    std::error_code ec;
    std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec && size > limit)
      throw Error(name + ": the input is larger than the limit of " + std::to_string(limit >> 20) +
                  " MiB (raise it with --input-limit)");
    if (!ec) text.reserve(static_cast<std::size_t>(size));
  }
  char buffer[1 << 16];
  while (*source) {
    source->read(buffer, sizeof buffer);
    text.append(buffer, static_cast<std::size_t>(source->gcount()));
    if (text.size() > limit)
      throw Error(name + ": the input is larger than the limit of " + std::to_string(limit >> 20) +
                  " MiB (raise it with --input-limit)");
  }
  if (source->bad()) throw Error("cannot read " + what + " " + name + ": " + std::strerror(errno));
  return text;
}

std::vector<std::string> manifest_files(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path == "-" || !fs::is_directory(path, ec)) return {path};
  std::vector<std::string> out;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    std::string ext = it->path().extension().string();
    if (it->is_regular_file(ec) && (ext == ".yaml" || ext == ".yml" || ext == ".json"))
      out.push_back(it->path().string());
  }
  if (ec) throw Error("cannot read manifests directory " + path + ": " + ec.message());
  if (out.empty())
    throw Error("manifests directory " + path + " holds no .yaml, .yml or .json file");
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

mode_t current_umask() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return mask;
}

// The file a path names once symlinks are followed (a dangling link: where it points).
std::string resolve_links(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p = path;
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec))) return p.string();
    fs::path target = fs::read_symlink(p, ec);
    if (ec) throw Error("cannot write " + path + ": " + ec.message());
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  throw Error("cannot write " + path + ": too many levels of symbolic links");
}

void write_all(int fd, const std::string& content, const std::string& path) {
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error("cannot write " + path + ": " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

namespace {

// The descriptor a path names by itself: /dev/stdout (1), /dev/stderr (2), /dev/fd/N and
// /proc/self/fd/N (N); -1 for any other path. Such an output is written through whatever the
// descriptor is (a pipe, a terminal, a file opened for appending), never replaced.
int descriptor_path(const std::string& path) {
  std::string normal = std::filesystem::path(path).lexically_normal().string();
  if (normal == "/dev/stdout") return 1;
  if (normal == "/dev/stderr") return 2;
  for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (normal.compare(0, prefix.size(), prefix) != 0) continue;
    std::string n = normal.substr(prefix.size());
    if (n.empty() || n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos)
      return -1;
    return std::stoi(n);
  }
  return -1;
}

}  // namespace

void write_output(const std::string& path, const std::string& content,
                  const std::function<void(const std::string&)>& before_rename) {
  if (path.empty())
    throw Error("the output path is empty: give a file name, or - for standard output");
  if (int fd = descriptor_path(path); fd >= 0) {
    if (fd == 1) std::fflush(stdout);  // what was printed before goes first
    write_all(fd, content, path);
    return;
  }
  std::string target = resolve_links(path);
  struct stat st {};
  bool exists = ::stat(target.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw Error("cannot write " + path + ": it is a directory");
  if (exists && (!S_ISREG(st.st_mode) || st.st_nlink > 1)) {
    // A device, a FIFO: written through, never replaced by a file. A file with other hard
    // links: written in place (the run has succeeded: everything is in `content`), so every
    // name of it sees the new text and no link is broken.
    int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC | (S_ISREG(st.st_mode) ? O_TRUNC : 0));
    if (fd < 0) throw Error("cannot write " + path + ": " + std::strerror(errno));
    try {
      write_all(fd, content, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    if (::close(fd) != 0) throw Error("cannot write " + path + ": " + std::strerror(errno));
    return;
  }
  // A regular file (or a new one): a temporary file beside it, renamed over it only when
  // everything was written, with the old file's permissions.
  std::string tmp = target + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw Error("cannot write " + path + ": " + std::strerror(errno));
  try {
    ::fchmod(fd, exists ? st.st_mode & 07777 : 0666 & ~current_umask());
    write_all(fd, content, path);
    if (::close(fd) != 0) {
      fd = -1;
      throw Error("cannot write " + path + ": " + std::strerror(errno));
    }
    fd = -1;
    if (before_rename) before_rename(tmp);
    if (std::rename(tmp.c_str(), target.c_str()) != 0)
      throw Error("cannot write " + path + ": " + std::strerror(errno));
  } catch (...) {
    if (fd >= 0) ::close(fd);
    std::remove(tmp.c_str());
    throw;
  }
}

void write_atomically(const std::string& path, const std::string& content) {
  write_output(path, content, {});
}

namespace {

// What an existing directory holds, for writing a bundle over it: the previous bundle's files
// (entries of the directory, regular, named in its SHA256SUMS: never a name SHA256SUMS merely
// says, such as "../x"), and why it may not be replaced ("" when it may: it is empty, or
// holds that bundle and nothing else).
struct BundleDir {
  std::vector<std::string> files;
  std::string refusal;
};

BundleDir inspect_bundle_dir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  BundleDir out;
  std::set<std::string> listed;
  std::ifstream sums(dir / "SHA256SUMS");
  for (std::string line; std::getline(sums, line);)
    if (auto at = line.find("  "); at == 64) listed.insert(line.substr(at + 2));
  if (!listed.empty()) listed.insert("SHA256SUMS");
  std::vector<std::string> foreign;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    bool regular = it->symlink_status(ec).type() == fs::file_type::regular;
    if (regular && listed.count(name))
      out.files.push_back(name);
    else
      foreign.push_back(one_line(name) + (it->is_directory(ec) ? "/" : ""));
  }
  if (ec) {
    out.refusal = ec.message();
    return out;
  }
  if (foreign.empty()) return out;
  std::sort(foreign.begin(), foreign.end());
  std::string names;
  for (std::size_t i = 0; i < foreign.size() && i < 5; ++i) names += (i ? ", " : "") + foreign[i];
  if (foreign.size() > 5) names += " and " + std::to_string(foreign.size() - 5) + " more";
  out.refusal = std::string(listed.empty() ? "it is not empty and holds no bundle (no SHA256SUMS)"
                                           : "it holds files that are not part of its bundle") +
                ": " + names + "; write the bundle to a new or empty directory";
  return out;
}

}  // namespace

void write_directory_atomically(const std::string& dir,
                                const std::vector<std::pair<std::string, std::string>>& files) {
  namespace fs = std::filesystem;
  if (dir.empty()) throw Error("the output directory is empty: give a directory name");
  std::error_code ec;
  fs::path target(dir);
  while (target.has_parent_path() && target.filename().empty()) target = target.parent_path();
  // A link to a directory stays a link: the bundle replaces the directory it points to.
  if (fs::is_symlink(fs::symlink_status(target, ec))) {
    fs::path real = fs::canonical(target, ec);
    if (ec) throw Error("cannot write " + dir + ": " + ec.message());
    target = real;
  }
  bool had = fs::exists(target, ec);
  if (had && !fs::is_directory(target, ec))
    throw Error("cannot write " + dir + ": it exists and is not a directory");
  BundleDir previous;
  if (had) {
    previous = inspect_bundle_dir(target);
    if (!previous.refusal.empty())
      throw Error("refusing to write the bundle to " + dir + ": " + previous.refusal);
  }
  // Beside the target: a new directory of our own, and the previous bundle moved aside.
  std::string tmp_name = target.string() + ".tmp-XXXXXX";
  if (!::mkdtemp(tmp_name.data())) throw Error("cannot write " + dir + ": " + std::strerror(errno));
  fs::path tmp = tmp_name;
  ::chmod(tmp_name.c_str(), had ? static_cast<mode_t>(fs::status(target).permissions()) & 07777
                                : 0777 & ~current_umask());
  try {
    for (const auto& [name, content] : files) write_atomically((tmp / name).string(), content);
    if (!had) {
      fs::rename(tmp, target);
      return;
    }
    std::string old_name = target.string() + ".old-XXXXXX";
    if (!::mkdtemp(old_name.data()))
      throw Error("cannot write " + dir + ": " + std::strerror(errno));
    fs::path old = old_name;
    fs::rename(target, old / "bundle");
    try {
      fs::rename(tmp, target);
    } catch (...) {
      fs::rename(old / "bundle", target);  // put the previous bundle back
      fs::remove(old, ec);
      throw;
    }
    // Only the previous bundle's own files are removed: anything that appeared in it since it
    // was inspected stays, in the directory it was moved to.
    for (const auto& name : previous.files) fs::remove(old / "bundle" / name, ec);
    fs::remove(old / "bundle", ec);
    fs::remove(old, ec);
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(tmp, ec);
    throw Error("cannot write " + dir + ": " + e.code().message());
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
}

namespace {

struct FileId {
  dev_t dev;
  ino_t ino;
  bool operator==(const FileId& o) const { return dev == o.dev && ino == o.ino; }
};

std::optional<FileId> file_id(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino};
}

}  // namespace

void check_output_is_no_input(const std::string& output, bool directory,
                              const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  if (output.empty() || output == "-" || descriptor_path(output) >= 0) return;
  auto out = file_id(output);
  if (!out) return;  // a new file or directory can hold no input
  std::error_code ec;
  fs::path out_dir = directory ? fs::canonical(output, ec) : fs::path();
  for (const auto& input : inputs) {
    if (input.empty() || input == "-") continue;
    // An input directory (--manifests DIR): itself and the files in it.
    std::vector<std::string> files{input};
    if (fs::is_directory(input, ec))
      for (auto it = fs::recursive_directory_iterator(input, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        files.push_back(it->path().string());
    for (const auto& file : files) {
      auto in = file_id(file);
      if (!in) continue;
      if (*in == *out)
        throw Error("refusing to write " + one_line(output) + ": it is the input " +
                    one_line(file) + "; write to another " + (directory ? "directory" : "file"));
      if (directory) {
        fs::path real = fs::canonical(file, ec);
        auto rel = real.lexically_relative(out_dir);
        if (!ec && !rel.empty() && *rel.begin() != "..")
          throw Error("refusing to write the bundle to " + one_line(output) +
                      ": it holds the input " + one_line(file) + "; write to another directory");
      }
    }
  }
}

std::string excerpt(const InputError& error, const std::map<std::string, std::string_view>& texts) {
  auto it = texts.find(error.where().file);
  if (it == texts.end() || error.where().line <= 0) return "";
  std::string_view text = it->second;
  std::size_t pos = 0;
  for (int n = 1; n < error.where().line; ++n) {  // the start of the line, without copying the text
    pos = text.find('\n', pos);
    if (pos == std::string_view::npos) return "";
    ++pos;
  }
  if (pos >= text.size()) return "";  // the end of the text: no line to show
  std::string line(text.substr(pos, text.find('\n', pos) - pos));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.size() > 200) return "";  // too long to be helpful
  try {
    values::check_text(line, error.where().file, {});  // never echo bytes that are not text
  } catch (const InputError&) {
    return "";
  }
  if (std::any_of(line.begin(), line.end(), [](char c) { return c >= 0 && c < 0x20 && c != '\t'; }))
    return "";
  std::string caret(static_cast<std::size_t>(std::max(0, error.where().column - 1)), ' ');
  for (std::size_t i = 0; i < caret.size() && i < line.size(); ++i)
    if (line[i] == '\t') caret[i] = '\t';
  return "\n    " + line + "\n    " + caret + "^";
}

CommandGuardBuf::int_type CommandGuardBuf::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  pending_ += traits_type::to_char_type(c);
  if (pending_.back() == '\n' && pending_.size() >= kBatch) pass(false);
  return c;
}

std::streamsize CommandGuardBuf::xsputn(const char* s, std::streamsize n) {
  pending_.append(s, static_cast<std::size_t>(n));
  if (pending_.size() >= kBatch && std::memchr(s, '\n', static_cast<std::size_t>(n))) pass(false);
  return n;
}

int CommandGuardBuf::sync() {
  pass(false);
  return out_->pubsync();
}

namespace {
int first_write_error = 0;
}  // namespace

int CommandGuardBuf::write_error() {
  return first_write_error;
}

void CommandGuardBuf::pass(bool all) {
  std::size_t end = all ? pending_.size() : pending_.rfind('\n') + 1;  // npos + 1 == 0
  if (end == 0) return;
  std::string_view lines(pending_.data(), end);
  std::string inert;
  if (has_ci_commands(lines)) {
    inert = neutralise_ci_commands(std::string(lines), hash_);
    lines = inert;
  }
  errno = 0;
  auto size = static_cast<std::streamsize>(lines.size());
  if (out_->sputn(lines.data(), size) < size && !first_write_error)
    first_write_error = errno ? errno : EIO;
  pending_.erase(0, end);
}

}  // namespace netpol::cli
