#include <doctest/doctest.h>

#include <bitset>
#include <functional>
#include <ostream>
#include <random>

#include "graph/sets/pod_cubes.hpp"

using namespace netpol::graph;

namespace {

const std::string kName(kNamespaceNameLabel);

LabelSelector selector(std::initializer_list<Requirement> reqs) {
  LabelSelector s;
  for (const auto& r : reqs) s.add(r);
  return s;
}
Requirement in(std::string k, std::vector<std::string> v) {
  return {std::move(k), Requirement::Op::In, std::move(v)};
}
Requirement notin(std::string k, std::vector<std::string> v) {
  return {std::move(k), Requirement::Op::NotIn, std::move(v)};
}
Requirement exists(std::string k) {
  return {std::move(k), Requirement::Op::Exists, {}};
}
Requirement absent(std::string k) {
  return {std::move(k), Requirement::Op::DoesNotExist, {}};
}

// The brute-force universe: one pod of every label class. Namespace keys: the name label
// and `team`; pod keys `app`, `tier`, `env`. Each key takes every value a selector may name
// ("a", "b"), one other value ("zz"), or is absent (but the namespace's name, always there).
struct CubePod {
  Labels ns, pod;
};
std::vector<CubePod> universe() {
  const std::vector<std::optional<std::string>> values{"a", "b", "zz", std::nullopt};
  std::vector<CubePod> out;
  for (std::size_t name = 0; name < 3; ++name)
    for (const auto& team : values)
      for (const auto& app : values)
        for (const auto& tier : values)
          for (const auto& env : values) {
            CubePod p;
            p.ns[kName] = *values[name];
            if (team) p.ns["team"] = *team;
            if (app) p.pod["app"] = *app;
            if (tier) p.pod["tier"] = *tier;
            if (env) p.pod["env"] = *env;
            out.push_back(std::move(p));
          }
  return out;
}

constexpr std::size_t kPods = 3 * 4 * 4 * 4 * 4;
using Bits = std::bitset<kPods>;

// A random set with its brute-force twin: selectors through LabelSelector::matches (the
// matcher every other verdict uses), set operations on bits.
struct Random {
  std::mt19937 rng;
  const std::vector<CubePod>& pods;

  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  }

  std::vector<std::string> some_values() {
    std::vector<std::vector<std::string>> choices{{"a"}, {"b"}, {"a", "b"}, {"b", "a", "a"}};
    return choices[pick(choices.size())];
  }
  Requirement requirement(const std::vector<std::string>& keys) {
    std::string key = keys[pick(keys.size())];
    switch (pick(4)) {
      case 0:
        return in(key, some_values());
      case 1:
        return notin(key, some_values());
      case 2:
        return exists(key);
      default:
        return absent(key);
    }
  }
  LabelSelector label_selector(const std::vector<std::string>& keys) {
    LabelSelector s;
    for (std::size_t n = pick(3); n > 0; --n) s.add(requirement(keys));
    return s;
  }

  // A NetworkPolicy peer: podSelector, namespaceSelector or both.
  std::pair<PodCubes, Bits> peer() {
    std::optional<LabelSelector> ns, pod;
    std::size_t kind = pick(3);
    if (kind != 1) pod = label_selector({"app", "tier", "env"});
    if (kind != 0) ns = label_selector({kName, "team"});
    std::string policy_ns = pick(2) ? "a" : "b";
    Bits bits;
    for (std::size_t i = 0; i < pods.size(); ++i) {
      const CubePod& p = pods[i];
      bool ns_ok = ns ? ns->matches(p.ns) : p.ns.at(kName) == policy_ns;
      bits[i] = ns_ok && (!pod || pod->matches(p.pod));
    }
    return {PodCubes::selected(ns, pod, policy_ns), bits};
  }

  // A known pod of the universe as a point, reading every key of the universe.
  std::pair<PodCubes, Bits> point() {
    std::size_t i = pick(pods.size());
    Bits bits;
    bits[i] = true;
    return {PodCubes::point(pods[i].ns, pods[i].pod, {kName, "team"}, {"app", "tier", "env"}),
            bits};
  }

  std::pair<PodCubes, Bits> set(int depth) {
    if (depth == 0 || pick(3) == 0) return pick(5) == 0 ? point() : peer();
    auto [a, x] = set(depth - 1);
    auto [b, y] = set(depth - 1);
    switch (pick(3)) {
      case 0:
        return {a.unite(b), x | y};
      case 1:
        return {a.intersect(b), x & y};
      default:
        return {a.subtract(b), x & ~y};
    }
  }
};

Bits bits_of(const PodCubes& s, const std::vector<CubePod>& pods) {
  Bits out;
  for (std::size_t i = 0; i < pods.size(); ++i) out[i] = s.contains(pods[i].ns, pods[i].pod);
  return out;
}

}  // namespace

TEST_SUITE("graph: pod cubes") {
  TEST_CASE("the issue's sets: monitoring, grafana, the release namespace") {
    LabelSelector everything;
    PodCubes every_ns = PodCubes::selected(everything, std::nullopt, "default");
    LabelSelector monitoring = selector({in(kName, {"monitoring"})});
    LabelSelector grafana = selector({in("app", {"grafana"})});
    PodCubes grafana_pods = PodCubes::selected(monitoring, grafana, "default");
    CHECK(grafana_pods.subset_of(every_ns));
    CHECK_FALSE(every_ns.subset_of(grafana_pods));
    CHECK(every_ns.unite(grafana_pods).same_pods(every_ns));
    CHECK(grafana_pods.describe() == "pods with app=grafana in namespace monitoring");
    CHECK(every_ns.describe() == "every pod");
    // podSelector: {} is the pods of the policy's namespace, as is a namespaceSelector on its name.
    PodCubes own = PodCubes::selected(std::nullopt, everything, "default");
    PodCubes by_name =
        PodCubes::selected(selector({in(kName, {"default"})}), std::nullopt, "default");
    CHECK(own.same_pods(by_name));
    CHECK(own.describe() == by_name.describe());
    CHECK(own.describe() == "every pod in namespace default");
    // Every namespace has a name: "it has no name" selects nothing.
    CHECK(PodCubes::selected(selector({absent(kName)}), std::nullopt, "x").empty());
    CHECK(every_ns.subtract(grafana_pods).describe() ==
          "every pod but pods with app=grafana in namespace monitoring");
  }

  TEST_CASE("key domains: In, NotIn, Exists, DoesNotExist as sets of values") {
    KeyDomain a = KeyDomain::of(in("k", {"a", "b"}));
    KeyDomain not_a = KeyDomain::of(notin("k", {"a"}));
    CHECK(a.allows(std::string("a")));
    CHECK_FALSE(a.allows(std::nullopt));
    CHECK(not_a.allows(std::nullopt));  // NotIn admits pods without the key
    CHECK(not_a.allows(std::string("zz")));
    CHECK(a.intersect(not_a) == KeyDomain::of(in("k", {"b"})));
    CHECK(a.unite(not_a) == KeyDomain::any());
    CHECK(KeyDomain::present().unite(KeyDomain::of(absent("k"))).is_any());
    CHECK(KeyDomain::present().intersect(KeyDomain::of(absent("k"))).empty());
    CHECK(a.complement().complement() == a);
  }

  TEST_CASE("random sets against one pod of every label class") {
    const std::vector<CubePod> pods = universe();
    REQUIRE(pods.size() == kPods);
    Random r{std::mt19937(20261205), pods};
    int equal_pairs = 0, subset_pairs = 0;
    for (int i = 0; i < 1500; ++i) {
      // Not structured bindings: CAPTURE's lambda cannot take them in clang 14.
      auto first = r.set(3), second = r.set(3);
      const PodCubes &a = first.first, &b = second.first;
      const Bits &x = first.second, &y = second.second;
      CAPTURE(i);
      CAPTURE(a.describe());
      CAPTURE(b.describe());
      REQUIRE((bits_of(a, pods) == x));
      REQUIRE((bits_of(b, pods) == y));
      CHECK(a.empty() == x.none());
      for (std::size_t c = 0; c < a.cubes().size(); ++c)  // the cubes held are disjoint
        for (std::size_t d = c + 1; d < a.cubes().size(); ++d)
          CHECK(a.cubes()[c].intersect(a.cubes()[d]).empty());
      CHECK(a.subset_of(b) == ((x & ~y).none()));
      CHECK(a.intersects(b) == (x & y).any());
      CHECK(a.same_pods(b) == (x == y));
      CHECK((a.describe() == b.describe()) == (x == y));
      // The same set, built another way, prints the same.
      PodCubes again = a.subtract(b).unite(a.intersect(b));
      CHECK((bits_of(again, pods) == x));
      CHECK(again.describe() == a.describe());
      equal_pairs += x == y;
      subset_pairs += (x & ~y).none() && x != y;
    }
    // The random sets meet the interesting cases, not only disjoint ones.
    CHECK(equal_pairs > 20);
    CHECK(subset_pairs > 20);
  }

  TEST_CASE("cells: past the budget, none") {
    std::vector<PodCubes> sets;
    for (int i = 0; i < 40; ++i)
      sets.push_back(
          PodCubes::selected(selector({notin("team", {std::to_string(i)})}), std::nullopt, "x"));
    CHECK_FALSE(partition(sets, 100).has_value());
    CHECK(partition(sets, SIZE_MAX).has_value());
  }

  TEST_CASE("cells: every set is the union of its cells, and cells do not overlap") {
    const std::vector<CubePod> pods = universe();
    Random r{std::mt19937(7), pods};
    for (int i = 0; i < 200; ++i) {
      std::vector<PodCubes> sets;
      std::vector<Bits> bits;
      for (std::size_t n = 1 + r.pick(5); n > 0; --n) {
        auto [s, b] = r.set(2);
        sets.push_back(s);
        bits.push_back(b);
      }
      PodCells cells = *partition(sets);
      std::vector<Bits> cell_bits;
      for (const auto& c : cells.cells) {
        Bits b = bits_of(c, pods);
        CHECK(b.any());
        for (const auto& other : cell_bits) CHECK((b & other).none());
        cell_bits.push_back(b);
      }
      for (std::size_t s = 0; s < sets.size(); ++s) {
        Bits joined;
        for (std::size_t c : cells.cells_of[s]) joined |= cell_bits[c];
        CHECK((joined == bits[s]));
      }
    }
  }
}
