#include "error.hpp"

#include "text.hpp"

namespace netpol {

std::string Location::str() const {
  if (file.empty()) return "";
  std::string name = one_line(file.str());  // a file name may hold anything but '/' and NUL
  if (line <= 0) return name;
  return name + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string format_located(const Location& where, const std::string& path,
                           const std::string& detail) {
  std::string out;
  if (where.known()) out += where.str() + ": ";
  if (!path.empty()) out += path + ": ";
  return one_line(out + detail);  // one line, whatever the names in it hold
}

Error::Error(const std::string& message) : std::runtime_error(one_line(message)) {}

Error::Error(const std::string& message, const std::string& quoted)
    : std::runtime_error(one_line(message) + quoted) {}

InputError::InputError(Location where, std::string path, std::string detail)
    : Error(format_located(where, path, detail)),
      where_(std::move(where)),
      path_(std::move(path)),
      detail_(std::move(detail)) {}

}  // namespace netpol
