#include "values/merge.hpp"

#include <string_view>
#include <unordered_map>

namespace netpol::values {

void merge_over(Value& base, const Value& over) {
  if (over.map.size() < 16) {
    for (const auto& e : over.map) {
      Value* existing = base.find(e.key);
      if (existing && existing->is_map() && e.value.is_map()) {
        merge_over(*existing, e.value);
      } else {
        base.set(e.key, e.value, e.key_location());
      }
    }
    return;
  }
  // A big map (thousands of services): look keys up through an index, not a scan each.
  std::unordered_map<std::string, std::size_t> index;
  base.map.reserve(base.map.size() + over.map.size());
  for (std::size_t i = 0; i < base.map.size(); ++i) index.emplace(base.map[i].key, i);
  for (const auto& e : over.map) {
    auto it = index.find(e.key);
    if (it == index.end()) {
      base.map.push_back(e);
      index.emplace(base.map.back().key, base.map.size() - 1);
    } else if (MapEntry& existing = base.map[it->second];
               existing.value.is_map() && e.value.is_map()) {
      merge_over(existing.value, e.value);
    } else {
      existing = e;
    }
  }
}

Value coalesce(const Value& user, const Value& defaults) {
  // Keys come in the defaults' order, then the user's new keys, so output does not depend on
  // which layer introduced a key first.
  Value out = user;
  out.map.clear();
  for (const auto& d : defaults.map) {
    const MapEntry* ue = user.find_entry(d.key);
    if (!ue) {
      out.map.push_back(d);
    } else if (ue->value.is_null()) {
      continue;  // a user null deletes the default
    } else if (ue->value.is_map() && d.value.is_map()) {
      out.map.push_back(
          MapEntry{d.key, coalesce(ue->value, d.value), ue->key_line, ue->key_column});
    } else {
      out.map.push_back(*ue);  // the user's value stands, as in Helm
    }
  }
  for (const auto& e : user.map)
    if (!defaults.find(e.key)) out.map.push_back(e);
  return out;
}

}  // namespace netpol::values
