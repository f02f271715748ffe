#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "exporters/label_room.hpp"

using netpol::exporters::Box;
using netpol::exporters::EdgeLabel;
using netpol::exporters::Line;
using netpol::exporters::make_room;
using netpol::exporters::overlaps;
using netpol::exporters::Point;
using netpol::exporters::Scene;
using netpol::exporters::straddles;

namespace {

// A straight edge from a to b as one cubic Bezier piece.
std::vector<Point> straight(Point a, Point b) {
  return {a,
          {a.x + (b.x - a.x) / 3, a.y + (b.y - a.y) / 3},
          {a.x + 2 * (b.x - a.x) / 3, a.y + 2 * (b.y - a.y) / 3},
          b};
}

// A 400 x 200 pt page holding `labels`, each edge's own line drawn, and `more` lines besides.
Scene page_with(const std::vector<EdgeLabel>& labels, const std::vector<Line>& more = {}) {
  Scene scene;
  scene.page = {0, 0, 400, 200};
  scene.labels = labels;
  for (const EdgeLabel& label : labels) scene.lines.push_back({label.path});
  scene.lines.insert(scene.lines.end(), more.begin(), more.end());
  return scene;
}

Box box_of(const EdgeLabel& label, Point centre) {
  return Box::around(centre, label.width, label.height);
}

// How far a point is from the nearest point of a straight edge.
double distance_to_segment(Point p, Point a, Point b) {
  double dx = b.x - a.x, dy = b.y - a.y;
  double t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy);
  t = std::fmax(0, std::fmin(1, t));
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

}  // namespace

TEST_SUITE("exporters label room") {
  TEST_CASE("boxes: overlap needs shared area, a border lies partly in and partly out") {
    Box frame{0, 0, 100, 100};
    CHECK(overlaps(Box{10, 10, 20, 20}, frame));
    CHECK_FALSE(overlaps(Box{100, 0, 120, 20}, frame));  // touching is not overlapping
    CHECK(straddles(Box{90, 40, 110, 50}, frame));
    CHECK_FALSE(straddles(Box{10, 40, 30, 50}, frame));    // inside
    CHECK_FALSE(straddles(Box{110, 40, 130, 50}, frame));  // outside
  }

  TEST_CASE("labels side by side are kept an em apart, and stay where they are that far apart") {
    // Two vertical edges with labels to their right, as dot places them top down.
    auto scene_with_gap = [](double gap) {
      Scene scene;
      scene.page = {0, 0, 600, 300};
      const double width = 90, height = 26;
      double first = 200, second = first + width + gap;
      scene.labels = {
          {{first, 150}, width, height, straight({first - 50, 50}, {first - 50, 250})},
          {{second, 150}, width, height, straight({second - 50, 50}, {second - 50, 250})}};
      return scene;
    };
    for (double gap : {0.0, 5.0}) {
      CAPTURE(gap);
      Scene touching = scene_with_gap(gap);
      auto moved = make_room(touching);
      REQUIRE(moved.size() == 2);
      CHECK_FALSE(moved[0].has_value());
      REQUIRE(moved[1].has_value());
      // Now apart by an em (12 pt) at least, on either axis.
      Box a = box_of(touching.labels[0], touching.labels[0].centre);
      Box b = box_of(touching.labels[1], *moved[1]);
      double apart =
          std::fmax(std::fmax(b.x0 - a.x1, a.x0 - b.x1), std::fmax(b.y0 - a.y1, a.y0 - b.y1));
      CHECK(apart >= 12 - 0.5 - 1e-9);
    }
    auto moved = make_room(scene_with_gap(13));
    CHECK_FALSE(moved[0].has_value());
    CHECK_FALSE(moved[1].has_value());
  }

  TEST_CASE("a label that is clear stays where Graphviz put it") {
    Scene scene;
    scene.page = {0, 0, 400, 200};
    scene.frames = {{0, 0, 150, 200}};
    scene.labels = {{{250, 110}, 40, 12, straight({200, 100}, {300, 100})}};
    auto moved = make_room(scene);
    REQUIRE(moved.size() == 1);
    CHECK_FALSE(moved[0].has_value());
  }

  TEST_CASE("a label on a box's border moves along its edge, off the border") {
    Scene scene;
    scene.page = {0, 0, 400, 200};
    scene.frames = {{0, 0, 150, 200}};
    // The edge runs from inside the box to outside; its label sits on the right border.
    EdgeLabel label{{150, 110}, 40, 12, straight({50, 100}, {350, 100})};
    scene.labels = {label};
    auto moved = make_room(scene);
    REQUIRE(moved[0].has_value());
    Box now = box_of(label, *moved[0]);
    CHECK_FALSE(straddles(now, scene.frames[0]));
    CHECK(distance_to_segment(*moved[0], {50, 100}, {350, 100}) <= 6 + 2 + 12);
    // Beside its edge, not on it: the edge's line does not cross the label.
    CHECK((now.y0 >= 100 || now.y1 <= 100));
  }

  TEST_CASE("a label of an edge leaving a box moves out of the box, not into it") {
    Scene scene;
    scene.page = {0, 0, 400, 400};
    scene.frames = {{0, 0, 300, 200}};
    // The edge leaves the box's bottom border at x = 150 and runs down to y = 390; its label
    // sits on the border, a little more inside than out: the nearest clear place is inside.
    EdgeLabel label{{150, 198}, 60, 24, straight({150, 190}, {150, 390})};
    scene.labels = {label};
    CHECK_FALSE(netpol::exporters::runs_inside(label.path, scene.frames[0]));
    auto moved = make_room(scene);
    REQUIRE(moved[0].has_value());
    Box now = box_of(label, *moved[0]);
    CHECK_FALSE(overlaps(now, scene.frames[0]));
    CHECK(now.y0 >= 200);
    // An edge inside the box keeps its label inside it.
    EdgeLabel within{{150, 198}, 60, 24, straight({150, 20}, {150, 199})};
    CHECK(netpol::exporters::runs_inside(within.path, scene.frames[0]));
    scene.labels = {within};
    moved = make_room(scene);
    REQUIRE(moved[0].has_value());
    now = box_of(within, *moved[0]);
    CHECK(now.y1 <= 200);
    CHECK(overlaps(now, scene.frames[0]));
  }

  TEST_CASE("a label with no room on its edge's side of a box moves to the other side") {
    Scene scene;
    scene.page = {0, 0, 400, 400};
    scene.frames = {{0, 0, 300, 200}};
    // A short edge leaves the box at its bottom right corner for a node just below the
    // border: mostly outside the box, but the node leaves no room out there for the label.
    EdgeLabel label{{280, 200}, 40, 12, straight({270, 190}, {290, 230})};
    scene.obstacles = {{200, 204, 400, 300}};
    scene.labels = {label};
    CHECK_FALSE(netpol::exporters::runs_inside(label.path, scene.frames[0]));
    auto moved = make_room(scene);
    REQUIRE(moved[0].has_value());
    Box now = box_of(label, *moved[0]);
    CHECK_FALSE(straddles(now, scene.frames[0]));
    CHECK_FALSE(overlaps(now, scene.obstacles[0]));
    CHECK(now.y1 <= 200);  // inside the box, beside the edge
    CHECK(distance_to_segment(*moved[0], {270, 190}, {290, 230}) <= 6 + 20 + 12 + 2);
  }

  TEST_CASE("a label on another label moves, the first drawn keeps its place") {
    Scene scene;
    scene.page = {0, 0, 400, 200};
    EdgeLabel first{{200, 108}, 50, 12, straight({100, 100}, {300, 100})};
    EdgeLabel second{{200, 112}, 50, 12, straight({100, 104}, {300, 104})};
    scene.labels = {first, second};
    auto moved = make_room(scene);
    CHECK_FALSE(moved[0].has_value());
    REQUIRE(moved[1].has_value());
    CHECK_FALSE(overlaps(box_of(second, *moved[1]), box_of(first, first.centre)));
  }

  TEST_CASE("a label another edge's line runs through moves beside its edge, off every line") {
    Scene scene;
    scene.page = {0, 0, 400, 200};
    // A horizontal edge labelled above its middle; a vertical edge routed through the label.
    EdgeLabel label{{200, 108}, 60, 12, straight({50, 100}, {350, 100})};
    scene.labels = {label};
    scene.lines = {{label.path}, {straight({205, 0}, {205, 200})}};
    auto moved = make_room(scene);
    REQUIRE(moved[0].has_value());
    Box now = box_of(label, *moved[0]);
    // Off the vertical line and its own, with room (kLineClear, 3 pt) between: moved beside
    // its edge 2 pt off, then nudged.
    CHECK((now.x1 <= 205 - 3 || now.x0 >= 205 + 3));
    CHECK((now.y0 >= 100 + 3 || now.y1 <= 100 - 3));
    CHECK(distance_to_segment(*moved[0], {50, 100}, {350, 100}) <= 30 + 2 + 12 + 1);
    // Without the line it stays where it is.
    scene.lines = {{label.path}};
    CHECK_FALSE(make_room(scene)[0].has_value());
  }

  TEST_CASE(
      "a line along a label's side grazes it, one further in (by its stroke's width) runs through "
      "it") {
    Scene scene;
    scene.page = {0, 0, 400, 200};
    EdgeLabel label{{200, 108}, 60, 12, straight({50, 100}, {350, 100})};
    scene.labels = {label};
    scene.lines = {{label.path}, {straight({170.5, 0}, {170.5, 200})}};  // 0.5 pt inside
    CHECK_FALSE(make_room(scene)[0].has_value());
    scene.lines = {{label.path}, {straight({172, 0}, {172, 200})}};  // 2 pt inside
    CHECK(make_room(scene)[0].has_value());
    // A bold line's stroke reaches further: 0.75 pt inside grazes a 1 pt line, not a 2 pt one.
    scene.lines = {{label.path}, {straight({170.75, 0}, {170.75, 200}), 1}};
    CHECK_FALSE(make_room(scene)[0].has_value());
    scene.lines = {{label.path}, {straight({170.75, 0}, {170.75, 200}), 2}};
    CHECK(make_room(scene)[0].has_value());
  }

  TEST_CASE("a label its own line runs inside of is nudged a few points off it") {
    // Graphviz's place, the line half a point inside the label's box (a graze, no crossing): the
    // text would touch the stroke.
    EdgeLabel label{{200, 106}, 60, 12, straight({50, 100.5}, {350, 100.5})};
    auto moved = make_room(page_with({label}));
    REQUIRE(moved[0].has_value());
    CHECK(moved[0]->x == doctest::Approx(200));
    CHECK(moved[0]->y > 106);
    CHECK(moved[0]->y - 106 <= 6);  // kNudgeMost
    CHECK(box_of(label, *moved[0]).y0 >= 100.5 + 3);
    // Along the box's side (Graphviz's usual place) it stays.
    label = {{200, 106}, 60, 12, straight({50, 100}, {350, 100})};
    CHECK_FALSE(make_room(page_with({label}))[0].has_value());
  }

  TEST_CASE("a wide label with its own line along its side is nudged: its text is drawn wider") {
    // A vertical line along the left side of a 220 pt label: drawn 2% wider than measured,
    // its text passes each side by 2.2 pt, past a glyph's side bearing, and touches the line.
    EdgeLabel wide{{210, 100}, 220, 14, straight({100, 20}, {100, 180})};
    auto moved = make_room(page_with({wide}));
    REQUIRE(moved[0].has_value());
    CHECK(moved[0]->y == doctest::Approx(100));
    CHECK(moved[0]->x > 210);
    CHECK(box_of(wide, *moved[0]).x0 - 100 >= 3);  // kLineClear off the line
    // A 90 pt label passes its sides by 0.9 pt, within the bearing: it stays, as dot put it.
    EdgeLabel narrow{{145, 100}, 90, 14, straight({100, 20}, {100, 180})};
    CHECK_FALSE(make_room(page_with({narrow}))[0].has_value());
  }

  TEST_CASE("a label with no room a few points off the lines it touches stays") {
    EdgeLabel label{{200, 106}, 60, 12, straight({50, 100.5}, {350, 100.5})};
    // Another line just under the label: 3 pt off both needs 18.5 pt, the label is 12 tall.
    CHECK_FALSE(make_room(page_with({label}, {{straight({50, 114}, {350, 114})}}))[0].has_value());
  }

  TEST_CASE("a nudge keeps a label 8 pt from the next, which stays") {
    // Two labels in a column 12 pt apart (kLabelApart); the upper one's line half a point
    // inside it: the nudge down takes 4 of the 12.
    EdgeLabel upper{{200, 106}, 60, 12, straight({50, 100.5}, {350, 100.5})};
    EdgeLabel lower{{200, 130}, 60, 12, straight({50, 150}, {350, 150})};
    auto moved = make_room(page_with({upper, lower}));
    REQUIRE(moved[0].has_value());
    CHECK_FALSE(moved[1].has_value());
    CHECK(box_of(lower, lower.centre).y0 - box_of(upper, *moved[0]).y1 >= 8);
    // With the lower one 2 pt nearer, no nudge is clear of it: the upper stays.
    lower = {{200, 128.5}, 60, 12, straight({50, 148.5}, {350, 148.5})};
    CHECK_FALSE(make_room(page_with({upper, lower}))[0].has_value());
  }

  TEST_CASE("a label clear but for a line stays when every place beside its edge has one too") {
    Scene scene;
    scene.page = {0, 0, 400, 200};
    EdgeLabel label{{200, 108}, 60, 12, straight({50, 100}, {350, 100})};
    scene.labels = {label};
    // Vertical lines every 8 pt over the whole page: no place for a label 60 pt wide.
    scene.lines = {{label.path}};
    for (double x = 4; x < 400; x += 8) scene.lines.push_back({straight({x, 0}, {x, 200})});
    CHECK_FALSE(make_room(scene)[0].has_value());
  }

  TEST_CASE("a label with no clear place on its edge stays") {
    Scene scene;
    scene.page = {0, 0, 100, 100};
    scene.obstacles = {{0, 0, 100, 100}};  // a node covers the whole page
    scene.labels = {{{50, 50}, 20, 10, straight({10, 50}, {90, 50})}};
    CHECK_FALSE(make_room(scene)[0].has_value());
  }

  TEST_CASE("random scenes: a moved label is clear, inside the page and beside its own edge") {
    std::mt19937 rng(20261206);
    std::uniform_real_distribution<double> coord(0, 600), size(10, 80);
    int moved_count = 0;
    for (int round = 0; round < 300; ++round) {
      Scene scene;
      scene.page = {0, 0, 600, 600};
      for (int f = 0; f < 3; ++f) {
        double x = coord(rng), y = coord(rng);
        scene.frames.push_back({x, y, x + size(rng) * 3, y + size(rng) * 3});
      }
      for (int o = 0; o < 6; ++o)
        scene.obstacles.push_back(Box::around({coord(rng), coord(rng)}, size(rng), 20));
      std::vector<std::pair<Point, Point>> ends;
      for (int l = 0; l < 12; ++l) {
        Point a{coord(rng), coord(rng)}, b{coord(rng), coord(rng)};
        ends.push_back({a, b});
        Point mid{(a.x + b.x) / 2, (a.y + b.y) / 2};
        scene.labels.push_back({mid, size(rng), 12, straight(a, b)});
      }
      auto moved = make_room(scene);
      REQUIRE(moved.size() == scene.labels.size());
      std::vector<Box> final_boxes;
      for (std::size_t i = 0; i < moved.size(); ++i) {
        const EdgeLabel& label = scene.labels[i];
        Box now = box_of(label, moved[i] ? *moved[i] : label.centre);
        if (moved[i]) {
          ++moved_count;
          CHECK(now.x0 >= scene.page.x0);
          CHECK(now.x1 <= scene.page.x1);
          CHECK(now.y0 >= scene.page.y0);
          CHECK(now.y1 <= scene.page.y1);
          // Off every frame's border (on its edge's side of the frame unless that side had no
          // room: the case above).
          for (const Box& f : scene.frames) CHECK_FALSE(straddles(now, f));
          for (const Box& o : scene.obstacles) CHECK_FALSE(overlaps(now, o));
          for (const Box& earlier : final_boxes) CHECK_FALSE(overlaps(now, earlier));
          // On its own edge: its centre within a label's reach of the edge, beside it or off
          // a corner (2 pt apart, 12 more at most), then nudged off a line (6 pt at most).
          double reach =
              std::fmax(std::hypot(label.width, label.height) / 2 + 2 + 12 + 1,
                        std::hypot(label.width / 2 + 2 + 12, label.height / 2 + 2 + 12) + 1e-9) +
              6;
          CHECK(distance_to_segment(*moved[i], ends[i].first, ends[i].second) <= reach);
        } else {
          // Left alone: either clear, or with no clear place anywhere on its edge.
          bool clear = true;
          for (const Box& f : scene.frames) clear = clear && !straddles(now, f);
          for (const Box& o : scene.obstacles) clear = clear && !overlaps(now, o);
          for (const Box& earlier : final_boxes) clear = clear && !overlaps(now, earlier);
          if (!clear) {
            // Every place the search tries beside the middle of the edge is blocked too:
            // the middle itself, shifted by a label height, would have been found.
            Point up{label.centre.x, label.centre.y + label.height / 2 + 2};
            Box there = box_of(label, up);
            bool free = there.x0 >= scene.page.x0 && there.x1 <= scene.page.x1 &&
                        there.y0 >= scene.page.y0 && there.y1 <= scene.page.y1;
            for (const Box& f : scene.frames)
              free =
                  free && !straddles(there, f) && overlaps(there, f) == runs_inside(label.path, f);
            for (const Box& o : scene.obstacles) free = free && !overlaps(there, o);
            for (const Box& earlier : final_boxes) free = free && !overlaps(there, earlier);
            CHECK_FALSE(free);
          }
        }
        final_boxes.push_back(now);
      }
    }
    CHECK(moved_count > 100);  // the scenes do exercise moves
  }
}
