#!/usr/bin/env bash
# `cmake --install` puts the binary, the man page and the bash, zsh and fish completions
# under the prefix; the installed binary runs; the man page (generated from the --help
# definitions) names every command with its exit codes and examples and renders without a
# warning; the bash and fish completions complete commands, options, formats, option values
# and node ids (zsh's in a pseudo-terminal, tests/zsh_complete.zsh).
# Usage: install_test.sh NETPOL-GRAPH BUILD-DIR
source "$(dirname "$0")/lib.sh" "$1"
build=$2
prefix="$tmp/prefix"
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log" 2>&1
check "cmake --install succeeds" test $? -eq 0
for f in bin/netpol-graph share/man/man1/netpol-graph.1 \
         share/bash-completion/completions/netpol-graph share/zsh/vendor-completions/_netpol-graph \
         share/fish/vendor_completions.d/netpol-graph.fish; do
  check "installs $f" test -s "$prefix/$f"
done
check "the installed binary runs" bash -c \
  "'$prefix/bin/netpol-graph' table --set global.networkPolicy.enabled=true | grep -q '^| meta |'"
man1="$prefix/share/man/man1/netpol-graph.1"
for cmd in $("$bin" --help | awk '/^Subcommands:/{on=1; next} on && !NF {exit} on {print $1}'); do
  check "the man page describes $cmd" grep -q "^\.SS $cmd\$" "$man1"
done
check "the man page has exit codes and examples" bash -c \
  "grep -q '^.SH EXIT STATUS' '$man1' && grep -q '^.SH EXAMPLES' '$man1'"
# A reader's notation: a SYNOPSIS line per command, the common options once, defaults said,
# value lists plain (no "N:UINT in [1 - 1000000]", no "TEXT:{documented,effective}").
for cmd in table graph reach diff check manifests values report; do
  check "the man page's SYNOPSIS has a line for $cmd" grep -q "^\.B netpol\\\\-graph $cmd\$" "$man1"
done
check "the man page describes the common options once" test "$(grep -c '^\.B \\-\\-strict$' "$man1")" -eq 1
check "the man page says defaults" grep -q 'Default: 10000\.' "$man1"
check "the man page lists values plainly" bash -c \
  "grep -q 'documented|effective' '$man1' && ! grep -q 'UINT in\|TEXT:{' '$man1'"
check "the man page has ENVIRONMENT and SEE ALSO" bash -c \
  "grep -q '^.SH ENVIRONMENT' '$man1' && grep -q '^.SH SEE ALSO' '$man1'"
if command -v groff > /dev/null; then
  check "the man page renders without a warning" bash -c \
    "groff -man -ww -z '$man1' 2>&1 | { ! grep -q .; }"
  # What a reader sees: each command's exit codes and every example of its --help.
  groff -man -Tutf8 -P-cbou "$man1" 2> /dev/null | tr -s ' \n' ' ' > "$tmp/man.txt"
  for cmd in $("$bin" --help | awk '/^Subcommands:/{on=1; next} on && !NF {exit} on {print $1}'); do
    codes=$("$bin" "$cmd" --help | sed -n 's/^Exit codes: //p')
    check "the man page gives the exit codes of $cmd" grep -qF "$codes" "$tmp/man.txt"
    "$bin" "$cmd" --help | awk '/^Examples?:/{on=1; next} on' | sed 's/^ *//' > "$tmp/examples"
    missing=0
    while IFS= read -r line; do
      grep -qF "$(echo "$line" | tr -s ' ')" "$tmp/man.txt" || missing=1
    done < "$tmp/examples"
    check "the man page has every example of $cmd --help ($(wc -l < "$tmp/examples"))" \
      test "$missing" -eq 0 -a -s "$tmp/examples"
  done
fi
completion="$prefix/share/bash-completion/completions/netpol-graph"
complete_words() {  # complete_words WORD...: what the completion offers for the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _netpol_graph
           echo "${COMPREPLY[*]}"' _ "$completion" "$@"
}
check "bash completes a command" test "$(complete_words netpol-graph rea)" = "reach"
check "bash completes a command's options" bash -c \
  "[[ ' $(complete_words netpol-graph diff --fa) ' == *' --fail-on '* ]]"
check "bash completes formats of the command" test \
  "$(complete_words netpol-graph check --format sa)" = "sarif"
check "bash completes an option's choices, the command's own" \
  test "$(complete_words netpol-graph check --fail-on w)" = "warning"
check "bash completes diff's --fail-on with diff's choices" \
  test "$(complete_words netpol-graph diff --fail-on w)" = "widen"
# A node id, a port: no file names are offered.
touch "$tmp/any-file"
check "bash offers no file names for --from" \
  test -z "$(cd "$tmp" && complete_words netpol-graph reach --from a)"
# A file name with a space is one word.
mkdir "$tmp/spaced" && touch "$tmp/spaced/my values.yaml"
check "bash completes a file name with a space as one word" test \
  "$(cd "$tmp/spaced" && bash -c 'source "$1"; COMP_WORDS=(netpol-graph table -f my); COMP_CWORD=3
       _netpol_graph; echo "${#COMPREPLY[@]}:${COMPREPLY[0]}"' _ "$completion")" = "1:my values.yaml"
# Option values from the command table, and node ids from `netpol-graph __nodes` with the
# inputs on the line: the ids `graph --format json` has, and no others.
check "bash completes reach's --expect" test "$(complete_words netpol-graph reach --expect u)" = "unreachable"
check "bash completes --layout" test "$(complete_words netpol-graph graph --layout s)" = "sfdp"
export PATH="$prefix/bin:$PATH"
ids=$(netpol-graph graph -f "$root/samples/production.yaml" --format json |
      /usr/bin/python3 -c 'import json,sys; print(" ".join(sorted(n["id"] for n in json.load(sys.stdin)["nodes"])))')
check "__nodes prints graph's node ids, ignoring the rest of the line" test \
  "$(netpol-graph __nodes -f "$root/samples/production.yaml" --from --format svg -o x | sort | tr '\n' ' ')" = "$ids "
check "__nodes is in no help" bash -c "! netpol-graph --help | grep -q __nodes && ! grep -q __nodes '$man1'"
check "bash completes --from with the node ids of the -f file on the line" test \
  "$(complete_words netpol-graph reach -f "$root/samples/production.yaml" --from q)" = "query"
check "bash completes the next id of a --focus list" test \
  "$(complete_words netpol-graph graph -f "$root/samples/production.yaml" --focus ui,jan)" = "ui,janitor"
check "bash offers every node id for an empty --to" test \
  "$(complete_words netpol-graph reach -f "$root/samples/production.yaml" --to '' | tr ' ' '\n' | sort | tr '\n' ' ')" = "$ids "
if [ -r /usr/share/bash-completion/bash_completion ]; then
  # With bash-completion, "ext:P" is three words (ext, :, P); the reply completes the last.
  check "bash (with bash-completion) completes an id after its colon" test "$(bash -c '
    source /usr/share/bash-completion/bash_completion; source "$1"
    COMP_LINE="netpol-graph reach -f $2 --from ext:P"; COMP_POINT=${#COMP_LINE}
    COMP_WORDS=(netpol-graph reach -f "$2" --from ext : P); COMP_CWORD=7
    _netpol_graph; echo "${COMPREPLY[*]}"' _ "$completion" "$root/samples/production.yaml")" = "PostgreSQL"
fi
fish_file="$prefix/share/fish/vendor_completions.d/netpol-graph.fish"
if command -v fish > /dev/null; then
  check "fish parses the completion" fish --no-execute "$fish_file"
  fish_complete() {  # fish_complete LINE: the words fish offers
    fish -c 'source $argv[1]; complete -C $argv[2]' "$fish_file" "$1" | cut -f1 | tr '\n' ' '
  }
  check "fish completes a command" test "$(fish_complete 'netpol-graph rea')" = "reach "
  check "fish completes a command's options" bash -c \
    "[[ ' $(fish_complete 'netpol-graph diff --fa') ' == *' --fail-on '* ]]"
  check "fish completes formats of the command" bash -c \
    "[[ ' $(fish_complete 'netpol-graph check --format ') ' == *' sarif '* ]]"
  check "fish completes reach's --expect" test "$(fish_complete 'netpol-graph reach --expect u')" = "unreachable "
  check "fish completes --from with the node ids of the -f file on the line" test \
    "$(fish_complete "netpol-graph reach -f $root/samples/production.yaml --from ext:P")" = "ext:PostgreSQL "
  check "fish completes the next id of a --focus list" test \
    "$(fish_complete "netpol-graph graph -f $root/samples/production.yaml --focus ui,jan")" = "ui,janitor "
fi
if command -v zsh > /dev/null; then
  zsh_file="$prefix/share/zsh/vendor-completions/_netpol-graph"
  check "zsh parses the completion" zsh -n "$zsh_file"
  # zsh completes only in a terminal: tests/zsh_complete.zsh types the line and a Tab in one.
  zsh_complete() {  # zsh_complete LINE: the offers, one compadd call a line
    zsh "$root/tests/zsh_complete.zsh" "$(dirname "$zsh_file")" "$root" "$1" | tr '\n' ' '
  }
  check "zsh completes a command" test "$(zsh_complete 'netpol-graph rea')" = "reach "
  check "zsh completes reach's --expect" test "$(zsh_complete 'netpol-graph reach --expect u')" = "unreachable "
  check "zsh completes check's --fail-on" test "$(zsh_complete 'netpol-graph check --fail-on ')" = "error|warning|info "
  check "zsh completes --from with the node ids of the -f file on the line" test \
    "$(zsh_complete 'netpol-graph reach -f samples/production.yaml --from ext:P')" = "ext:PostgreSQL "
  check "zsh completes the next id of a --focus list" test \
    "$(zsh_complete 'netpol-graph graph -f samples/production.yaml --focus ui,jan')" = "janitor "
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
