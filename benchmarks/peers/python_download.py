#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
"""The Python Azure SDK contender: azure-identity ManagedIdentityCredential + azure-storage-blob BlobClient.

Run with Debian's /usr/bin/python3 (python3-azure, python3-azure-storage). Reads AZMI_BLOB_ENDPOINT,
AZMI_CA_FILE, MSI_ENDPOINT and MSI_SECRET (ManagedIdentityCredential picks its Azure ML source from the
last two). Prints one JSON line: bytes read, the download time (token already in hand), the token fetch
time and the CLOCK_MONOTONIC instant of the last byte, which the runner uses for cold start.

    python_download.py --mode memory|file [--concurrency N] [--chunk-size BYTES] [--cold]
                       --container C --blob B [--output PATH]

--concurrency 1 with no --chunk-size is the SDK's default download (one 32 MiB GET, then 4 MiB GETs);
--concurrency N > 1 uses download_blob(max_concurrency=N) with N-way parallel ranged GETs.
--cold measures nothing separately: the token is fetched by the first request, as a script would.
"""

import argparse
import json
import os
import sys
import time

STORAGE_SCOPE = "https://storage.azure.com/.default"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("memory", "file"), required=True)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--chunk-size", type=int, default=0)
    parser.add_argument("--container", required=True)
    parser.add_argument("--blob", required=True)
    parser.add_argument("--output", default="")
    parser.add_argument("--cold", action="store_true")
    args = parser.parse_args()
    if args.mode == "file" and not args.output:
        parser.error("--mode file needs --output")

    # Imported here so that a cold start pays for them inside the timed process, as a script does.
    from azure.identity import ManagedIdentityCredential
    from azure.storage.blob import BlobClient

    client_kwargs = {"connection_verify": os.environ["AZMI_CA_FILE"]}
    if args.chunk_size > 0:
        client_kwargs["max_single_get_size"] = args.chunk_size
        client_kwargs["max_chunk_get_size"] = args.chunk_size
    credential = ManagedIdentityCredential()
    client = BlobClient(account_url=os.environ["AZMI_BLOB_ENDPOINT"], container_name=args.container,
                        blob_name=args.blob, credential=credential, **client_kwargs)

    token_ns = 0
    if not args.cold:
        started = time.monotonic_ns()
        credential.get_token(STORAGE_SCOPE)
        token_ns = time.monotonic_ns() - started

    started = time.monotonic_ns()
    downloader = client.download_blob(max_concurrency=args.concurrency)
    if args.mode == "memory":
        data = downloader.readall()
        size = len(data)
    else:
        with open(args.output, "wb") as out:
            size = downloader.readinto(out)
    last_byte = time.monotonic_ns()

    print(json.dumps({"bytes": size, "download_ns": last_byte - started, "token_ns": token_ns,
                      "last_byte_mono_ns": last_byte}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
