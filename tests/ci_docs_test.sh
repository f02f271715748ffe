#!/usr/bin/env bash
# docs/ci.md: every command of its GitHub Actions, GitLab CI and pre-commit snippets runs as
# written, with netpol-graph on PATH and the CI's variables set, in a scratch repository
# whose main branch holds deploy/values.yaml: all pass on a change that narrows access, and
# the gates fail on one that widens it.
# Usage: ci_docs_test.sh NETPOL-GRAPH
source "$(dirname "$0")/lib.sh" "$1"
mkdir -p "$tmp/bin" "$tmp/runner"
ln -s "$bin" "$tmp/bin/netpol-graph"
export PATH="$tmp/bin:$PATH"

# The snippets' commands, by the shape each CI gives them.
extract() {  # extract github|gitlab|hook
  /usr/bin/python3 - "$1" docs/ci.md <<'PY'
import re, sys
kind, text = sys.argv[1], open(sys.argv[2]).read()
blocks = re.findall(r"```(\w+)\n(.*?)```", text, re.S)
if kind == "github":
    body = next(b for lang, b in blocks if "GITHUB" in b)
    cmds = re.findall(r"^\s+- run: (.*)$", body, re.M)
elif kind == "gitlab":
    body = next(b for lang, b in blocks if "CI_MERGE_REQUEST" in b)
    script = body.split("script:")[1].split("artifacts:")[0]
    cmds = re.findall(r"^\s+- (.*)$", script, re.M)
else:
    cmds = [next(b for lang, b in blocks if lang == "sh" and "pre-commit" in b)]
assert cmds, kind
print("\0".join(cmds), end="")
PY
}

# A repository: main has the values; CHANGE (a command) edits them, staged.
repo() {  # repo DIR CHANGE
  local dir=$1
  rm -rf "$dir" && mkdir -p "$dir/deploy" && cd "$dir" || return 1
  git init -q -b main . && git config user.email ci@example.invalid && git config user.name ci
  cp "$root/samples/production-egress.yaml" deploy/values.yaml
  printf '%s\n' "query:" "  networkPolicy:" "    allowExternalEgress: false" \
    "ingest:" "  networkPolicy:" "    allowExternalEgress: false" \
    "ui:" "  networkPolicy:" "    allowExternalEgress: false" \
    "meta:" "  networkPolicy:" "    allowExternalEgress: false" >> deploy/values.yaml
  netpol-graph check -f deploy/values.yaml --format json -o netpol-baseline.json
  git add -A && git commit -qm base
  git remote add origin "$dir"
  git fetch -q origin
  bash -c "$2"
  git add -A
  cd "$root" || return 1
}

run_all() {  # run_all KIND DIR: every command of the snippet, stopping at the first failure
  local cmd
  while IFS= read -r -d '' cmd; do
    (cd "$2" && GITHUB_BASE_REF=main RUNNER_TEMP="$tmp/runner" GITHUB_STEP_SUMMARY="$tmp/summary.md" \
       CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main bash -ec "$cmd") > "$tmp/out" 2>&1 ||
      { echo "  (failed: ${cmd:0:120})"; return 1; }
  done < <(extract "$1"; printf '\0')
}

# Narrowing: the PostgreSQL subnet shrinks to half. Every gate passes.
narrow="sed -i 's|10.1.0.0/24|10.1.0.0/25|' deploy/values.yaml"
# Widening: nursery opens to any source.
widen="printf 'nursery:\n  networkPolicy:\n    allowExternal: true\n' >> deploy/values.yaml"
for kind in github gitlab hook; do
  repo "$tmp/narrow-$kind" "$narrow"
  repo "$tmp/widen-$kind" "$widen"
done
check "GitHub Actions: every step passes on a narrowing change" run_all github "$tmp/narrow-github"
check "GitHub Actions: the diff wrote the job summary" grep -q "10.1.0.0/25" "$tmp/summary.md"
check "GitHub Actions: the SARIF file is written" test -s "$tmp/narrow-github/netpol.sarif"
fails() { ! "$@" > /dev/null; }
check "GitHub Actions: a widening change fails a step" fails run_all github "$tmp/widen-github"
check "GitLab CI: every command passes on a narrowing change" run_all gitlab "$tmp/narrow-gitlab"
check "GitLab CI: the artifacts are written" test -s "$tmp/narrow-gitlab/gl-netpol.sarif" -a -s "$tmp/narrow-gitlab/netpol-diff.md"
check "GitLab CI: a widening change fails" fails run_all gitlab "$tmp/widen-gitlab"
extract hook > "$tmp/pre-commit"
chmod +x "$tmp/pre-commit"
check "pre-commit: a narrowing change commits" bash -c "cd '$tmp/narrow-hook' && '$tmp/pre-commit' > /dev/null 2>&1"
check "pre-commit: a widening change is refused" bash -c "cd '$tmp/widen-hook' && ! '$tmp/pre-commit' > /dev/null 2>&1"
echo "ci docs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
