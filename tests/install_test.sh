#!/usr/bin/env bash
# `cmake --install` puts the binary, the man page and the bash, zsh and fish completions
# under the prefix; the installed binary runs; the man page (generated from the --help
# definitions) names every command and renders without a warning; the bash completion
# completes commands, options and formats.
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
if command -v groff > /dev/null; then
  check "the man page renders without a warning" bash -c \
    "groff -man -ww -z '$man1' 2>&1 | { ! grep -q .; }"
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
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
