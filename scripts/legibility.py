#!/usr/bin/env python3
"""How large a picture's smallest text shows on a page that fits it to a column: for each
SVG, its size at 1:1 and the smallest font size scaled to a column of 880 px (a rendered
Markdown file) and of 1,000 px (the review page's diagram). A page never enlarges a picture
past 1:1. Prints a Markdown table (docs/diagrams.md, "Legibility"); with --at-least PT,
exits 1 when a picture's text shows smaller than PT points in the 880 px column.
    scripts/legibility.py [--at-least PT] FILE.svg...
"""
import os
import re
import sys

PX_PER_PT = 4 / 3  # CSS: 96 px to the inch, 72 pt


def measure(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', text)
    width, height = float(m.group(1)), float(m.group(2))
    smallest = min(float(s) for s in re.findall(r'font-size="([\d.]+)"', text))
    shown = lambda column: smallest * min(width * PX_PER_PT, column) / (width * PX_PER_PT)
    return width, height, smallest, shown(880), shown(1000)


def main(argv):
    floor = None
    if argv[:1] == ["--at-least"]:
        floor, argv = float(argv[1]), argv[2:]
    print("| picture | size at 1:1 (pt) | text at 1:1 | at 880 px | at 1,000 px |")
    print("|---|---|---|---|---|")
    small = []
    for path in argv:
        width, height, smallest, narrow, wide = measure(path)
        name = os.path.basename(path)
        print(f"| {name} | {width:.0f} x {height:.0f} | {smallest:.0f} pt | {narrow:.1f} pt "
              f"| {wide:.1f} pt |")
        if floor is not None and narrow < floor:
            small.append(f"{name}: text shows at {narrow:.1f} pt in an 880 px column, "
                         f"under {floor:g} pt")
    for line in small:
        print(line, file=sys.stderr)
    return 1 if small else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
