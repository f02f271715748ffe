#include "graph/sets/selector.hpp"

#include <utility>

#include <algorithm>
#include <tuple>

#include "text.hpp"

namespace netpol::graph {

bool Requirement::operator<(const Requirement& o) const {
  return std::tie(key, op, values) < std::tie(o.key, o.op, o.values);
}

void LabelSelector::add_equals(const std::string& key, const std::string& value) {
  add(Requirement{key, Requirement::Op::In, {value}});
}

void LabelSelector::add(Requirement requirement) {
  std::sort(requirement.values.begin(), requirement.values.end());
  requirement.values.erase(std::unique(requirement.values.begin(), requirement.values.end()),
                           requirement.values.end());
  auto pos = std::lower_bound(reqs_.begin(), reqs_.end(), requirement);
  if (pos != reqs_.end() && *pos == requirement) return;
  reqs_.insert(pos, std::move(requirement));
  str_.reset();
}

bool LabelSelector::matches(const Labels& labels) const {
  for (const Requirement& requirement : reqs_) {
    auto it = labels.find(requirement.key);
    bool has = it != labels.end();
    bool in =
        has && std::binary_search(requirement.values.begin(), requirement.values.end(), it->second);
    switch (requirement.op) {
      case Requirement::Op::In:
        if (!in) return false;
        break;
      case Requirement::Op::NotIn:
        if (in) return false;
        break;
      case Requirement::Op::Exists:
        if (!has) return false;
        break;
      case Requirement::Op::DoesNotExist:
        if (has) return false;
        break;
    }
  }
  return true;
}

namespace {
std::string requirement_text(const Requirement& requirement, const char* sep) {
  switch (requirement.op) {
    case Requirement::Op::In:
      return requirement.values.size() == 1
                 ? requirement.key + "=" + requirement.values[0]
                 : requirement.key + " in (" + join(requirement.values, sep) + ")";
    case Requirement::Op::NotIn:
      return requirement.values.size() == 1
                 ? requirement.key + "!=" + requirement.values[0]
                 : requirement.key + " notin (" + join(requirement.values, sep) + ")";
    case Requirement::Op::Exists:
      return requirement.key;
    case Requirement::Op::DoesNotExist:
      return "!" + requirement.key;
  }
  return requirement.key;
}
}  // namespace

const std::string& LabelSelector::str() const {
  if (!str_) {
    std::vector<std::string> parts;
    for (const auto& r : reqs_) parts.push_back(requirement_text(r, ","));
    str_ = join(parts, ",");
  }
  return *str_;
}

std::string LabelSelector::describe() const {
  if (reqs_.empty()) return "everything";
  std::vector<std::string> parts;
  for (const auto& r : reqs_) parts.push_back(requirement_text(r, ", "));
  return join(parts, " and ");
}

const Requirement* app_in(const LabelSelector& selector) {
  for (const Requirement& r : selector.requirements())
    if (r.key == kAppLabel && r.op == Requirement::Op::In) return &r;
  return nullptr;
}

std::string single_app(const LabelSelector& s) {
  const Requirement* r = app_in(s);
  return r && s.requirements().size() == 1 && r->values.size() == 1 ? r->values[0] : "";
}

namespace {
constexpr std::pair<Requirement::Op, std::string_view> kOperators[] = {
    {Requirement::Op::In, "In"},
    {Requirement::Op::NotIn, "NotIn"},
    {Requirement::Op::Exists, "Exists"},
    {Requirement::Op::DoesNotExist, "DoesNotExist"}};
}  // namespace

std::string_view operator_name(Requirement::Op op) {
  for (const auto& [o, name] : kOperators)
    if (o == op) return name;
  return "In";
}

bool parse_operator(std::string_view name, Requirement::Op& op) {
  for (const auto& [o, n] : kOperators)
    if (n == name) {
      op = o;
      return true;
    }
  return false;
}

}  // namespace netpol::graph
