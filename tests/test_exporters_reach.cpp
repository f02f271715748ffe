// exporters/reach_text and reach_json: the answer of `reach`, each route once, as text for
// people and JSON for tools, read back against the answer.
#include "exporters/reach.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

#include "graph/analysis/reach_report.hpp"
#include "support.hpp"

using namespace netpol;

namespace {

std::string id(const graph::Analysis& a, graph::PolicyGraph::Vertex v) {
  return a.graph.node(v).id;
}

}  // namespace

TEST_SUITE("exporters: reach text and JSON") {
  TEST_CASE("every route of an answer, in order, with its hops and path") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    // (Named, not bound: clang 14 cannot capture a structured binding in CAPTURE's lambda.)
    for (const auto& question :
         {std::pair<std::string, std::string>{"ui", ""}, {"", "meta"}, {"any-source", "ext:S3"}}) {
      const std::string& from = question.first;
      const std::string& to = question.second;
      CAPTURE(from);
      CAPTURE(to);
      graph::ReachRequest request;
      request.from = from;
      request.to = to;
      graph::ReachReport r = graph::answer_reach(a, request);
      REQUIRE_FALSE(r.routes.empty());
      std::ostringstream text, json;
      exporters::write_reach_text(a, r, text);
      exporters::write_reach_json(a, r, json);
      nlohmann::json j = nlohmann::json::parse(json.str());
      REQUIRE(j["routes"].size() == r.routes.size());
      for (std::size_t i = 0; i < r.routes.size(); ++i) {
        const graph::Route& route = r.routes[i];
        CHECK(j["routes"][i]["hops"] == route.hops());
        CHECK(j["routes"][i]["to"] == id(a, route.to));
        CHECK(j["routes"][i]["from"] == id(a, route.start()));
        std::string arrows;
        for (std::size_t k = 0; k < route.path.size(); ++k) {
          CHECK(j["routes"][i]["path"][k] == id(a, route.path[k]));
          arrows += (k ? " -> " : "") + id(a, route.path[k]);
        }
        CHECK(text.str().find(arrows) != std::string::npos);
      }
    }
  }

  TEST_CASE("no path is said in both, and the JSON holds no route") {
    graph::Analysis a = test::analyze_values(test::kEnabled);
    graph::ReachRequest request;
    request.from = "nursery";
    request.to = "ui";  // nothing reaches ui but the ingress controller
    graph::ReachReport r = graph::answer_reach(a, request);
    REQUIRE(r.routes.empty());
    std::ostringstream text, json;
    exporters::write_reach_text(a, r, text);
    exporters::write_reach_json(a, r, json);
    CHECK(nlohmann::json::parse(json.str())["routes"].empty());
    CHECK(text.str().find("not reachable") != std::string::npos);
  }
}
