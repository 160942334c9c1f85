#!/bin/sh
# layout_check.sh - the layout rules of docs/ARCHITECTURE.md, checked:
#   1. no source file in sim/, models/ or include/ over 600 lines, unless
#      its first 20 lines say why ("single algorithm");
#   2. no function over 80 lines, unless the comment just above it says
#      why (it contains "Long:");
#   3. no two .c files in sim/, models/ and cli/ share a name;
#   4. the include rules of tools/include_graph.sh check;
#   5. the two include graphs pasted in docs/ARCHITECTURE.md are those the
#      code gives now (regenerate with tools/include_graph.sh mermaid and
#      mermaid-sim).
# Prints every violation; exit 1 if any. POSIX sh and awk.
set -u
cd "$(dirname "$0")/.."
status=0

for f in sim/*.c sim/*.h models/*.c models/*.h include/sanctionsim/*.h; do
    [ -f "$f" ] || continue
    n=$(wc -l <"$f")
    if [ "$n" -gt 600 ] && ! head -n 20 "$f" | grep -q "single algorithm"; then
        echo "layout: $f has $n lines (more than 600, and no reason at its top)"
        status=1
    fi
done

for f in sim/*.c models/*.c cli/*.c; do
    [ -f "$f" ] || continue
    awk -v file="$f" '
        # A definition: a line starting at column 0 with an identifier and
        # "(" that is not a declaration (no ";"), up to the "{" at column 0.
        /^[A-Za-z_].*\(/ && !/;[[:space:]]*$/ && !in_body {
            head = $0; head_line = NR; reason = (comment ~ /Long:/) }
        /^\/\*/ { comment = "" ; in_comment = 1 }
        in_comment { comment = comment $0 "\n" }
        /\*\// { in_comment = 0 }
        /^{/ && head_line { in_body = 1; start = NR }
        /^}/ && in_body {
            len = NR - start - 1
            name = head; sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
            if (len > 80 && !reason)
                printf "layout: %s:%d: %s has %d lines (more than 80, and no \"Long:\" reason above it)\n", file, head_line, name, len
            in_body = 0; head_line = 0; comment = "" }
        !in_comment && !/^\/\*/ && !/^[A-Za-z_].*\(/ && !in_body && !/^[[:space:]]/ && NF && !/^{/ { comment = "" }
    ' "$f"
done | tee /tmp/layout_fn.$$
[ -s /tmp/layout_fn.$$ ] && status=1
rm -f /tmp/layout_fn.$$

dups=$(for f in sim/*.c models/*.c cli/*.c; do basename "$f"; done | sort | uniq -d)
if [ -n "$dups" ]; then
    echo "layout: source files that share a name: $dups"
    status=1
fi

sh tools/include_graph.sh check || status=1

if [ -f docs/ARCHITECTURE.md ]; then
    tmp=$(mktemp)
    # The contents of the n-th ```mermaid block of the document.
    pasted() {
        awk -v want="$1" '/^```mermaid/ { n++; inside = (n == want); next }
                          /^```/ { inside = 0 }
                          inside' docs/ARCHITECTURE.md
    }
    n=1
    for mode in mermaid mermaid-sim; do
        sh tools/include_graph.sh "$mode" >"$tmp"
        if ! pasted "$n" | cmp -s - "$tmp"; then
            echo "layout: docs/ARCHITECTURE.md's include graph $n is not what 'sh tools/include_graph.sh $mode' prints now; paste its output"
            status=1
        fi
        n=$((n + 1))
    done
    rm -f "$tmp"
fi
[ $status -eq 0 ] && echo "layout: ok"
exit $status
