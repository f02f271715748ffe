#!/usr/bin/env zsh
# What zsh's completion offers for a command line, as the user's Tab would: an interactive
# zsh in a pseudo-terminal (zsh/zpty) loads the completion from DIR with compinit, every
# compadd also prints what it adds, and the line is typed with a Tab at its end. Prints
# each offer, one a line (a compadd call's offers joined by |).
#   zsh_complete.zsh DIR WORKDIR LINE
zmodload zsh/zpty || exit 2
local dir=$1 work=$2 line=$3
zpty z 'zsh -f -i'
zpty -w z 'PS1=""; fpath=('${(q)dir}' $fpath); autoload -Uz compinit; compinit -u -D'
zpty -w z 'compadd() { local -a m; builtin compadd -O m "$@"; (( $#m )) && print -r -- "<<${(j:|:)m}>>"; builtin compadd "$@"; }'
zpty -w z "cd ${(q)work}"
zpty -w -n z "$line"$'\t'
# Read until the offers have come (a completion that runs `netpol-graph __nodes` takes a
# moment), then a little longer for more of them; at most 10 s.
local out="" chunk seen=0
repeat 100; do
  while zpty -r -t z chunk; do out+=$chunk; done
  if [[ $out == *'<<'[^\$]* ]]; then (( ++seen > 3 )) && break; fi
  sleep 0.1
done
zpty -d z
print -r -- "$out" | tr -d '\r' | grep -ao '<<[^>]*>>' | grep -v '\$' | sed 's/^<<//; s/>>$//' | sort -u
