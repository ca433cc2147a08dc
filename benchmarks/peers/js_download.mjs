// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
//
// The JavaScript Azure SDK contender: @azure/identity ManagedIdentityCredential + @azure/storage-blob
// BlobClient (versions pinned in package.json, installed by scripts/bench into .cache/bench-npm).
//
// Reads AZMI_BLOB_ENDPOINT, MSI_ENDPOINT, MSI_SECRET and DEFAULT_IDENTITY_CLIENT_ID (MSAL's Azure ML
// source sends it as `clientid` for the system identity); TLS trust comes from NODE_EXTRA_CA_CERTS.
// Prints one JSON line like python_download.py.
//
//   node js_download.mjs --mode memory|file [--concurrency N] [--chunk-size BYTES] [--cold]
//                        --container C --blob B [--output PATH]
//
// memory: downloadToBuffer (ranged GETs of --chunk-size, default the SDK's 4 MiB, --concurrency at once).
// file:   downloadToFile (one streamed GET; the SDK has no parallel download to a file).

import { parseArgs } from "node:util";

const STORAGE_SCOPE = "https://storage.azure.com/.default";

const { values: args } = parseArgs({
  options: {
    mode: { type: "string" },
    concurrency: { type: "string", default: "1" },
    "chunk-size": { type: "string", default: "0" },
    container: { type: "string" },
    blob: { type: "string" },
    output: { type: "string", default: "" },
    cold: { type: "boolean", default: false },
  },
});
if (!["memory", "file"].includes(args.mode) || !args.container || !args.blob || (args.mode === "file" && !args.output)) {
  console.error("usage: js_download.mjs --mode memory|file [--concurrency N] [--chunk-size B] --container C --blob B [--output PATH]");
  process.exit(2);
}
const concurrency = Number(args.concurrency);
const chunkSize = Number(args["chunk-size"]);

// Loaded here, not with static imports, so the module graph is loaded inside the timed process
// in the same place for cold and warm runs.
const { ManagedIdentityCredential } = await import("@azure/identity");
const { BlobClient } = await import("@azure/storage-blob");

const credential = new ManagedIdentityCredential();
const url = `${process.env.AZMI_BLOB_ENDPOINT}/${args.container}/${args.blob.split("/").map(encodeURIComponent).join("/")}`;
const client = new BlobClient(url, credential);

let tokenNs = 0n;
if (!args.cold) {
  const t = process.hrtime.bigint();
  await credential.getToken(STORAGE_SCOPE);
  tokenNs = process.hrtime.bigint() - t;
}

const started = process.hrtime.bigint();  // CLOCK_MONOTONIC, like the runner's clock
let size;
if (args.mode === "memory") {
  const options = { concurrency };
  if (chunkSize > 0) options.blockSize = chunkSize;
  const buffer = await client.downloadToBuffer(0, undefined, options);
  size = buffer.length;
} else {
  const response = await client.downloadToFile(args.output);
  size = Number(response.contentLength);
}
const lastByte = process.hrtime.bigint();

console.log(JSON.stringify({
  bytes: size,
  download_ns: Number(lastByte - started),
  token_ns: Number(tokenNs),
  last_byte_mono_ns: Number(lastByte),
}));
