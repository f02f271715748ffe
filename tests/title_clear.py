#!/usr/bin/env python3
"""Checks that no edge of a Graphviz SVG crosses the namespace box's title.

For each SVG: the title is the text of the netpol-graph:namespace-title node, its box
estimated from its position, font size and length; each edge's path (M and C commands, as Graphviz
writes them) is sampled along its cubic Bezier curves. Prints each crossing; exit 1 if any.
    title_clear.py FILE.svg...
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
    for name in sys.argv[1:]:
        root = ET.parse(name).getroot()
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
