#include "graph/read/k8s_names.hpp"

#include "error.hpp"

namespace netpol::graph {
namespace {

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool alnum(char c) {
  return lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

// The label part shared by label values and label-key names.
std::string label_name_problem(std::string_view s) {
  if (s.size() > 63) return "it is longer than 63 characters";
  for (char c : s)
    if (!alnum(c) && c != '-' && c != '_' && c != '.')
      return "it may hold only letters, digits, '-', '_' and '.'";
  if (!alnum(s.front()) || !alnum(s.back())) return "it must start and end with a letter or digit";
  return "";
}

}  // namespace

std::string dns1123_label_problem(std::string_view name) {
  if (name.empty()) return "it is empty";
  if (name.size() > 63) return "it is longer than 63 characters";
  for (char c : name)
    if (!lower_alnum(c) && c != '-') return "it may hold only lower-case letters, digits and '-'";
  if (name.front() == '-' || name.back() == '-')
    return "it must start and end with a letter or digit";
  return "";
}

std::string dns1035_label_problem(std::string_view name) {
  std::string why = dns1123_label_problem(name);
  if (why.empty() && !(name.front() >= 'a' && name.front() <= 'z'))
    return "it must start with a lower-case letter";
  return why;
}

std::string dns1123_subdomain_problem(std::string_view name) {
  if (name.empty()) return "it is empty";
  if (name.size() > 253) return "it is longer than 253 characters";
  std::size_t start = 0;
  while (true) {
    std::size_t dot = name.find('.', start);
    std::string_view part = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (part.empty()) return "it has an empty part between dots";
    for (char c : part)
      if (!lower_alnum(c) && c != '-')
        return "it may hold only lower-case letters, digits, '-' and '.'";
    if (part.front() == '-' || part.back() == '-')
      return "each part between dots must start and end with a letter or digit";
    if (dot == std::string_view::npos) return "";
    start = dot + 1;
  }
}

void check_release_namespace(const std::string& ns) {
  if (std::string why = dns1123_label_problem(ns); !why.empty())
    throw Error("the namespace \"" + ns +
                "\" (-n, --namespace) cannot name a Kubernetes namespace: " + why);
}

std::string label_value_problem(std::string_view value) {
  return value.empty() ? "" : label_name_problem(value);
}

std::string label_key_problem(std::string_view key) {
  std::string_view name = key;
  if (auto slash = key.find('/'); slash != std::string_view::npos) {
    std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (std::string why = dns1123_subdomain_problem(prefix); !why.empty())
      return "its prefix \"" + std::string(prefix) + "\" is not a DNS subdomain: " + why;
    if (name.find('/') != std::string_view::npos) return "it may hold at most one '/'";
  }
  if (name.empty()) return "its name part is empty";
  return label_name_problem(name);
}

}  // namespace netpol::graph
