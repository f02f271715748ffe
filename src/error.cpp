#include "error.hpp"

namespace netpol {

std::string Location::str() const {
  if (file.empty()) return "";
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string format_located(const Location& where, const std::string& path,
                           const std::string& detail) {
  std::string out;
  if (where.known()) out += where.str() + ": ";
  if (!path.empty()) out += path + ": ";
  return out + detail;
}

InputError::InputError(Location where, std::string path, std::string detail)
    : Error(format_located(where, path, detail)),
      where_(std::move(where)),
      path_(std::move(path)),
      detail_(std::move(detail)) {}

}  // namespace netpol
