#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
# scripts/upload-blob stores exactly the bytes it was given, through both of its paths (one Put Blob;
# Put Block + Put Block List), under a name that needs percent-encoding. Read back with the
# emulator's token over HTTPS verified against AZMI_CA_FILE. Usage: upload_blob_roundtrip.sh REPO
set -euo pipefail
repo="$1"
# shellcheck disable=SC1090
source "${AZMI_TEST_ENV_FILE:?AZMI_TEST_ENV_FILE is not set}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

token="$(curl -sS --fail --max-time 30 --noproxy '*' -H "secret: $MSI_SECRET" \
  "$MSI_ENDPOINT?api-version=2017-09-01&resource=https%3A%2F%2Fstorage.azure.com%2F" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')"

# check NAME ENCODED-NAME FILE [upload-blob options…]
check() {
  local name="$1" encoded="$2" file="$3"
  shift 3
  python3 "$repo/scripts/upload-blob" "$@" azmi-roundtrip "$name" "$file"
  curl -sS --fail --max-time 60 --cacert "$AZMI_CA_FILE" -H "Authorization: Bearer $token" \
    -H 'x-ms-version: 2025-01-05' -o "$work/back" "$AZMI_BLOB_ENDPOINT/azmi-roundtrip/$encoded"
  if cmp -s "$file" "$work/back"; then
    echo "ok: $name"
  else
    echo "FAIL: $name: downloaded bytes differ from the upload" >&2
    exit 1
  fi
}

printf 'Hello World!' >"$work/small"
: >"$work/empty"
head -c 2500000 /dev/urandom >"$work/large"
check small.txt small.txt "$work/small" --create-container
check small.txt small.txt "$work/small" --create-container   # an existing container is fine
check empty.bin empty.bin "$work/empty"
check 'dir/h é+llo#?.bin' 'dir/h%20%C3%A9%2Bllo%23%3F.bin' "$work/large" --block-size 1000000
# stdin of unknown length goes up block by block too
python3 "$repo/scripts/upload-blob" --block-size 1000000 azmi-roundtrip piped.bin - <"$work/large"
curl -sS --fail --max-time 60 --cacert "$AZMI_CA_FILE" -H "Authorization: Bearer $token" \
  -H 'x-ms-version: 2025-01-05' -o "$work/back" "$AZMI_BLOB_ENDPOINT/azmi-roundtrip/piped.bin"
cmp "$work/large" "$work/back" && echo "ok: piped.bin"

# A wrong account key is refused with one clear line and a non-zero exit.
if AZURITE_ACCOUNT_KEY="$(printf 'wrong-key-wrong-key-wrong-key-32' | base64)" \
    python3 "$repo/scripts/upload-blob" azmi-roundtrip denied.txt "$work/small" 2>"$work/err"; then
  echo "FAIL: upload with a wrong key succeeded" >&2
  exit 1
fi
grep -q '^upload-blob: error: Put Blob azmi-roundtrip/denied.txt: HTTP 4' "$work/err" && echo "ok: wrong key refused"
