#include "exporters/label_room.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace netpol::exporters {
namespace {

// Space kept between a moved label and its edge and between a label and a box's border (a
// label a point off the border reads as on it), and the slack under which two boxes that
// touch are not said to overlap (Graphviz's own boxes touch by design).
constexpr double kGap = 2.0;
constexpr double kSlack = 0.5;
// Space kept between two labels: top down, dot packs the labels of neighbouring edges side by
// side with none, and two that touch read as one ("every service: every service:").
constexpr double kLabelApart = 12.0;
constexpr int kSamplesPerPiece = 16;
// Points along a line that may pass under a label are at most this far apart (a label is
// about 14 pt tall), and a line's stroke may graze a label's box this far in: Graphviz places
// a label with its edge along the box's side, and the box is the text's, its line spacing
// included (a 1 pt line's middle may run 1 pt inside, a bold 2 pt one's half a point).
constexpr double kLineSpacing = 3.0;
constexpr double kStrokeGraze = 1.5;
// A label its text touching a line is nudged off by a few points when that is clear: one
// where Graphviz put it that a line runs inside of, grazing it (production.svg's "TCP 9500"),
// and one moved beside its edge (kGap off it) with a line within kLineClear. The place it
// takes has every line's middle at least kLineClear from its box; places are tried kNudgeStep
// apart, up to kNudgeMost away.
constexpr double kLineClear = 3.0;
constexpr double kNudgeStep = 1.0;
constexpr double kNudgeMost = 6.0;
// A line this near a box's side is on it (Graphviz's usual place, in rounding), not inside:
// such a label stays, and a picture where nothing else needed moving is dot's own.
constexpr double kOnTheSide = 0.05;
// Text is drawn a little wider than Graphviz measured it for its box (pango's layout width
// against the glyphs' advances: "0.0.0.0/0; TCP 443" measured 109 pt, drawn 111.3), half of
// it past each side; past a glyph's side bearing (about a point) the text of a wide label
// along its own edge's side touches the line, and such a label is nudged as one a line runs
// inside of.
constexpr double kDrawnWider = 0.02;
constexpr double kSideBearing = 1.0;
// A nudged label may come this close to another (two labels in a row, each beside its line,
// stand kLabelApart apart; a nudge away from one line takes a little of that).
constexpr double kNudgeApart = 8.0;

Point bezier(const Point& p0, const Point& p1, const Point& p2, const Point& p3, double t) {
  double u = 1 - t;
  double a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
  return {a * p0.x + b * p1.x + c * p2.x + d * p3.x, a * p0.y + b * p1.y + c * p2.y + d * p3.y};
}

bool inside(const Box& inner, const Box& outer) {
  return inner.x0 >= outer.x0 && inner.x1 <= outer.x1 && inner.y0 >= outer.y0 &&
         inner.y1 <= outer.y1;
}

double distance(Point a, Point b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

Box grown(const Box& b, double by) {
  return {b.x0 - by, b.y0 - by, b.x1 + by, b.y1 + by};
}

// Points along the edge, its ends included.
std::vector<Point> samples(const std::vector<Point>& path) {
  std::vector<Point> out;
  for (std::size_t i = 0; i + 3 < path.size(); i += 3)
    for (int s = 0; s <= kSamplesPerPiece; ++s)
      out.push_back(bezier(path[i], path[i + 1], path[i + 2], path[i + 3],
                           static_cast<double>(s) / kSamplesPerPiece));
  return out;
}

// Whether `p` lies strictly inside `box`.
bool contains(const Box& box, Point p) {
  return p.x > box.x0 && p.x < box.x1 && p.y > box.y0 && p.y < box.y1;
}

// Whether more than half of the points `along` an edge lie inside `frame`.
bool mostly_inside(const std::vector<Point>& along, const Box& frame) {
  std::size_t in = 0;
  for (const Point& p : along) in += contains(frame, p);
  return 2 * in > along.size();
}

// One cubic piece of a drawn edge, the box around its control points (the curve lies inside
// it: a far piece is passed over at once), how many points to test along it, and how far
// inside a label's box its middle may run (kStrokeGraze less half its stroke).
struct Piece {
  Point p0, p1, p2, p3;
  Box hull;
  int points;
  double graze;
};

std::vector<Piece> pieces_of(const std::vector<Line>& lines) {
  std::vector<Piece> out;
  for (const Line& line : lines)
    for (std::size_t i = 0; i + 3 < line.path.size(); i += 3) {
      const Point &a = line.path[i], &b = line.path[i + 1], &c = line.path[i + 2],
                  &d = line.path[i + 3];
      Box hull{std::min({a.x, b.x, c.x, d.x}), std::min({a.y, b.y, c.y, d.y}),
               std::max({a.x, b.x, c.x, d.x}), std::max({a.y, b.y, c.y, d.y})};
      // The control polygon is at least as long as the curve.
      double polygon = distance(a, b) + distance(b, c) + distance(c, d);
      int points = std::max(kSamplesPerPiece, static_cast<int>(std::ceil(polygon / kLineSpacing)));
      out.push_back({a, b, c, d, hull, points, kStrokeGraze - line.width / 2});
    }
  return out;
}

// Whether any of the `pieces` runs through `label`, more than grazing it (Reach::Through);
// runs through it at all, grazing included (Reach::Inside); or comes within kLineClear of it
// (Reach::Near).
enum class Reach { Through, Inside, Near };
bool under_a_line(const Box& label, const std::vector<Piece>& pieces,
                  Reach reach = Reach::Through) {
  for (const Piece& piece : pieces) {
    const Box text = grown(label, reach == Reach::Near     ? kLineClear
                                  : reach == Reach::Inside ? -kOnTheSide
                                                           : -piece.graze);
    if (piece.hull.x1 < text.x0 || piece.hull.x0 > text.x1 || piece.hull.y1 < text.y0 ||
        piece.hull.y0 > text.y1)
      continue;
    for (int s = 0; s <= piece.points; ++s)
      if (contains(text, bezier(piece.p0, piece.p1, piece.p2, piece.p3,
                                static_cast<double>(s) / piece.points)))
        return true;
  }
  return false;
}

}  // namespace

bool overlaps(const Box& a, const Box& b) {
  return a.x0 < b.x1 - kSlack && b.x0 < a.x1 - kSlack && a.y0 < b.y1 - kSlack &&
         b.y0 < a.y1 - kSlack;
}

bool straddles(const Box& label, const Box& frame) {
  return overlaps(label, frame) && !inside(label, frame);
}

bool runs_inside(const std::vector<Point>& path, const Box& frame) {
  return mostly_inside(samples(path), frame);
}

std::vector<std::optional<Point>> make_room(const Scene& scene) {
  const std::size_t count = scene.labels.size();
  std::vector<Box> box(count);
  for (std::size_t i = 0; i < count; ++i)
    box[i] = Box::around(scene.labels[i].centre, scene.labels[i].width, scene.labels[i].height);

  auto clear_of_layout = [&](const Box& box) {
    for (const Box& f : scene.frames)
      if (straddles(grown(box, kGap), f)) return false;
    for (const Box& o : scene.obstacles)
      if (overlaps(box, o)) return false;
    return true;
  };
  // Labels that stay where they are or have moved: a later label keeps off them; and those
  // nudged off a line, which a later label keeps kNudgeApart off.
  std::vector<Box> placed, nudged;
  // Labels are kLabelApart apart (each box grown by half of it).
  auto crowds = [](const Box& a, const Box& b, double apart = kLabelApart) {
    return overlaps(grown(a, apart / 2), grown(b, apart / 2));
  };
  auto clear_of = [&](const Box& b, const std::vector<Box>& others, double apart = kLabelApart) {
    return std::none_of(others.begin(), others.end(),
                        [&](const Box& o) { return crowds(b, o, apart); });
  };
  auto clear_of_placed = [&](const Box& b, double apart = kLabelApart) {
    return clear_of(b, placed, apart) && clear_of(b, nudged, std::min(apart, kNudgeApart));
  };

  const std::vector<Piece> lines = pieces_of(scene.lines);
  // Whether label `l` at `to` crowds a later label, where Graphviz put it, that it did not
  // crowd `from`.
  auto crowds_later = [&](std::size_t l, const Box& from, const Box& to) {
    for (std::size_t j = l + 1; j < count; ++j)
      if (crowds(to, box[j], kNudgeApart) && !crowds(from, box[j], kNudgeApart)) return true;
    return false;
  };
  // Whether two places of a label lie on the same side of every frame.
  auto same_sides = [&](const Box& a, const Box& b) {
    return std::all_of(scene.frames.begin(), scene.frames.end(),
                       [&](const Box& f) { return overlaps(a, f) == overlaps(b, f); });
  };

  std::vector<std::optional<Point>> moved(count);
  // Where label `l` ends (`at`, or where Graphviz put it): nudged off a line it touches (one
  // inside it; a moved label's, one within kLineClear) to a place a few points away clear of
  // lines and of everything it must keep clear of, when there is one.
  auto settle = [&](std::size_t l, std::optional<Point> at) {
    const Point centre = at ? *at : scene.labels[l].centre;
    const Box here = Box::around(centre, scene.labels[l].width, scene.labels[l].height);
    const double overhang = scene.labels[l].width * kDrawnWider / 2;
    const Box drawn = overhang > kSideBearing
                          ? Box{here.x0 - overhang, here.y0, here.x1 + overhang, here.y1}
                          : here;
    if (!clear_of_layout(here) ||
        !under_a_line(at ? here : drawn, lines, at ? Reach::Near : Reach::Inside)) {
      placed.push_back(here);
      return;
    }
    for (double step = kNudgeStep; step <= kNudgeMost; step += kNudgeStep)
      for (Point d : {Point{-1, 0}, Point{1, 0}, Point{0, -1}, Point{0, 1}}) {
        const Point c{centre.x + d.x * step, centre.y + d.y * step};
        const Box b = Box::around(c, scene.labels[l].width, scene.labels[l].height);
        if (!inside(b, scene.page) || !clear_of_layout(b) || !clear_of_placed(b, kNudgeApart) ||
            under_a_line(b, lines, Reach::Near) || !same_sides(here, b) || crowds_later(l, here, b))
          continue;
        moved[l] = c;
        nudged.push_back(b);
        return;
      }
    placed.push_back(here);
  };
  for (std::size_t i = 0; i < count; ++i) {
    const EdgeLabel& label = scene.labels[i];
    const bool clear_here = clear_of_layout(box[i]) && clear_of_placed(box[i]);
    if (clear_here && !under_a_line(box[i], lines)) {
      settle(i, std::nullopt);
      continue;
    }
    // Places beside each point of the edge (above, below, either side, then off a corner; on
    // it), nearest to where Graphviz put the label first; on the edge itself only when
    // nothing beside it is clear.
    std::vector<Point> along = samples(label.path), beside, corners, on;
    double half_w = label.width / 2 + kGap, half_h = label.height / 2 + kGap;
    for (const Point& p : along) {
      for (double step : {0.0, 4.0, 8.0, 12.0}) {  // a sloping edge needs more room
        beside.push_back({p.x, p.y + half_h + step});
        beside.push_back({p.x, p.y - half_h - step});
        beside.push_back({p.x + half_w + step, p.y});
        beside.push_back({p.x - half_w - step, p.y});
      }
      for (double step : {0.0, 12.0})  // and off its corners, where a box leaves no room
        for (double sx : {-1.0, 1.0})
          for (double sy : {-1.0, 1.0})
            corners.push_back({p.x + sx * (half_w + step), p.y + sy * (half_h + step)});
      on.push_back(p);
    }
    auto nearest_first = [&](std::vector<Point>& points) {
      std::stable_sort(points.begin(), points.end(), [&](Point a, Point b) {
        return distance(a, label.centre) < distance(b, label.centre);
      });
    };
    nearest_first(beside);
    nearest_first(corners);
    beside.insert(beside.end(), corners.begin(), corners.end());  // straight beside first
    nearest_first(on);
    // A box the edge runs mostly inside keeps a moved label inside it; one it runs mostly
    // outside of keeps the label out.
    std::vector<bool> runs_in;
    for (const Box& frame : scene.frames) runs_in.push_back(mostly_inside(along, frame));
    auto on_the_edges_side = [&](const Box& b) {
      for (std::size_t f = 0; f < scene.frames.size(); ++f)
        if (runs_in[f] ? !inside(b, scene.frames[f]) : overlaps(b, scene.frames[f])) return false;
      return true;
    };
    auto off_the_edge = [&](const Box& box) {
      return std::none_of(along.begin(), along.end(), [&](Point p) { return contains(box, p); });
    };
    // Later labels are kept clear where Graphviz put them too, when possible.
    auto clear_of_later = [&](const Box& b) {
      for (std::size_t j = i + 1; j < count; ++j)
        if (crowds(b, box[j])) return false;
      return true;
    };
    // Passes, the first place clear in each taken: beside the edge, clear of later labels and
    // of every line; beside it, clear of every line; the same on the other side of a box (a
    // box too small to take the label beside the line that crosses it); beside the edge
    // though a line crosses; on it; and, when the edge's side of a box has no room (a short
    // edge leaving it, its end just outside), beside the edge on the other side, off the
    // border all the same. A label clear but for a line takes one of the first three or
    // stays: a place under another line is no better.
    struct Pass {
      bool on_the_edge, clear_of_later, off_lines, edges_side;
    };
    static constexpr Pass kPasses[] = {{false, true, true, true},   {false, false, true, true},
                                       {false, false, true, false}, {false, false, false, true},
                                       {true, false, false, true},  {false, false, false, false}};
    std::optional<Point> found;
    for (const Pass& pass : kPasses) {
      if (found || (clear_here && !pass.off_lines)) break;
      for (const Point& c : pass.on_the_edge ? on : beside) {
        Box b = Box::around(c, label.width, label.height);
        if (!inside(b, scene.page) || !clear_of_layout(b) || !clear_of_placed(b) ||
            (pass.edges_side && !on_the_edges_side(b)) ||
            (pass.clear_of_later && (!clear_of_later(b) || !off_the_edge(b))) ||
            (pass.off_lines && under_a_line(b, lines)))
          continue;
        found = c;
        break;
      }
    }
    if (found) moved[i] = found;
    settle(i, found);
  }
  return moved;
}

}  // namespace netpol::exporters
