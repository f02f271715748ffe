#pragma once
// Room for edge labels on a finished layout. Graphviz's dot places an edge's label beside
// the edge's middle, but in a left-to-right layout it does not count the label when it keeps
// a namespace box clear of outside nodes, nor when it draws two flat edges between the same
// ranks; top down, an edge leaving a box may have its label on the border, and the labels of
// neighbouring edges stand side by side with no space between, and an edge routed late may run
// through another's label: a label can come out on a box's border, on another label or touching
// it (labels are kept an em apart), or under an edge's line. This moves such a label along its
// own edge to the nearest place where it is clear, and nudges a label whose text touches a
// line a few points off it; everything else of the layout stays as Graphviz made it. Pure geometry,
// in Graphviz's points; graphviz_runtime.cpp reads the layout into it and writes the moved labels
// back before rendering.

#include <optional>
#include <vector>

namespace netpol::exporters {

struct Point {
  double x = 0, y = 0;
};

// An axis-aligned box: x0 <= x1, y0 <= y1.
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  static Box around(Point centre, double width, double height) {
    return {centre.x - width / 2, centre.y - height / 2, centre.x + width / 2,
            centre.y + height / 2};
  }
  Point centre() const { return {(x0 + x1) / 2, (y0 + y1) / 2}; }
};

// Whether two boxes share more than their edges.
bool overlaps(const Box& a, const Box& b);
// Whether `label` lies partly inside `frame` and partly outside it (on its border).
bool straddles(const Box& label, const Box& frame);

struct EdgeLabel {
  Point centre;                  // where Graphviz put it
  double width = 0, height = 0;  // its size
  std::vector<Point> path;       // the edge's cubic Bezier control points, as Graphviz
                                 // writes them (p0, then three points a piece), one or more
                                 // pieces back to back
};

// A drawn edge: its path (as EdgeLabel::path) and the width of its stroke.
struct Line {
  std::vector<Point> path;
  double width = 1;
};

struct Scene {
  Box page;                       // the drawing; a label stays inside it
  std::vector<Box> frames;        // the boxes (clusters): a label is inside or outside each
  std::vector<Box> obstacles;     // nodes and the picture's title: a label touches none
  std::vector<EdgeLabel> labels;  // in the order they are drawn
  std::vector<Line> lines;        // every drawn edge: a label's text lies under none
                                  // (its own edge's included)
};

// Whether an edge (its path, as EdgeLabel::path) runs mostly inside `frame`: more than half
// of the points along it. A label that moves stays on that side of the frame: inside it, or
// clear of it (an edge leaving a box is labelled outside the box).
bool runs_inside(const std::vector<Point>& path, const Box& frame);

// The new centre of each label that had to move (nullopt for a label left where it was, and
// for one with no clear place on its edge, which stays too). A label is clear when it lies on
// no frame's border, on no obstacle and on no label before it that stays or has moved; a
// moved one also on its edge's side of every frame (runs_inside), or, when that side has no
// clear place beside the edge, on the other side. A place clear of every line comes first
// (on the other side of a box before one under a line); a label under a line that is
// otherwise clear moves only to such a place, or stays. Last, a label a line runs inside of
// (Graphviz's place: its own edge a point into the text; for a label over 100 pt wide, whose
// text is drawn past its box's sides by more than a point, along its side too), or a moved one a
// line passes within 3 pt of, is nudged up to 6 pt away where that is clear of lines by 3 pt, of
// the layout and by 8 pt of other labels: its text no longer touches the stroke.
std::vector<std::optional<Point>> make_room(const Scene& scene);

}  // namespace netpol::exporters
