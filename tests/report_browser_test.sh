#!/usr/bin/env bash
# The review bundle's index.html in Debian's Chromium: it loads with no console error and no
# network request, and clicking a node highlights its edges and lists their provenance
# (tests/node/browser-check.mjs, run with playwright-core); its first view at a laptop's and
# a phone's size, with and without JavaScript (tests/node/layout-check.mjs).
# Usage: report_browser_test.sh NETPOL-GRAPH WORK-DIR
source "$(dirname "$0")/lib.sh" "$1"
source "$(dirname "$0")/node_setup.sh" "$2"
work=$2

# The page in a real browser.
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "FAIL: the browser check needs Debian's chromium (scripts/setup.sh --tests installs it)"
  failed=$((failed + 1))
else
  "$bin" report -f samples/custom-rules-global.yaml -o "$tmp/browser" > /dev/null 2>&1
  check "index.html in Chromium: click ui, sel:ns(name=monitoring), meta" \
    node "$work/browser-check.mjs" "$tmp/browser/index.html" ui "sel:ns(name=monitoring)" meta
  # The production-like sample: edges every service shares are drawn once from the namespace;
  # clicking a node highlights exactly the drawn edges it lists.
  "$bin" report -f samples/production-egress.yaml -o "$tmp/production" > /dev/null 2>&1
  check "index.html of production-egress in Chromium: click janitor, ext:PostgreSQL, dns, any-source" \
    node "$work/browser-check.mjs" "$tmp/production/index.html" janitor ext:PostgreSQL dns any-source
  # The production sample: bundles meet at junctions; a junction's edges stand for its
  # sources and its destination, so clicking either end highlights what it lists.
  "$bin" report -f samples/production.yaml -o "$tmp/prod" > /dev/null 2>&1
  check "index.html of production in Chromium: click meta, query, ui, ext:S3" \
    node "$work/browser-check.mjs" "$tmp/prod/index.html" meta query ui ext:S3
  # Manifests of three namespaces: one edge into the data box stands for backend's edges to
  # both its workloads (past the box's own app=metrics pods), so clicking either lists it.
  "$bin" report --manifests samples/manifests/three-namespaces.yaml -o "$tmp/three" > /dev/null 2>&1
  check "index.html of three namespaces in Chromium: click data/redis, data/postgres, api, frontend/web" \
    node "$work/browser-check.mjs" "$tmp/three/index.html" data/redis data/postgres api frontend/web
  # Hostile names (tests/hostile_test.sh reads the other formats back): the page still loads
  # without an error, and their nodes are found by their exact names and clicked.
  "$bin" report -f tests/golden/inputs/awkward-names.yaml -o "$tmp/awkward" > /dev/null 2>&1
  check "index.html of hostile names in Chromium: click each" \
    node "$work/browser-check.mjs" "$tmp/awkward/index.html" 'ext:x<y>&z</script><!--' 'ext:a"b|c' \
    'ext:semi;colon#hash \ `tick` [l](javascript:x) *b* _i_ {{ x }} ${y} '"'q'"' é/漢'
  # The first view on a laptop and a phone, with JavaScript on and off (the screenshots are
  # left in WORK-DIR/screens/ to look at): an input beside the bundle is named relative to
  # it, one elsewhere by its file name.
  mkdir -p "$work/screens" "$tmp/beside"
  cp samples/production.yaml "$tmp/beside/values.yaml"
  (cd "$tmp/beside" && "$bin" report -f values.yaml -f "$root/samples/enabled.yaml" -o review > /dev/null 2>&1)
  check "index.html of production, first view at 1400x1000 and 390x844, with and without JavaScript" \
    node "$work/layout-check.mjs" "$tmp/beside/review/index.html" "$work/screens/production"
  # What the page shows (its scripts' data keep graph.json's names as given).
  check "index.html names the input beside it ../values.yaml, the other enabled.yaml" \
    /usr/bin/python3 - "$tmp/beside/review/index.html" "$root" <<'PY'
import re, sys
page = open(sys.argv[1]).read()
shown = re.sub(r"<script.*?</script>", "", page, flags=re.S)
assert "<code>../values.yaml</code>" in shown and "<code>enabled.yaml</code>" in shown, shown[:2000]
assert sys.argv[2] not in shown, "an absolute path is shown"
PY
  check "index.html of production beside its input: the panel names the keys' files as the header does" \
    env NOT_SHOWN="$root/samples" node "$work/browser-check.mjs" "$tmp/beside/review/index.html" dns
  check "index.html of hostile names, first view at both sizes" \
    node "$work/layout-check.mjs" "$tmp/awkward/index.html" "$work/screens/awkward"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
