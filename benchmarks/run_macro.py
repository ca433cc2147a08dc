#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
"""Macro benchmarks: azmi, curl, the Python SDK and the JavaScript SDK downloading the same blobs from
the same local Azurite with tokens from the same identity emulator, interleaved, in one run.

    run_macro.py --out FILE.json --azmi BIN [--npm-dir DIR] [--runs N] [--warmup N]
                 [--runs-large N] [--sizes 1KiB,1MiB,64MiB,256MiB] [--contenders azmi,curl,python,js]

Needs the environment of `scripts/servers start` (source DIR/env.sh). Normally run by ./scripts/bench.

For every scenario (blob size x memory|file x single|parallel) each contender runs as a fresh process,
in the order A B C D A B C D ..., `--warmup` rounds first (discarded, and used to check the bytes),
then `--runs` measured rounds. Per run it records:
  download_ns  the contender's own clock around the read, token already in hand (curl: time_total);
  wall_ns      process start to exit, as seen from here;
  rss_kib      peak resident set of the process (and its children), from GNU time (%M);
  cpu_ns       user + system CPU time of the whole process and its children (wait4).
The cold start scenario starts each contender with nothing cached and records process start to the
last byte of hello.txt (the contender prints a CLOCK_MONOTONIC timestamp; curl: to its exit).

Standard library only.
"""

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "benchmarks", "peers")
CONTAINER = "bench"
KIB = 1024
MIB = 1024 * 1024
PARALLEL = 4                  # workers / max_concurrency / concurrency / curl transfers
PARALLEL_CHUNK = 8 * MIB      # the SDKs' range size in the parallel variants (azmi chooses its own)
RUN_TIMEOUT = 300             # seconds; a contender taking longer is killed and recorded as failed
GNU_TIME = "/usr/bin/time"    # Debian package `time`
STORAGE_RESOURCE = "https://storage.azure.com"
HELLO_TEXT = "hello from the azmi benchmarks\n"  # the cold start blob
X_MS_VERSION = "2021-12-02"   # what the curl contender sends; Azurite runs with --skipApiVersionCheck


def parse_size(text):
    m = re.fullmatch(r"(\d+)(KiB|MiB|GiB|B)?", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 64MiB)")
    return int(m.group(1)) * {"B": 1, None: 1, "KiB": KIB, "MiB": MIB, "GiB": 1024 * MIB}[m.group(2)]


def size_label(n):
    for unit, factor in (("GiB", 1024 * MIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= factor and n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n} B"


def require_env(*names):
    missing = [n for n in names if not os.environ.get(n)]
    if missing:
        sys.exit("run_macro.py: missing " + ", ".join(missing) +
                 " (start the servers with scripts/servers start and source their env.sh)")


# ---- one process, measured ----------------------------------------------------------------------

class Run:
    """The outcome of one contender process."""

    def __init__(self, code, stdout, stderr, wall_ns, rss_kib, cpu_ns, spawn_ns):
        self.code, self.stdout, self.stderr = code, stdout, stderr
        self.wall_ns, self.rss_kib, self.cpu_ns, self.spawn_ns = wall_ns, rss_kib, cpu_ns, spawn_ns


def run_measured(argv, env):
    """Runs argv to completion under GNU time, which reports the peak RSS of the process and of every
    descendant it waited for. Not wait4() from here: a child spawned by this (much larger) Python
    process starts life sharing its memory (vfork), and Linux carries that high-water mark across
    exec, so small programs would all report the runner's size. Wall time runs from just before the
    spawn to the reaping (GNU time's own fork adds well under a millisecond)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", prefix="azmi-rss-") as rss_file:
        spawn_ns = time.monotonic_ns()
        # Its own session, so a timeout can kill the contender's whole process group, not just GNU time.
        proc = subprocess.Popen([GNU_TIME, "-q", "-f", "%M", "-o", rss_file.name] + list(argv),
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, start_new_session=True)
        # A blocking wait4, with a timer for the timeout: Popen.wait(timeout=...) polls with sleeps
        # of up to 50 ms, which would land in the wall times.
        timer = threading.Timer(RUN_TIMEOUT, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        end_ns = time.monotonic_ns()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
        out.seek(0)
        err.seek(0)
        # CPU from wait4 (microseconds; GNU time's %U/%S have 10 ms steps): its own few hundred
        # microseconds plus everything its child and grandchildren used.
        cpu_ns = int((usage.ru_utime + usage.ru_stime) * 1e9)
        try:
            rss_kib = int(rss_file.read().strip().splitlines()[-1])
        except (ValueError, IndexError):
            rss_kib = 0
        return Run(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   end_ns - spawn_ns, rss_kib, cpu_ns, spawn_ns)


def last_json_line(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line in the output")


def short_error(run):
    text = (run.stderr.strip() or run.stdout.strip() or f"exit status {run.code}").splitlines()
    return f"exit {run.code}: " + " | ".join(text[-3:])[:400]


# ---- contenders ---------------------------------------------------------------------------------

class Scenario:
    def __init__(self, kind, size, blob, mode, parallel):
        self.kind, self.size, self.blob, self.mode, self.parallel = kind, size, blob, mode, parallel

    @property
    def id(self):
        if self.kind == "cold":
            return "cold-start"
        return f"{size_label(self.size).replace(' ', '')}/{self.mode}/{'parallel' if self.parallel else 'single'}"


class Contender:
    name = ""
    label = ""

    def supports(self, scenario):
        return True

    def describe(self, scenario):
        return ""

    def run(self, scenario, output):
        """Returns (measurement dict, error string or None)."""
        raise NotImplementedError


class ProgramContender(Contender):
    """A program that follows the peers' protocol: flags in, one JSON line out."""

    def __init__(self, name, label, prefix, env, file_parallel=True, parallel_chunk=PARALLEL_CHUNK):
        self.name, self.label, self.prefix, self.env, self.file_parallel = name, label, prefix, env, file_parallel
        self.parallel_chunk = parallel_chunk  # None: the program's own choice

    def supports(self, scenario):
        return not (scenario.mode == "file" and scenario.parallel and not self.file_parallel)

    def argv(self, scenario, output):
        args = list(self.prefix) + ["--mode", scenario.mode, "--container", CONTAINER, "--blob", scenario.blob]
        if scenario.parallel:
            args += ["--concurrency", str(PARALLEL)]
            if self.parallel_chunk:
                args += ["--chunk-size", str(self.parallel_chunk)]
        else:
            args += ["--concurrency", "1"]
        if scenario.mode == "file":
            args += ["--output", output]
        if scenario.kind == "cold":
            args.append("--cold")
        return args

    def describe(self, scenario):
        return " ".join(os.path.relpath(a, ROOT) if os.path.isabs(a) else a for a in self.argv(scenario, "OUT"))

    def run(self, scenario, output):
        run = run_measured(self.argv(scenario, output), self.env)
        if run.code != 0:
            return None, short_error(run)
        try:
            report = last_json_line(run.stdout)
        except ValueError as e:
            return None, f"unreadable output ({e}): {run.stdout[-200:]!r}"
        m = {"download_ns": int(report["download_ns"]), "wall_ns": run.wall_ns, "rss_kib": run.rss_kib,
             "cpu_ns": run.cpu_ns,
             "bytes": int(report["bytes"]), "token_ns": int(report.get("token_ns", 0))}
        if report.get("last_byte_mono_ns"):
            m["to_last_byte_ns"] = int(report["last_byte_mono_ns"]) - run.spawn_ns
        return m, None


class TransportProbe(ProgramContender):
    """Diagnostic, not a contender: azmi's curl_transport alone, one plain GET into a sink that drops
    the bytes (what curl -o /dev/null does). Next to curl it shows the transport's speed; next to
    azmi it shows what the blob reader adds. Large to-memory single-stream scenarios only."""

    def supports(self, scenario):
        return scenario.kind == "download" and scenario.mode == "memory" and not scenario.parallel and \
            scenario.size >= 16 * MIB

    def argv(self, scenario, output):
        return list(self.prefix) + ["--mode", "transport", "--container", CONTAINER, "--blob", scenario.blob]


class CurlContender(Contender):
    """The curl CLI with a token in hand: the floor. memory = -o /dev/null (curl keeps nothing);
    parallel = PARALLEL ranged transfers at once (-Z --parallel-immediate), memory only."""

    name = "curl"

    def __init__(self, env, private_dir):
        self.env = env
        self.label = "curl CLI"
        self.private_dir = private_dir
        self.auth_file = os.path.join(private_dir, "curl-auth-headers")
        self.secret_file = os.path.join(private_dir, "curl-msi-headers")
        self.base = os.environ["AZMI_BLOB_ENDPOINT"].rstrip("/")
        self.ca = os.environ["AZMI_CA_FILE"]
        # Header files, not argv: nothing secret in `ps`. The directory is private (mkdtemp, 0700).
        with open(os.open(self.secret_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(f"secret: {os.environ['MSI_SECRET']}\nMetadata: true\n")
        self.refresh_token()

    def token_url(self):
        query = {"api-version": "2017-09-01", "resource": STORAGE_RESOURCE}
        client_id = os.environ.get("DEFAULT_IDENTITY_CLIENT_ID")
        if client_id:
            query["clientid"] = client_id
        return os.environ["MSI_ENDPOINT"] + "?" + urllib.parse.urlencode(query)

    def refresh_token(self):
        request = urllib.request.Request(self.token_url(), headers={"secret": os.environ["MSI_SECRET"], "Metadata": "true"})
        with urllib.request.urlopen(request, timeout=30) as response:
            token = json.load(response)["access_token"]
        with open(os.open(self.auth_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(f"Authorization: Bearer {token}\nx-ms-version: {X_MS_VERSION}\n")

    def supports(self, scenario):
        return not (scenario.parallel and scenario.mode == "file")

    def url(self, scenario):
        return f"{self.base}/{CONTAINER}/{urllib.parse.quote(scenario.blob)}"

    def common(self):
        return ["--fail", "--cacert", self.ca, "-H", "@" + self.auth_file]

    def memory_output(self, part):
        """Where a to-memory transfer (part `part` of a parallel one) goes: nowhere."""
        return "/dev/null"

    def argv(self, scenario, output):
        if scenario.kind == "cold":
            # A shell script's way: fetch a token, cut it out with sed, hand it to a second curl on stdin.
            sed = r's/^.*"access_token" *: *"\([^"]*\)".*$/Authorization: Bearer \1/p'
            script = (f"curl -sS --fail -H @{self.secret_file} '{self.token_url()}' | sed -n '{sed}' | "
                      f"curl -sS --fail --cacert '{self.ca}' -H @- -H 'x-ms-version: {X_MS_VERSION}' "
                      f"-o /dev/null '{self.url(scenario)}'")
            return ["sh", "-c", script]
        if not scenario.parallel:
            return (["curl", "-sS"] + self.common() + ["-o", output if scenario.mode == "file" else self.memory_output(0),
                    "-w", "%{time_total} %{size_download}\\n", self.url(scenario)])
        argv = ["curl", "-sS", "-Z", "--parallel-immediate", "--parallel-max", str(PARALLEL)]
        part = -(-scenario.size // PARALLEL)
        for i in range(PARALLEL):
            first, last = i * part, min(scenario.size, (i + 1) * part) - 1
            if i > 0:
                argv.append("--next")
            argv += self.common() + ["-r", f"{first}-{last}", "-o", self.memory_output(i),
                                     "-w", "%{time_total} %{size_download}\\n", self.url(scenario)]
        return argv

    def describe(self, scenario):
        argv = self.argv(scenario, "OUT")
        text = " ".join(argv[:12]) + (" …" if len(argv) > 12 else "")
        return text.replace(self.private_dir, "$PRIVATE")

    def run(self, scenario, output):
        run = run_measured(self.argv(scenario, output), self.env)
        if run.code != 0:
            return None, short_error(run)
        if scenario.kind == "cold":
            return {"download_ns": run.wall_ns, "wall_ns": run.wall_ns, "rss_kib": run.rss_kib, "cpu_ns": run.cpu_ns,
                    "bytes": scenario.size, "to_last_byte_ns": run.wall_ns}, None
        times, total = [], 0
        fields = run.stdout.split()
        for i in range(0, len(fields) - 1, 2):
            times.append(float(fields[i]))
            total += int(float(fields[i + 1]))
        if not times:
            return None, f"no -w output: {run.stdout[-200:]!r}"
        # Parallel transfers start together, so the slowest one is the download time.
        took = max(times)
        return {"download_ns": int(took * 1e9), "wall_ns": run.wall_ns, "rss_kib": run.rss_kib,
                "cpu_ns": run.cpu_ns, "bytes": total}, None


class CurlTmpfsProbe(CurlContender):
    """Diagnostic, not a contender: curl keeping the bytes in memory, by writing them to a tmpfs
    file (/dev/shm). -o /dev/null keeps nothing; this pays, as every to-memory reader does, for
    fresh zeroed pages to hold the blob. Large to-memory scenarios, single and parallel."""

    name = "curl-tmpfs"
    TMPFS = "/dev/shm"

    def __init__(self, env, private_dir):
        super().__init__(env, private_dir)
        self.label = "curl CLI keeping the bytes in tmpfs (diagnostic)"
        self.target = os.path.join(self.TMPFS, f"azmi-bench-{os.getpid()}")

    def supports(self, scenario):
        return scenario.kind == "download" and scenario.mode == "memory" and scenario.size >= 16 * MIB and \
            os.path.isdir(self.TMPFS) and os.access(self.TMPFS, os.W_OK)

    def memory_output(self, part):
        return f"{self.target}.{part}"

    def describe(self, scenario):
        return super().describe(scenario).replace(self.target, "/dev/shm/…")

    def run(self, scenario, output):
        try:
            return super().run(scenario, output)
        finally:
            for name in os.listdir(self.TMPFS):
                if name.startswith(os.path.basename(self.target) + "."):
                    os.unlink(os.path.join(self.TMPFS, name))


# ---- data ---------------------------------------------------------------------------------------

def blob_name(size):
    return f"random-{size_label(size).replace(' ', '')}.bin"


def prepare_blobs(sizes, data_dir, env):
    """Random files (kept between runs) uploaded to a fresh container; returns their MD5s."""
    os.makedirs(data_dir, exist_ok=True)
    digests = {}
    upload = os.path.join(ROOT, "scripts", "upload-blob")
    hello = os.path.join(data_dir, "hello.txt")
    with open(hello, "w") as f:
        f.write(HELLO_TEXT)
    first = True
    for name, path, size in [("hello.txt", hello, None)] + \
            [(blob_name(s), os.path.join(data_dir, blob_name(s)), s) for s in sizes]:
        if size is not None and (not os.path.exists(path) or os.path.getsize(path) != size):
            with open(path, "wb") as f:
                left = size
                while left:
                    piece = min(left, 4 * MIB)
                    f.write(os.urandom(piece))
                    left -= piece
        digests[name] = file_md5(path)
        argv = [sys.executable, upload] + (["--create-container"] if first else []) + [CONTAINER, name, path]
        done = subprocess.run(argv, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"run_macro.py: uploading {name} failed: {done.stderr.strip() or done.stdout.strip()}")
        first = False
    return digests


def file_md5(path):
    md5 = hashlib.md5()
    with open(path, "rb") as f:
        for piece in iter(lambda: f.read(4 * MIB), b""):
            md5.update(piece)
    return md5.hexdigest()


def fsync_cost_ms(data_path, out_dir, repeats=3):
    """Median extra milliseconds that fsync adds to writing `data_path`'s bytes to a new file in
    out_dir: what azmi's download_to_file pays for durability and the peers do not."""
    with open(data_path, "rb") as f:
        data = f.read()
    target = os.path.join(out_dir, "fsync-probe.bin")

    def write(sync):
        started = time.monotonic_ns()
        with open(target, "wb") as f:
            f.write(data)
            f.flush()
            if sync:
                os.fsync(f.fileno())
        elapsed = time.monotonic_ns() - started
        os.unlink(target)
        return elapsed

    plain = sorted(write(False) for _ in range(repeats))[repeats // 2]
    synced = sorted(write(True) for _ in range(repeats))[repeats // 2]
    return max(0.0, (synced - plain) / 1e6)


# ---- versions -----------------------------------------------------------------------------------

def command_output(argv, env=None):
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
        return (done.stdout.strip() or done.stderr.strip()).splitlines()[0] if done.returncode == 0 else ""
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return ""


def package_version(path):
    try:
        with open(path) as f:
            return json.load(f).get("version", "")
    except OSError:
        return ""


def collect_versions(npm_dir, python):
    v = {}
    v["curl"] = command_output(["curl", "--version"])
    v["python"] = command_output([python, "--version"])
    v["python_packages"] = command_output([python, "-c", (
        "import azure.identity, azure.storage.blob, azure.core, requests, msal;"
        "print(f'azure-identity {azure.identity.__version__}, azure-storage-blob {azure.storage.blob.__version__}, "
        "azure-core {azure.core.__version__}, requests {requests.__version__}, msal {msal.__version__}')")])
    v["node"] = command_output(["node", "--version"])
    if npm_dir:
        mods = os.path.join(npm_dir, "node_modules", "@azure")
        v["js_packages"] = ", ".join(
            f"@azure/{p} {package_version(os.path.join(mods, p, 'package.json'))}"
            for p in ("identity", "storage-blob", "msal-node", "core-rest-pipeline"))
    v["azurite"] = package_version(os.path.join(ROOT, ".cache", "npm", "node_modules", "azurite", "package.json"))
    return v


def machine_info():
    info = {"kernel": platform.release(), "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            models = [l.split(":", 1)[1].strip() for l in f if l.startswith("model name")]
        info["cpu"] = models[0] if models else platform.processor()
    except OSError:
        info["cpu"] = platform.processor()
    try:
        with open("/proc/meminfo") as f:
            kib = int(next(l for l in f if l.startswith("MemTotal")).split()[1])
        info["memory_gib"] = round(kib / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    try:
        with open("/etc/os-release") as f:
            info["os"] = next(l.split("=", 1)[1].strip().strip('"') for l in f if l.startswith("PRETTY_NAME="))
    except (OSError, StopIteration):
        pass
    return info


# ---- main ---------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--azmi", required=True, help="the azmi_bench_download binary")
    parser.add_argument("--npm-dir", default=os.path.join(ROOT, ".cache", "bench-npm"))
    parser.add_argument("--python", default="/usr/bin/python3", help="the Python that has Debian's azure packages")
    parser.add_argument("--work-dir", default=os.path.join(ROOT, "build", "bench", "run"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--runs-large", type=int, default=0, help="runs for blobs of 128 MiB and more (default --runs)")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--sizes", default="1KiB,1MiB,64MiB,256MiB")
    parser.add_argument("--contenders", default="azmi,curl,python,js,azmi-transport,curl-tmpfs",
                        help="azmi-transport and curl-tmpfs are diagnostics, not peers")
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 1:
        parser.error("--runs and --warmup must be at least 1 (the warm-up round checks the bytes)")
    require_env("AZMI_BLOB_ENDPOINT", "AZMI_CA_FILE", "MSI_ENDPOINT", "MSI_SECRET")
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit(f"run_macro.py: {GNU_TIME} is missing (Debian package 'time'); it measures peak RSS")
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    wanted = [c.strip() for c in args.contenders.split(",") if c.strip()]

    env = dict(os.environ)
    # Azure ML sets DEFAULT_IDENTITY_CLIENT_ID for the system identity; MSAL (JS) sends it as clientid.
    if not env.get("DEFAULT_IDENTITY_CLIENT_ID") and env.get("AZMI_TEST_SYSTEM_CLIENT_ID"):
        env["DEFAULT_IDENTITY_CLIENT_ID"] = env["AZMI_TEST_SYSTEM_CLIENT_ID"]
    os.environ["DEFAULT_IDENTITY_CLIENT_ID"] = env.get("DEFAULT_IDENTITY_CLIENT_ID", "")
    env["NODE_EXTRA_CA_CERTS"] = env["AZMI_CA_FILE"]
    env["REQUESTS_CA_BUNDLE"] = env["AZMI_CA_FILE"]
    env.pop("PYTHONPATH", None)  # Debian's python3 with its own site-packages only

    os.makedirs(args.work_dir, exist_ok=True)
    private = tempfile.mkdtemp(prefix="azmi-bench-")
    try:
        contenders = []
        for name in wanted:
            if name == "azmi":
                contenders.append(ProgramContender("azmi", "azmi", [os.path.abspath(args.azmi)], env, parallel_chunk=None))
            elif name == "azmi-transport":
                contenders.append(TransportProbe("azmi-transport", "azmi `curl_transport` alone (diagnostic)",
                                                 [os.path.abspath(args.azmi)], env))
            elif name == "curl":
                contenders.append(CurlContender(env, private))
            elif name == "curl-tmpfs":
                contenders.append(CurlTmpfsProbe(env, private))
            elif name == "python":
                contenders.append(ProgramContender(
                    "python", "Python SDK", [args.python, os.path.join(PEERS, "python_download.py")], env))
            elif name == "js":
                # ESM resolves packages next to the script, so it runs from the npm directory.
                script = os.path.join(args.npm_dir, "js_download.mjs")
                shutil.copyfile(os.path.join(PEERS, "js_download.mjs"), script)
                contenders.append(ProgramContender("js", "JavaScript SDK", ["node", script], env, file_parallel=False))
            else:
                parser.error(f"unknown contender {name!r}")

        print(f"==> uploading {len(sizes)} random blobs and hello.txt", flush=True)
        digests = prepare_blobs(sizes, os.path.join(args.work_dir, "data"), env)

        scenarios = [Scenario("cold", len(HELLO_TEXT), "hello.txt", "memory", False)]
        for size in sizes:
            for mode in ("memory", "file"):
                scenarios.append(Scenario("download", size, blob_name(size), mode, False))
            if size >= 16 * MIB:
                for mode in ("memory", "file"):
                    scenarios.append(Scenario("download", size, blob_name(size), mode, True))

        results = {
            "meta": {
                "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                "machine": machine_info(),
                "loadavg_start": os.getloadavg(),
                "versions": collect_versions(args.npm_dir, args.python),
                "runs": args.runs, "runs_large": args.runs_large or args.runs, "warmup": args.warmup,
                "parallel": PARALLEL, "parallel_chunk": PARALLEL_CHUNK,
                "contenders": {c.name: c.label for c in contenders},
                "diagnostics": [c.name for c in contenders if isinstance(c, (TransportProbe, CurlTmpfsProbe))],
            },
            "scenarios": [],
        }
        out_dir = os.path.join(args.work_dir, "out")
        os.makedirs(out_dir, exist_ok=True)
        started = time.monotonic()
        for sc in scenarios:
            runs = (args.runs_large or args.runs) if sc.size >= 128 * MIB else args.runs
            entry = {"id": sc.id, "kind": sc.kind, "size": sc.size, "blob": sc.blob, "mode": sc.mode,
                     "parallel": sc.parallel, "results": {}}
            active = [c for c in contenders if c.supports(sc)]
            for c in contenders:
                entry["results"][c.name] = ({"runs": [], "error": None, "command": c.describe(sc)} if c in active
                                            else {"runs": [], "error": None, "unsupported": True})
            print(f"==> {sc.id}: {args.warmup} warm-up + {runs} runs of {', '.join(c.name for c in active)}",
                  flush=True)
            for rnd in range(args.warmup + runs):
                for c in active:
                    slot = entry["results"][c.name]
                    if slot["error"]:
                        continue
                    if isinstance(c, CurlContender) and rnd == 0:
                        c.refresh_token()  # tokens live a day; one per scenario keeps that true
                    output = os.path.join(out_dir, f"{c.name}-{sc.blob}")
                    m, err = c.run(sc, output)
                    if not err and m["bytes"] != sc.size:
                        err = f"read {m['bytes']} bytes, expected {sc.size}"
                    if not err and sc.mode == "file" and sc.kind != "cold":
                        if not os.path.exists(output) or os.path.getsize(output) != sc.size:
                            err = "the output file is missing or has the wrong size"
                        elif rnd == 0 and file_md5(output) != digests[sc.blob]:
                            err = "the output file's bytes differ from the uploaded blob"
                    if os.path.exists(output):
                        os.unlink(output)
                    if err:
                        slot["error"] = f"round {rnd}: {err}"
                        print(f"    {c.name}: FAILED {slot['error']}", flush=True)
                        continue
                    if rnd >= args.warmup:
                        slot["runs"].append(m)
            key = "to_last_byte_ns" if sc.kind == "cold" else "download_ns"
            for c in active:
                slot = entry["results"][c.name]
                if slot["runs"]:
                    t = sorted(r.get(key, r["wall_ns"]) for r in slot["runs"])[len(slot["runs"]) // 2] / 1e6
                    rss = max(r["rss_kib"] for r in slot["runs"]) / 1024
                    print(f"    {c.name:<7} median {t:9.1f} ms   peak RSS {rss:7.1f} MiB", flush=True)
            results["scenarios"].append(entry)
        results["meta"]["fsync_ms"] = {
            size_label(size): round(fsync_cost_ms(os.path.join(args.work_dir, "data", blob_name(size)), out_dir), 1)
            for size in sizes if size >= MIB}
        results["meta"]["loadavg_end"] = os.getloadavg()
        results["meta"]["seconds"] = round(time.monotonic() - started, 1)
    finally:
        shutil.rmtree(private, ignore_errors=True)

    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    print(f"==> wrote {args.out} ({results['meta']['seconds']} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
