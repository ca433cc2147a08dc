#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
# Each heavy dependency is included by exactly one azmi file, so compile time and coupling stay
# where we can see them: curl in impl/transport/curl.ipp, OpenSSL in detail/crypto.hpp, nlohmann/json in
# detail/json.hpp, pugixml in detail/xml.hpp. Fails naming any other header that includes one.
set -euo pipefail
include_dir="$1/include/azmi"
status=0
check() {
  local pattern="$1" home="$2" offenders
  offenders=$(grep -rlE "^[[:space:]]*#[[:space:]]*include[[:space:]]*<${pattern}" "$include_dir" | sed "s|^$include_dir/||" | grep -vx "$home" || true)
  if [[ -n "$offenders" ]]; then
    echo "FAIL: <${pattern}...> may only be included by include/azmi/$home, but also by: $offenders"
    status=1
  else
    echo "ok: <${pattern}...> only in include/azmi/$home"
  fi
}
check 'curl/' 'impl/transport/curl.ipp'
check 'openssl/' 'detail/crypto.hpp'
check 'nlohmann/' 'detail/json.hpp'
check 'pugixml' 'detail/xml.hpp'
exit $status
