#include "cli/io.hpp"

#include <algorithm>

#include "values/yaml_reader.hpp"

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

void write_atomically(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot write " + path + ": " + std::strerror(errno));
    out << content;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw Error("cannot write " + path + ": " + std::strerror(errno));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    std::remove(tmp.c_str());
    throw Error("cannot write " + path + ": " + std::strerror(err));
  }
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

std::string with_excerpt(const InputError& e, const std::map<std::string, std::string>& texts) {
  std::string msg = e.what();
  auto it = texts.find(e.where().file);
  if (it == texts.end() || e.where().line <= 0) return msg;
  std::istringstream lines(it->second);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    if (n != e.where().line) continue;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > 200) return msg;  // too long to be helpful
    try {
      values::check_text(line, e.where().file, {});  // never echo bytes that are not text
    } catch (const InputError&) {
      return msg;
    }
    if (std::any_of(line.begin(), line.end(), [](char c) { return c >= 0 && c < 0x20 && c != '\t'; }))
      return msg;
    std::string caret(static_cast<std::size_t>(std::max(0, e.where().column - 1)), ' ');
    for (std::size_t i = 0; i < caret.size() && i < line.size(); ++i)
      if (line[i] == '\t') caret[i] = '\t';
    return msg + "\n    " + line + "\n    " + caret + "^";
  }
  return msg;
}

}  // namespace netpol::cli
