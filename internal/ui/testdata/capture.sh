#!/bin/sh
# Captures the golden outputs in this directory from the installed
# git-annex (10.20230126). Run from this directory: sh capture.sh
set -e
# git-annex decodes command-line input by the locale: under LC_ALL=C every
# non-ASCII byte of "input" becomes U+FFFD. Capture under UTF-8.
export LC_ALL=C.UTF-8
out=$PWD
tmp=$(mktemp -d)
cd "$tmp"
git init -q r && cd r
git config annex.uuid 11111111-2222-3333-4444-555555555555
git annex init test >/dev/null 2>&1
# add --json of awkward names (names.z holds them NUL-separated, in output order)
printf a > 'sp ace.txt'; printf bb > 'qu"ote.txt'; printf ccc > "$(printf 'ta\tb.txt')"
printf dddd > 'é.txt'; printf eeeee > '日本.txt'; printf ffffff > "$(printf 'bad\377\376.txt')"
printf g > 'back\slash.txt'; printf h > "$(printf 'ctl\001\037\177.txt')"; printf i > '<a>&b.txt'
printf j > "$(printf 'emoji\360\237\230\200.txt')"; printf k > "$(printf 'ls\342\200\250.txt')"
printf l > "$(printf 'x1\342\200')"; printf m > "$(printf 'x3\355\240\200')"; printf n > "$(printf 'x7\010\014\015')"
git annex add --json > "$out/add-json.out" 2> "$out/add-json.err"
git ls-files -z > "$out/add-json.names"
git commit -qm add
# human drop failure
git annex drop 'sp ace.txt' > "$out/drop-unsafe.out" 2> "$out/drop-unsafe.err" || true
git annex drop 'sp ace.txt' --json --json-error-messages > "$out/drop-unsafe-json.out" 2> "$out/drop-unsafe-json.err" || true
git annex drop 'sp ace.txt' --quiet > "$out/drop-unsafe-quiet.out" 2> "$out/drop-unsafe-quiet.err" || true
# key-only input that is not available
k=SHA256E-s99--0000000000000000000000000000000000000000000000000000000000000000
git annex get --key $k > "$out/get-key.out" 2> "$out/get-key.err" || true
git annex get --key $k --json > "$out/get-key-json.out" 2> "$out/get-key-json.err" || true
# non-large files added to git
git config annex.largefiles nothing
printf small > small1.txt; printf small > small2.txt
git annex add small1.txt small2.txt > "$out/add-small.out" 2> "$out/add-small.err"
rm -rf "$tmp"
