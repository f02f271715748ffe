#include "values/merge.hpp"

#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace netpol::values {
namespace {

// Entries of `over` go into `base` copied, or moved when `over` is a temporary (a layer just
// read), so a big file is not copied once per layer.
template <typename Over>
void merge_entries(Value& base, Over&& over) {
  constexpr bool kMove = !std::is_lvalue_reference_v<Over>;
  auto take = [](auto& x) -> decltype(auto) {
    if constexpr (kMove)
      return std::move(x);
    else
      return static_cast<const std::remove_reference_t<decltype(x)>&>(x);
  };
  if (over.map.size() < 16) {
    for (auto& e : over.map) {
      Value* existing = base.find(e.key);
      if (existing && existing->is_map() && e.value.is_map()) {
        merge_entries(*existing, take(e.value));
      } else {
        Location key_at = e.key_location();
        base.set(e.key, take(e.value), key_at);
      }
    }
    return;
  }
  // A big map (thousands of services): look keys up through an index, not a scan each.
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(base.map.size() + over.map.size());
  base.map.reserve(base.map.size() + over.map.size());
  for (std::size_t i = 0; i < base.map.size(); ++i) index.emplace(base.map[i].key, i);
  for (auto& entry : over.map) {
    auto it = index.find(entry.key);
    if (it == index.end()) {
      base.map.push_back(take(entry));
      index.emplace(base.map.back().key, base.map.size() - 1);
    } else if (MapEntry& existing = base.map[it->second];
               existing.value.is_map() && entry.value.is_map()) {
      merge_entries(existing.value, take(entry.value));
    } else {
      // The key stays (the index views it); value and key position are the layer's.
      existing.value = take(entry.value);
      existing.key_line = entry.key_line;
      existing.key_column = entry.key_column;
    }
  }
}

template <typename User>
Value coalesce_entries(User&& user, const Value& defaults) {
  constexpr bool kMove = !std::is_lvalue_reference_v<User>;
  // Keys come in the defaults' order, then the user's new keys, so output does not depend on
  // which layer introduced a key first.
  Value out;
  out.kind = user.kind;
  out.quoted = user.quoted;
  out.loc = user.loc;
  if constexpr (kMove) {
    out.scalar = std::move(user.scalar);
    out.seq = std::move(user.seq);
  } else {
    out.scalar = user.scalar;
    out.seq = user.seq;
  }
  out.map.reserve(user.map.size() + defaults.map.size());
  // Big maps (thousands of services) are looked up through indexes, small ones by a scan.
  const bool big = user.map.size() >= 16;
  std::unordered_map<std::string_view, std::size_t> in_user;
  std::unordered_set<std::string_view> in_defaults;
  if (big) {
    in_user.reserve(user.map.size());
    for (std::size_t i = 0; i < user.map.size(); ++i) in_user.emplace(user.map[i].key, i);
    in_defaults.reserve(defaults.map.size());
    for (const auto& d : defaults.map) in_defaults.insert(d.key);
  }
  auto user_index = [&](std::string_view key) -> std::size_t {
    if (big) {
      auto it = in_user.find(key);
      return it == in_user.end() ? user.map.size() : it->second;
    }
    for (std::size_t i = 0; i < user.map.size(); ++i)
      if (user.map[i].key == key) return i;
    return user.map.size();
  };
  // User keys the defaults also have come in the defaults' order; decided before any entry
  // is moved out.
  std::vector<char> in_both(user.map.size());
  for (std::size_t i = 0; i < user.map.size(); ++i)
    in_both[i] =
        big ? in_defaults.count(user.map[i].key) > 0 : defaults.find(user.map[i].key) != nullptr;
  for (const auto& entry : defaults.map) {
    std::size_t at = user_index(entry.key);
    if (at == user.map.size()) {
      out.map.push_back(entry);
      continue;
    }
    auto& ue = user.map[at];
    if (ue.value.is_null()) continue;  // a user null deletes the default
    if (ue.value.is_map() && entry.value.is_map()) {
      Value merged;
      if constexpr (kMove)
        merged = coalesce_entries(std::move(ue.value), entry.value);
      else
        merged = coalesce_entries(ue.value, entry.value);
      out.map.push_back(MapEntry{entry.key, std::move(merged), ue.key_line, ue.key_column});
    } else if constexpr (kMove) {
      // The user's value stands, as in Helm. The key is copied: in_user may view it.
      out.map.push_back(MapEntry{ue.key, std::move(ue.value), ue.key_line, ue.key_column});
    } else {
      out.map.push_back(ue);
    }
  }
  for (std::size_t i = 0; i < user.map.size(); ++i) {
    if (in_both[i]) continue;
    if constexpr (kMove)
      out.map.push_back(std::move(user.map[i]));
    else
      out.map.push_back(user.map[i]);
  }
  return out;
}

}  // namespace

void merge_over(Value& base, const Value& over) {
  merge_entries(base, over);
}
void merge_over(Value& base, Value&& over) {
  merge_entries(base, std::move(over));
}

Value coalesce(const Value& user, const Value& defaults) {
  return coalesce_entries(user, defaults);
}
Value coalesce(Value&& user, const Value& defaults) {
  return coalesce_entries(std::move(user), defaults);
}

}  // namespace netpol::values
