#pragma once
// The name rules the Kubernetes API server applies (k8s.io/apimachinery, util/validation):
// a values file whose names it would reject describes objects that cannot exist, and a name
// outside these rules is the only way text meant for a parser (a quote, a '<', a line break)
// could reach our outputs as a name. Each function returns "" for a valid name, else why not,
// as a clause ("it is longer than 63 characters").

#include <string>
#include <string_view>

namespace netpol::graph {

// RFC 1123 label: namespaces. At most 63 of [a-z0-9-], starting and ending alphanumeric.
std::string dns1123_label_problem(std::string_view name);
// RFC 1035 label: Service names. An RFC 1123 label that starts with a letter.
std::string dns1035_label_problem(std::string_view name);
// RFC 1123 subdomain: object names, label-key prefixes. At most 253 characters of
// dot-separated RFC 1123 labels.
std::string dns1123_subdomain_problem(std::string_view name);
// A label value: empty, or at most 63 of [A-Za-z0-9_.-] starting and ending alphanumeric.
std::string label_value_problem(std::string_view value);
// Throws Error unless `ns`, the namespace given with -n/--namespace, is an RFC 1123 label.
void check_release_namespace(const std::string& ns);

// A label key: [prefix/]name, the prefix an RFC 1123 subdomain, the name at most 63 of
// [A-Za-z0-9_.-] starting and ending alphanumeric.
std::string label_key_problem(std::string_view key);

}  // namespace netpol::graph
