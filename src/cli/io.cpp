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

void write_output(const std::string& path, const std::string& content,
                  const std::function<void(const std::string&)>& before_rename) {
  std::string target = resolve_links(path);
  struct stat st {};
  bool exists = ::stat(target.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw Error("cannot write " + path + ": it is a directory");
  if (exists && !S_ISREG(st.st_mode)) {
    // A device, a FIFO, /dev/stdout: written through, never replaced by a file.
    int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw Error("cannot write " + path + ": " + std::strerror(errno));
    try {
      write_all(fd, content, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
    return;
  }
  // A regular file (or a new one): a temporary file beside it, renamed over it only when
  // everything was written, with the old file's permissions.
  std::string tmp = target + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                  exists ? st.st_mode & 07777 : 0666);
  if (fd < 0) throw Error("cannot write " + path + ": " + std::strerror(errno));
  try {
    if (exists) ::fchmod(fd, st.st_mode & 07777);
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

void write_directory_atomically(const std::string& dir,
                                const std::vector<std::pair<std::string, std::string>>& files) {
  namespace fs = std::filesystem;
  fs::path target(dir);
  while (target.has_parent_path() && target.filename().empty()) target = target.parent_path();
  std::string suffix = ".tmp-" + std::to_string(::getpid());
  fs::path tmp = target;
  tmp += suffix;
  fs::path old = target;
  old += ".old" + suffix;
  std::error_code ec;
  if (fs::exists(target, ec) && !fs::is_directory(target, ec))
    throw Error("cannot write " + dir + ": it exists and is not a directory");
  try {
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    for (const auto& [name, content] : files) write_atomically((tmp / name).string(), content);
    bool had = fs::exists(target);
    if (had) fs::rename(target, old);
    try {
      fs::rename(tmp, target);
    } catch (...) {
      if (had) fs::rename(old, target);  // put the previous bundle back
      throw;
    }
    if (had) fs::remove_all(old);
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(tmp, ec);
    throw Error("cannot write " + dir + ": " + e.code().message());
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
}

std::string excerpt(const InputError& e, const std::map<std::string, std::string_view>& texts) {
  auto it = texts.find(e.where().file);
  if (it == texts.end() || e.where().line <= 0) return "";
  std::string_view text = it->second;
  std::size_t pos = 0;
  for (int n = 1; n < e.where().line; ++n) {  // the start of the line, without copying the text
    pos = text.find('\n', pos);
    if (pos == std::string_view::npos) return "";
    ++pos;
  }
  if (pos >= text.size()) return "";  // the end of the text: no line to show
  std::string line(text.substr(pos, text.find('\n', pos) - pos));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.size() > 200) return "";  // too long to be helpful
  try {
    values::check_text(line, e.where().file, {});  // never echo bytes that are not text
  } catch (const InputError&) {
    return "";
  }
  if (std::any_of(line.begin(), line.end(), [](char c) { return c >= 0 && c < 0x20 && c != '\t'; }))
    return "";
  std::string caret(static_cast<std::size_t>(std::max(0, e.where().column - 1)), ' ');
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

void CommandGuardBuf::pass(bool all) {
  std::size_t end = all ? pending_.size() : pending_.rfind('\n') + 1;  // npos + 1 == 0
  if (end == 0) return;
  std::string_view lines(pending_.data(), end);
  if (!has_ci_commands(lines, prose_)) {
    out_->sputn(lines.data(), static_cast<std::streamsize>(end));
  } else {
    std::string inert = neutralise_ci_commands(std::string(lines), prose_);
    out_->sputn(inert.data(), static_cast<std::streamsize>(inert.size()));
  }
  pending_.erase(0, end);
}

}  // namespace netpol::cli
