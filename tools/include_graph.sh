#!/bin/sh
# include_graph.sh - the include graph of the sources, from the code.
#
#   sh tools/include_graph.sh mermaid   a Mermaid flowchart of the project's
#                                       own #include "..." edges between
#                                       folders (the picture in
#                                       docs/ARCHITECTURE.md)
#   sh tools/include_graph.sh mermaid-sim
#                                       a Mermaid flowchart of sim/'s .c
#                                       files, grouped by the private
#                                       headers of sim/ each includes (the
#                                       second picture in ARCHITECTURE.md)
#   sh tools/include_graph.sh edges     every edge, "from -> to", one a line
#   sh tools/include_graph.sh check     exit 1, with the reasons, if a folder
#                                       include cycle exists, if anything in
#                                       sim/ includes a header of models/,
#                                       or if a private header (*_impl.h) is
#                                       included from outside sim/
#
# Only quoted and angle includes of the project's own headers count
# ("x.h" resolved against the including file's folder and include/;
# <sanctionsim/x.h> against include/). Run from anywhere; POSIX sh and awk.
set -eu
cd "$(dirname "$0")/.."
mode="${1:-mermaid}"
dirs="include/sanctionsim sim models cli bench examples fuzz tests"

edges() {
    for d in $dirs; do
        [ -d "$d" ] || continue
        for f in "$d"/*.c "$d"/*.h; do
            [ -f "$f" ] || continue
            sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"]\)\([^>"]*\)[>"].*/\1\2/p' "$f" |
            while read -r inc; do
                kind=$(printf '%s' "$inc" | cut -c1)
                name=$(printf '%s' "$inc" | cut -c2-)
                target=""
                if [ "$kind" = '"' ]; then
                    for cand in "$d/$name" "include/$name" "sim/$name" "models/$name"; do
                        if [ -f "$cand" ]; then target="$cand"; break; fi
                    done
                elif [ -f "include/$name" ]; then
                    target="include/$name"
                fi
                [ -n "$target" ] || continue
                # normalise a/../b
                target=$(printf '%s' "$target" |
                    awk -F/ '{n=0; for(i=1;i<=NF;i++){ if($i==".."){n--} else if($i!="."){p[++n]=$i} }
                              s=p[1]; for(i=2;i<=n;i++) s=s"/"p[i]; print s}')
                echo "$f -> $target"
            done
        done
    done
}

folder() { printf '%s\n' "$1" | sed 's#/[^/]*$##'; }

case "$mode" in
edges)
    edges
    ;;
mermaid)
    echo "flowchart LR"
    edges | while read -r from arrow to; do
        a=$(folder "$from"); b=$(folder "$to")
        [ "$a" = "$b" ] || echo "$a --> $b"
    done | sort -u | sed 's#include/sanctionsim#public["include/sanctionsim (public API)"]#g;
                          s#^#    #'
    ;;
mermaid-sim)
    # One subgraph per set of private headers (sim/*.h) that a .c file of
    # sim/ includes directly; files that include none form the last one.
    # An arrow from one subgraph to another: its header includes theirs.
    all=$(mktemp); tmp=$(mktemp); hdr=$(mktemp)
    trap 'rm -f "$all" "$tmp" "$hdr"' EXIT
    edges >"$all"
    grep -E '^sim/[^ /]*\.c -> sim/' "$all" | LC_ALL=C sort -k1,1 -k3,3 >"$tmp" || :
    grep -E '^sim/[^ /]*\.h -> sim/' "$all" | LC_ALL=C sort >"$hdr" || :
    for f in sim/*.c; do
        hs=$(awk -v f="$f" '$1 == f { h = $3; sub(/^sim\//, "", h)
                 printf "%s%s", (n++ ? ", " : ""), h }' "$tmp")
        if [ -n "$hs" ]; then key="0 $hs"; else key="1 public headers only"; fi
        printf '%s\t%s\n' "$key" "${f#sim/}"
    done | LC_ALL=C sort | awk -F '\t' '
        BEGIN { print "flowchart LR" }
        $1 != key { if (key != "") print "    end"
                    key = $1; g++; group[key] = "g" g
                    printf "    subgraph g%d[\"%s\"]\n", g, substr(key, 3)
                    print "        direction TB" }
        { id = $2; gsub(/[^A-Za-z0-9]/, "_", id)
          printf "        %s[\"%s\"]\n", id, $2 }
        END { if (key != "") print "    end"
              while ((getline line < hdr) > 0) {
                  split(line, p, " "); a = p[1]; b = p[3]
                  sub(/^sim\//, "", a); sub(/^sim\//, "", b)
                  if (("0 " a) in group && ("0 " b) in group)
                      printf "    %s --> %s\n", group["0 " a], group["0 " b] } }' hdr="$hdr"
    ;;
check)
    status=0
    tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
    edges >"$tmp"
    if grep -E '^sim/[^ ]* -> models/' "$tmp"; then
        echo "include_graph: sim/ must not include headers of models/" >&2
        status=1
    fi
    if grep -E '^include/[^ ]* -> (sim|models|cli)/' "$tmp"; then
        echo "include_graph: public headers must include only public headers" >&2
        status=1
    fi
    if grep -E -- '-> [^ ]*_impl\.h$' "$tmp" | grep -v -E '^sim/'; then
        echo "include_graph: a private *_impl.h is included outside sim/" >&2
        status=1
    fi
    # Folder cycles: repeatedly drop folders with no outgoing or no
    # incoming edge among the remaining ones; what is left lies on a cycle.
    awk '{ a=$1; b=$3; sub(/\/[^\/]*$/,"",a); sub(/\/[^\/]*$/,"",b);
           if (a!=b) e[a" "b]=1; v[a]=1; v[b]=1 }
         END {
           do { changed=0
             for (x in v) { out=0; in_=0
               for (k in e) { split(k,p," ")
                 if (p[1]==x && (p[2] in v)) out=1
                 if (p[2]==x && (p[1] in v)) in_=1 }
               if (!out || !in_) { delete v[x]; changed=1 } }
           } while (changed)
           n=0; for (x in v) { n++; printf "include_graph: folder on an include cycle: %s\n", x > "/dev/stderr" }
           exit n>0 }' "$tmp" || status=1
    exit $status
    ;;
*)
    echo "usage: sh tools/include_graph.sh [mermaid|mermaid-sim|edges|check]" >&2
    exit 2
    ;;
esac
