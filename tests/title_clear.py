#!/usr/bin/env python3
"""Checks that the text of a Graphviz SVG stays clear: no edge crosses the namespace box's
title; with --labels also that no edge label lies on another and none lies on the border of
a namespace box, and with --lines that no edge's line runs through an edge label
(docs_test.sh runs them all on every docs picture, golden input and oracle cluster, --lines
on all but dense-open, a mesh with no clear place near some edges; Graphviz alone fails the
second and third on some, exporters/label_room.hpp moves them).

For each SVG: the title is the text of the netpol-graph:namespace-title node, its box
estimated from its position, font size and length; each edge's path (M and C commands, as Graphviz
writes them) is sampled along its cubic Bezier curves. Edge labels are boxes estimated from
their letters' widths; a box (cluster) is the rectangle its border path spans, and a label lies on it when
it is partly inside and partly out. A line runs through a label when a point of it lies more
than LINE_GRAZE inside the label's box: Graphviz draws a label with its edge along its side,
and the estimate of the box is a little wider than the text drawn. Prints each problem; exit 1
if any.
    title_clear.py [--labels] [--lines] FILE.svg...
"""
import re
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def title_box(root):
    # The title is a node of the namespace box (netpol-graph:namespace-title).
    for g in root.iter(SVG + "g"):
        t = g.find(SVG + "title")
        if g.get("class") == "node" and t is not None and t.text == "netpol-graph:namespace-title":
            text = g.find(".//" + SVG + "text")
            if text is None:
                return None
            x, y = float(text.get("x")), float(text.get("y"))
            size = float(text.get("font-size", "12"))
            half = len(text.text or "") * size * 0.3  # Helvetica: about 0.55 em a letter
            return (x - half, y - size, x + half, y + size * 0.3), text.text
    return None


# Advance widths in em of DejaVu Sans, the face fontconfig gives for "Helvetica" where
# Helvetica is not installed (the widest of the faces it may get: Nimbus Sans and Liberation
# Sans, Helvetica's metrics, are narrower). Any other letter counts 0.64 em.
_EM = {" ": .318, "!": .4, "\"": .46, "'": .275, "(": .39, ")": .39, "*": .5, "+": .838,
       ",": .318, "-": .361, ".": .318, "/": .337, ":": .337, ";": .337, "=": .838, "_": .5,
       "[": .39, "]": .39, "|": .337, "I": .295, "J": .295, "M": .863, "W": .989, "m": .974,
       "w": .818, "f": .352, "i": .278, "j": .278, "l": .278, "r": .411, "s": .521, "t": .392,
       "c": .55, "z": .525, "k": .579, "v": .592, "x": .592, "y": .592}
_EM.update({d: .636 for d in "0123456789"})


def text_width(text, size):
    return sum(_EM.get(c, .64) for c in text) * size


def text_box(t):
    """The box a text element covers (text_width); baseline at y."""
    x, y = float(t.get("x")), float(t.get("y"))
    size = float(t.get("font-size", "14"))
    w = text_width(t.text or "", size)
    anchor = t.get("text-anchor", "start")
    x0 = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
    return (x0, y - size * 0.75, x0 + w, y + size * 0.2)


def overlap(a, b, pad=0.5):
    return a[0] < b[2] - pad and b[0] < a[2] - pad and a[1] < b[3] - pad and b[1] < a[3] - pad


def cluster_rect(g):
    shape = g.find(SVG + "path")
    if shape is None:
        shape = g.find(SVG + "polygon")
    if shape is None:
        return None
    nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d") or shape.get("points"))]
    xs, ys = nums[0::2], nums[1::2]
    return (min(xs), min(ys), max(xs), max(ys))


LINE_GRAZE = 2.0


def label_problems(name, root, check_lines):
    labels, boxes, lines = [], [], []
    for g in root.iter(SVG + "g"):
        if g.get("class") == "edge":
            labels += [(t.text, text_box(t)) for t in g.findall(SVG + "text")]
            lines += [(g.find(SVG + "title").text, points(p.get("d", "")))
                      for p in g.iter(SVG + "path")]
        elif g.get("class") == "cluster":
            r = cluster_rect(g)
            if r:
                boxes.append((g.find(SVG + "title").text, r))
    out = []
    for i, (a, abox) in enumerate(labels):
        for b, bbox in labels[i + 1:]:
            if overlap(abox, bbox):
                out.append(f"{name}: edge label \"{a}\" lies on \"{b}\"")
        for box, r in boxes:
            inside = r[0] <= abox[0] and abox[2] <= r[2] and r[1] <= abox[1] and abox[3] <= r[3]
            if overlap(abox, r, 0) and not inside:
                out.append(f"{name}: edge label \"{a}\" lies on the border of {box}")
        x0, y0, x1, y1 = (v + d for v, d in zip(abox, (LINE_GRAZE, LINE_GRAZE, -LINE_GRAZE, -LINE_GRAZE)))
        for edge, along in lines if check_lines else []:
            if any(x0 < x < x1 and y0 < y < y1 for x, y in along):
                out.append(f"{name}: the line of {edge} runs through edge label \"{a}\"")
    return out


def points(d):
    nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    pts = list(zip(nums[0::2], nums[1::2]))
    if not pts:
        return []
    out = [pts[0]]
    for i in range(1, len(pts) - 2, 3):  # M p0 C p1 p2 p3 p4 p5 p6 ...
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(1, 21):
            t = k / 20
            a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0],
                        a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1]))
    return out


def main():
    bad = 0
    names = sys.argv[1:]
    labels, check_lines = "--labels" in names, "--lines" in names
    for name in (n for n in names if n not in ("--labels", "--lines")):
        root = ET.parse(name).getroot()
        for problem in label_problems(name, root, check_lines) if labels else []:
            bad += 1
            print(problem)
        found = title_box(root)
        if not found:
            continue
        (x0, y0, x1, y1), title = found
        for g in root.iter(SVG + "g"):
            if g.get("class") != "edge":
                continue
            for path in g.iter(SVG + "path"):
                if any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in points(path.get("d", ""))):
                    bad += 1
                    print(f"{name}: edge {g.find(SVG + 'title').text} crosses the title "
                          f"\"{title}\"")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
