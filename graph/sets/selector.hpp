#pragma once
// Kubernetes label selectors (matchLabels and matchExpressions) in a canonical form.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netpol::graph {

using Labels = std::map<std::string, std::string>;

// The label the API server sets on every namespace, its name: what selects a namespace by
// name (read_chart, read_manifests, build).
inline constexpr std::string_view kNamespaceNameLabel = "kubernetes.io/metadata.name";

struct Requirement {
  enum class Op { In, NotIn, Exists, DoesNotExist };
  std::string key;
  Op op = Op::In;
  std::vector<std::string> values;  // sorted, unique

  bool operator==(const Requirement& o) const {
    return key == o.key && op == o.op && values == o.values;
  }
  bool operator<(const Requirement& o) const;
};

// A matchExpressions operator by its API name ("In", "NotIn", "Exists", "DoesNotExist"):
// read_rules parses it, the manifests writer prints it. parse_operator returns false for
// another word.
std::string_view operator_name(Requirement::Op op);
bool parse_operator(std::string_view name, Requirement::Op& op);

class LabelSelector;

// The label chart services are selected by: a peer entry {app: x} renders pods `app In (x)`,
// and build, classes, match and read_manifests read that shape back through these two.
inline constexpr std::string_view kAppLabel = "app";
// The selector's `app In (...)` requirement, or nullptr.
const Requirement* app_in(const LabelSelector& s);
// x when the selector is exactly `app In (x)` (what {app: x} renders), else "".
std::string single_app(const LabelSelector& s);

// A selector is the AND of its requirements; no requirement selects everything.
class LabelSelector {
 public:
  LabelSelector() = default;
  // Adds `key = value` (matchLabels).
  void add_equals(const std::string& key, const std::string& value);
  void add(Requirement r);

  bool matches(const Labels& labels) const;
  bool empty() const { return reqs_.empty(); }
  const std::vector<Requirement>& requirements() const { return reqs_; }

  // Kubernetes' selector syntax with requirements sorted: "app=x,env in (a,b),!legacy,tier".
  // Empty for a selector that selects everything. Kept once made (selectors are keys of
  // nodes and classes, asked for again and again).
  const std::string& str() const;
  // Readable form for labels: "app=x and env in (a, b)"; "everything" when empty.
  std::string describe() const;

  bool operator==(const LabelSelector& o) const { return reqs_ == o.reqs_; }

 private:
  std::vector<Requirement> reqs_;  // sorted, unique
  mutable std::optional<std::string> str_;
};

}  // namespace netpol::graph
