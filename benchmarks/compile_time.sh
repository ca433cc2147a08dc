#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
#
# Compile time and binary size, written as JSON for benchmarks/report.py.
#
#   benchmarks/compile_time.sh [--out FILE] [--cxx COMPILER] [--runs N] [--work DIR]
#
#  - seconds to compile one TU that includes only <azmi/azmi.hpp>, C++17, at -O0 and -O2
#    (median and min-max of N runs, default 5; -c to an object file, so parsing, instantiation
#    and code generation are all in), header-only and with AZMI_SEPARATE_COMPILATION, plus the
#    one-off TU compiling <azmi/src.hpp>;
#  - where that time goes, at -O0: everything azmi includes without azmi, its standard/system
#    part, nlohmann/json alone, the umbrella without credential.hpp (median of N runs each), and
#    each public header alone (one run each);
#  - the stripped size of examples/read_blob.cpp (the tutorial's read_blob) built at -O2, with
#    the shared libraries it links directly (NEEDED).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
out="$root/build/bench/results/compile.json"
cxx="${CXX:-g++}"
runs=5
work=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --cxx) cxx="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    *) echo "usage: $0 [--out FILE] [--cxx COMPILER] [--runs N] [--work DIR]" >&2; exit 2 ;;
  esac
done
[[ -n "$work" ]] || work="$(mktemp -d "${TMPDIR:-/tmp}/azmi-compile.XXXXXX")"
mkdir -p "$work" "$(dirname "$out")"
trap 'rm -rf "$work"' EXIT

# Seconds (wall, 3 decimals) to compile $1 with the remaining arguments as flags.
compile_seconds() {
  local source="$1"
  shift
  local start end
  start=$(date +%s%N)
  "$cxx" -std=c++17 "$@" -I"$root/include" -c "$source" -o "$work/tu.o"
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }'
}

# "[t1, t2, ...]" of N runs.
series() {
  local source="$1"
  shift
  local i list=""
  for ((i = 0; i < runs; i++)); do
    list+="${list:+, }$(compile_seconds "$source" "$@")"
  done
  printf '[%s]' "$list"
}

printf '#include <azmi/azmi.hpp>\n' >"$work/umbrella.cpp"
compile_seconds "$work/umbrella.cpp" -O0 >/dev/null  # warm the page cache for the headers
umbrella_o0="$(series "$work/umbrella.cpp" -O0)"
umbrella_o2="$(series "$work/umbrella.cpp" -O2)"

# Separate compilation: the same umbrella TU with AZMI_SEPARATE_COMPILATION (what each of a
# project's TUs pays), and the one TU that compiles <azmi/src.hpp> (paid once per build).
separate_o0="$(series "$work/umbrella.cpp" -O0 -DAZMI_SEPARATE_COMPILATION)"
separate_o2="$(series "$work/umbrella.cpp" -O2 -DAZMI_SEPARATE_COMPILATION)"
printf '#include <azmi/src.hpp>\n' >"$work/src.cpp"
src_o0="$(compile_seconds "$work/src.cpp" -O0 -DAZMI_SEPARATE_COMPILATION)"
src_o2="$(compile_seconds "$work/src.cpp" -O2 -DAZMI_SEPARATE_COMPILATION)"

# One run per header: enough to rank them.
headers=""
while IFS= read -r header; do
  rel="${header#"$root/include/"}"
  printf '#include <%s>\n' "$rel" >"$work/one.cpp"
  if t="$(compile_seconds "$work/one.cpp" -O0 2>/dev/null)"; then
    headers+="${headers:+, }\"$rel\": $t"
  fi
done < <(find "$root/include/azmi" -maxdepth 2 -name '*.hpp' ! -path '*/detail/*' ! -path '*/testing/*' | sort)

# What the umbrella pulls in, apart from azmi's own code: every non-azmi header azmi's headers include
# (found now, so the list follows the code), the standard/system part of it, and nlohmann/json. And
# the umbrella without credential.hpp, the one azmi header that includes detail/json.hpp.
grep -rhoE '^#include <[^>]+>' "$root/include/azmi" --include='*.hpp' --exclude-dir=testing |
  grep -v '<azmi/' | sort -u >"$work/all_deps.cpp"
grep -vE '<(curl|nlohmann|openssl)/|<pugixml' "$work/all_deps.cpp" >"$work/std_deps.cpp"
printf '#include <nlohmann/json.hpp>\n' >"$work/json.cpp"
grep -E '^#include <azmi/' "$root/include/azmi/azmi.hpp" | grep -v 'azmi/credential.hpp' >"$work/no_credential.cpp"
median_of() { tr -d '[] ' <<<"$1" | tr ',' '\n' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
deps=""
for part in "all dependencies:all_deps" "standard and system headers:std_deps" "nlohmann/json:json" \
            "umbrella without credential.hpp:no_credential"; do
  if t="$(series "$work/${part#*:}.cpp" -O0 2>/dev/null)"; then
    deps+="${deps:+, }\"${part%%:*}\": $(median_of "$t")"
  fi
done

# The tutorial's read_blob, as a user would build it: -O2, linked against the system libraries.
size_json='null'
example="$root/examples/read_blob.cpp"
if [[ -f "$example" ]]; then
  start=$(date +%s%N)
  if "$cxx" -std=c++17 -O2 -DNDEBUG -I"$root/include" -I"$root/examples" "$example" -o "$work/read_blob" \
       -lcurl -lcrypto -lpugixml -pthread 2>"$work/read_blob.log"; then
    end=$(date +%s%N)
    unstripped=$(stat -c %s "$work/read_blob")
    strip "$work/read_blob"
    stripped=$(stat -c %s "$work/read_blob")
    # Direct dependencies only (NEEDED), not ldd's transitive closure.
    libs=$(readelf -d "$work/read_blob" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/"\1"/p' | paste -sd, -)
    size_json=$(printf '{"source": "examples/read_blob.cpp", "stripped_bytes": %s, "unstripped_bytes": %s, "build_seconds": %s, "shared_libraries": [%s]}' \
      "$stripped" "$unstripped" "$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')" "$libs")
  else
    echo "compile_time.sh: examples/read_blob.cpp did not build:" >&2
    tail -n 20 "$work/read_blob.log" >&2
  fi
fi

compiler="$("$cxx" --version | head -n 1)"
cat >"$out" <<EOF
{
 "compiler": "${compiler//\"/\\\"}",
 "flags": "-std=c++17 -c",
 "umbrella": {"O0": $umbrella_o0, "O2": $umbrella_o2},
 "separate": {"umbrella": {"O0": $separate_o0, "O2": $separate_o2}, "src": {"O0": $src_o0, "O2": $src_o2}},
 "headers_O0": {$headers},
 "dependencies_O0": {$deps},
 "read_blob": $size_json
}
EOF
echo "compile_time.sh: wrote $out"
