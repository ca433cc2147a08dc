#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
# In separate-compilation mode a TU including the umbrella header parses declarations only: none
# of the heavy dependencies, and none of the costly standard headers that only definitions need.
# This is what keeps such a TU fast to compile (benchmarks/compile_time.sh measures the time);
# checking the include graph instead of a clock makes it a test that cannot flake.
#   separate_light.sh <repo> <c++ compiler>
set -euo pipefail
root="$1"
cxx="$2"
forbidden='(curl/|openssl/|nlohmann/|pugixml|/filesystem$|/thread$|/random$|/condition_variable$|/charconv$|/sstream$|/iostream$|/fcntl\.h$|/azmi/detail/(json|xml|crypto|download|download_targets|blob_request|http_date|uuid)\.hpp$|/azmi/impl/)'
status=0
for header in azmi/azmi.hpp $(cd "$root/include" && find azmi -maxdepth 2 -name '*.hpp' ! -path '*/detail/*' ! -path '*/testing/*' ! -name src.hpp | sort); do
  included=$(printf '#include <%s>\n' "$header" |
    "$cxx" -std=c++17 -DAZMI_SEPARATE_COMPILATION -I"$root/include" -H -fsyntax-only -x c++ - 2>&1 >/dev/null |
    sed -n 's/^\.\.* //p')
  offenders=$(grep -E "$forbidden" <<<"$included" | sort -u || true)
  if [[ -n "$offenders" ]]; then
    echo "FAIL: <$header> in separate-compilation mode includes:"
    sed 's/^/  /' <<<"$offenders"
    status=1
  fi
done
[[ $status -eq 0 ]] && echo "ok: every public header stays light in separate-compilation mode"
exit $status
