#!/usr/bin/env bash
# Classes (docs/model.md, "Classes"): the same inputs with every service pair as an edge
# (--max-pairs large) and with alike services held as class nodes (--max-pairs 0) answer
# every reach question, check and the documented table alike: a cluster dump with policies
# whose NotIn and DoesNotExist selectors match many workloads (bench/gen_manifests.py), a
# policy-free dump, services open to any source, and policies switched off.
# Usage: classes_test.sh NETPOL-GRAPH
source "$(dirname "$0")/lib.sh" "$1"
python3 bench/gen_manifests.py 330 --namespaces 3 --policies 9 > "$tmp/dump.yaml"
python3 bench/gen_manifests.py 30 --namespaces 2 > "$tmp/open-dump.yaml"
python3 bench/gen_values.py 12 --shape open > "$tmp/open.yaml"
# The dump with admin network policies: Deny, Pass and Allow by priority, and a baseline.
{ cat "$tmp/dump.yaml"; cat <<'EOF'
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ns-01-guard}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: ns-01}}}
  ingress:
  - {name: pass-ns-00, action: Pass, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: ns-00}}}]}
  - {name: deny-ns-02-8001, action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: ns-02}}}], ports: [{portNumber: {port: 8001}}]}
  - {name: allow-ns-02, action: Allow, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: ns-02}}}]}
  egress:
  - {name: deny-dns-servers, action: Deny, to: [{networks: [8.8.8.8/32]}], ports: [{portNumber: {protocol: UDP, port: 53}}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - {name: deny-cluster, action: Deny, from: [{namespaces: {}}]}
EOF
} > "$tmp/admin-dump.yaml"
python3 bench/gen_values.py 12 --shape disabled > "$tmp/disabled.yaml"

# Same output either way; and the classes really were used.
same() {  # same INPUT-ARGS -- COMMAND...
  local input=$1
  shift
  # shellcheck disable=SC2086
  "$bin" "$@" $input --max-pairs 100000000 > "$tmp/pairs.out" 2>&1
  # shellcheck disable=SC2086
  "$bin" "$@" $input --max-pairs 0 > "$tmp/classes.out" 2>&1
  cmp -s "$tmp/pairs.out" "$tmp/classes.out" || { diff "$tmp/pairs.out" "$tmp/classes.out" | head -5; return 1; }
}
# The same nodes at the same hops (of several shortest paths, the two may pick another).
# (The other end of each route: its `to` for reach --from, its `from` for reach --to.)
same_reached() {  # same_reached INPUT-ARGS COMMAND...
  local input=$1 end=to
  shift
  [[ " $* " == *" --to "* ]] && end=from
  reached() {
    # shellcheck disable=SC2086
    "$bin" "$@" $input | python3 -c 'import json, sys
print(sorted((r[sys.argv[1]], r["hops"]) for r in json.load(sys.stdin)["routes"]))' "$end"
  }
  [ "$(reached "$@" --max-pairs 100000000)" = "$(reached "$@" --max-pairs 0)" ]
}
uses_classes() {
  # shellcheck disable=SC2086
  "$bin" graph --format json $1 --max-pairs 0 | grep -q '"kind": "class-senders"'
}
for input in "--manifests $tmp/dump.yaml" "--manifests $tmp/admin-dump.yaml" \
             "--manifests $tmp/open-dump.yaml" \
             "-f $tmp/open.yaml --defaults /dev/null" "-f $tmp/disabled.yaml --defaults /dev/null"; do
  name=$(basename "${input##* }")
  [[ $input == *--defaults* ]] && name=$(basename "$(echo "$input" | cut -d' ' -f2)")
  check "$name uses classes" uses_classes "$input"
  check "$name reach (every start)" same "$input" reach
  check "$name reach --port TCP/8001" same "$input" reach --port TCP/8001
  check "$name reach --port UDP/53 --max-hops 1" same "$input" reach --port UDP/53 --max-hops 1
  check "$name reach --format json" same "$input" reach --format json
  check "$name check" same "$input" check --format json
done
# A service of each input, from and to, explained.
for pair in "--manifests $tmp/dump.yaml|ns-01/app-00001|ns-02/app-00002" \
            "--manifests $tmp/open-dump.yaml|ns-01/app-00001|app-00000" \
            "-f $tmp/open.yaml --defaults /dev/null|svc-00001|svc-00002" \
            "-f $tmp/disabled.yaml --defaults /dev/null|svc-00003|svc-00004"; do
  IFS='|' read -r input a b <<< "$pair"
  check "$a reach --from" same_reached "$input" reach --from "$a" --format json
  check "$b reach --to" same "$input" reach --to "$b" --port TCP/8001 --explain
  check "$a -> $b explained" same "$input" reach --from "$a" --to "$b" --port TCP/9 --explain
  check "any-source -> $b" same "$input" reach --from any-source --to "$b" --explain --format json
done
# The admin dump: the same services reached at the same hops, and the blocked hops
# explained alike (of several shortest paths into a service, the two may pick another).
# What blocks the direct hop, said alike.
same_blocked() {  # same_blocked INPUT-ARGS COMMAND...
  local input=$1
  shift
  # shellcheck disable=SC2086
  blocked() { "$bin" "$@" $input 2>&1 | sed -n '/^Not allowed/,$p'; }
  local pairs classes
  pairs=$(blocked "$@" --max-pairs 100000000)
  classes=$(blocked "$@" --max-pairs 0)
  [ -n "$pairs" ] && [ "$pairs" = "$classes" ]
}
admin="--manifests $tmp/admin-dump.yaml"
check "admin: ns-02/app-00002 reach --from" same_reached "$admin" reach --from ns-02/app-00002 --format json
check "admin: ns-01/app-00001 reach --to" same_reached "$admin" reach --to ns-01/app-00001 --port TCP/8001 --format json
for pair in "ns-02/app-00002 ns-01/app-00001" "app-00000 ns-01/app-00001"; do
  read -r a b <<< "$pair"
  check "admin: $a -> $b on TCP/8001 explained" same_blocked "$admin" reach --from "$a" --to "$b" --port TCP/8001 --explain
done
echo "classes: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
