#!/usr/bin/env bash
# The folders are the layers (docs/ARCHITECTURE.md), bottom to top:
#   src/ (core)  graph/sets/  graph/rules/  graph/read/  graph/model/  graph/analysis/
#   exporters/  cli/
# A file may include its own layer's headers and those of the layers below, never one above:
# this fails on every #include "..." that climbs, naming the file, line and both layers. It
# also fails on a source file that is in no layer, and on an include of a file that does
# not exist (a path the move left behind). tools/, tests/, fuzz/ and bench/ stand outside
# the layers and may include any of them.
# Usage: layers_test.sh [SOURCE-DIR]
cd "${1:-$(dirname "$0")/..}" || exit 2
/usr/bin/python3 - <<'EOF'
import os, re, sys

layers = ["src", "graph/sets", "graph/rules", "graph/read", "graph/model", "graph/analysis",
          "exporters", "cli"]
include_dirs = [".", "src"]  # the include path, as CMakeLists.txt sets it


def layer_of(path):
    # The deepest layer folder holding the path (src/values/ is core, in src/).
    best = None
    for i, layer in enumerate(layers):
        if path == layer or path.startswith(layer + "/"):
            if best is None or len(layer) > len(layers[best]):
                best = i
    return best


problems, checked = [], 0
for top in ("src", "graph", "exporters", "cli"):
    for root, _, names in os.walk(top):
        for name in sorted(names):
            if not name.endswith((".cpp", ".hpp")):
                continue
            path = os.path.join(root, name)
            mine = layer_of(path)
            if mine is None or root == "graph":
                problems.append(f"{path}: in no layer ({', '.join(l + '/' for l in layers)})")
                continue
            for number, line in enumerate(open(path, encoding="utf-8"), 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m:
                    continue
                checked += 1
                target = next((os.path.normpath(os.path.join(d, m.group(1)))
                               for d in [root] + include_dirs
                               if os.path.isfile(os.path.join(d, m.group(1)))), None)
                if target is None:
                    problems.append(f"{path}:{number}: includes {m.group(1)}, which does not exist")
                    continue
                theirs = layer_of(target)
                if theirs is not None and theirs > mine:
                    problems.append(f"{path}:{number}: includes {m.group(1)}: {layers[mine]}/ "
                                    f"is below {layers[theirs]}/ and may not include it")

for p in problems:
    print("FAIL: " + p)
print(f"layers: {checked} includes checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
EOF
