# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
"""Tests for scripts/identity-emulator: each class starts the real script on port 0 and talks HTTP to it."""

import base64
import calendar
import http.client
import importlib.machinery
import importlib.util
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "identity-emulator"
SECRET = "s3cr3t-Value-0123456789abcdef"
SYSTEM_ID = "11111111-1111-4111-8111-111111111111"
UAI_1 = "aaaaaaaa-0000-4000-8000-000000000001"
UAI_2 = "aaaaaaaa-0000-4000-8000-000000000002"
STORAGE = "https://storage.azure.com/"
START_TIMEOUT = 10
# What Azurite --oauth basic accepts (REST-SPEC §8, rules 5 and 6).
AZURITE_ISSUERS = ("https://sts.windows.net/", "https://sts.microsoftonline.de/",
                   "https://sts.chinacloudapi.cn/", "https://sts.windows-ppe.net")
AZURITE_AUDIENCE = re.compile(
    r"https://storage\.azure\.com/?|e406a681-f3d4-42a8-90b6-c2b029497af1"
    r"|https://[a-z0-9]+\.blob\.core\.(windows\.net|chinacloudapi\.cn|usgovcloudapi\.net|cloudapi\.de)/?")


def load_module():
    """Import the script (it has no .py suffix) for direct tests of its pure functions."""
    sys.dont_write_bytecode = True  # no __pycache__ beside the script
    loader = importlib.machinery.SourceFileLoader("identity_emulator", str(SCRIPT))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


def b64url_decode(segment):
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def decode_jwt(token):
    parts = token.split(".")
    assert len(parts) == 3, "a JWT has three segments"
    for part in parts:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", part), "base64url without padding"
    return json.loads(b64url_decode(parts[0])), json.loads(b64url_decode(parts[1])), b64url_decode(parts[2])


def azurite_violations(claims, now):
    """The REST-SPEC §8 checks Azurite --oauth basic makes; returns the ones that fail."""
    bad = [f"{c} missing" for c in ("nbf", "exp", "iat") if not isinstance(claims.get(c), int)]
    if not bad and now < claims["nbf"]:
        bad.append("not yet valid")
    if not bad and now > claims["exp"]:
        bad.append("expired")
    if not str(claims.get("iss", "")).startswith(AZURITE_ISSUERS):
        bad.append("issuer")
    if not AZURITE_AUDIENCE.fullmatch(str(claims.get("aud", ""))):
        bad.append("audience")
    return bad


def parse_expires_on(value):
    """REST-SPEC §4.3: a number, a numeric string, or one of the two App Service 2017 date forms."""
    if isinstance(value, int):
        return value
    if value.isdigit():
        return int(value)
    for form in ("%m/%d/%Y %H:%M:%S +00:00", "%m/%d/%Y %I:%M:%S %p +00:00"):
        try:
            return calendar.timegm(time.strptime(value, form))
        except ValueError:
            pass
    raise ValueError(f"unparseable expires_on {value!r}")


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


class Emulator:
    """The script as a child process; stdout/stderr go to files so a chatty child never blocks."""

    def __init__(self, *args, secret=SECRET):
        self.dir = tempfile.mkdtemp(prefix="identity-emulator-test-")
        self.port_file = os.path.join(self.dir, "port")
        self._out = open(os.path.join(self.dir, "stdout"), "w+")
        self._err = open(os.path.join(self.dir, "stderr"), "w+")
        argv = [str(SCRIPT), "--port-file", self.port_file, *args]
        if secret is not None:
            argv += ["--secret", secret]
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._out, stderr=self._err)
        deadline = time.monotonic() + START_TIMEOUT
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"emulator did not start: {self.stderr()}")
            time.sleep(0.02)
        with open(self.port_file) as f:
            self.port = int(f.read())

    def stop(self, signum=signal.SIGTERM):
        """Signal the child and wait (bounded); returns its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode

    def cleanup(self):
        self.stop()
        self._out.close()
        self._err.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def stdout(self):
        with open(self._out.name) as f:
            return f.read()

    def stderr(self):
        with open(self._err.name) as f:
            return f.read()

    def request(self, path, headers=None, method="GET", body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return Response(resp.status, resp.headers, resp.read())
        finally:
            conn.close()

    def token(self, secret=SECRET, headers=None, **params):
        """GET /msi/token; keyword `api_version` becomes `api-version`, None values are left out."""
        params = {k.replace("_", "-") if k == "api_version" else k: v for k, v in params.items()}
        params.setdefault("api-version", "2017-09-01")
        params.setdefault("resource", STORAGE)
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        sent = {"Metadata": "true", **({"secret": secret} if secret is not None else {}), **(headers or {})}
        return self.request(f"/msi/token?{query}", sent)

    def faults(self, *faults):
        resp = self.request("/control/faults", {"Content-Type": "application/json"}, "POST",
                            json.dumps(list(faults)))
        assert resp.status == 200, resp.body
        return resp.json()

    def stats(self):
        return self.request("/control/stats").json()


class EmulatorTestCase(unittest.TestCase):
    """One emulator per class, reset before every test; the logs are checked for leaks at the end."""

    args = ("--system-client-id", SYSTEM_ID, "--user-client-id", UAI_1, "--user-client-id", UAI_2)

    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(*cls.args)
        cls.tokens = []

    @classmethod
    def tearDownClass(cls):
        rc = cls.emu.stop()
        out, err = cls.emu.stdout(), cls.emu.stderr()
        cls.emu.cleanup()
        assert rc == 0, f"emulator exit code {rc}"
        assert SECRET not in out + err, "the secret leaked into the emulator's output"
        assert not any(t in out + err for t in cls.tokens), "a token leaked into the emulator's output"

    def setUp(self):
        self.assertEqual(self.emu.request("/control/reset", method="POST").status, 200)

    def ok_token(self, **params):
        resp = self.emu.token(**params)
        self.assertEqual(resp.status, 200, resp.body)
        body = resp.json()
        self.tokens.append(body["access_token"])
        return body

    def assert_error(self, resp, status, error=None):
        self.assertEqual(resp.status, status)
        self.assertTrue(resp.headers["Content-Type"].startswith("application/json"))
        body = resp.json()
        self.assertIsInstance(body["error_description"], str)
        if error:
            self.assertEqual(body["error"], error)
        self.assertNotIn(SECRET, resp.body.decode())
        return body


class ProtocolTests(EmulatorTestCase):
    def test_system_identity_when_no_clientid(self):
        body = self.ok_token()
        self.assertEqual(body["client_id"], SYSTEM_ID)
        self.assertEqual(body["resource"], STORAGE)
        self.assertEqual(body["token_type"], "Bearer")
        self.assertEqual(body["expires_in"], "3600")
        _, claims, _ = decode_jwt(body["access_token"])
        self.assertEqual(claims["appid"], SYSTEM_ID)
        self.assertEqual(parse_expires_on(body["expires_on"]), claims["exp"])
        self.assertIsInstance(body["expires_on"], str)  # default form: epoch-string
        self.assertNotIn("refresh_in", body)

    def test_system_identity_by_its_client_id_any_case(self):
        body = self.ok_token(clientid=SYSTEM_ID.upper())
        self.assertEqual(body["client_id"], SYSTEM_ID)

    def test_user_assigned_identities(self):
        first, second, again = (self.ok_token(clientid=c) for c in (UAI_1, UAI_2, UAI_1))
        system = decode_jwt(self.ok_token()["access_token"])[1]
        claims = [decode_jwt(b["access_token"])[1] for b in (first, second, again)]
        self.assertEqual([first["client_id"], second["client_id"]], [UAI_1, UAI_2])
        self.assertEqual([c["appid"] for c in claims], [UAI_1, UAI_2, UAI_1])
        self.assertEqual(claims[0]["oid"], claims[2]["oid"], "oid is stable per identity")
        self.assertEqual(len({claims[0]["oid"], claims[1]["oid"], system["oid"]}), 3)
        self.assertNotEqual(claims[0]["jti"], claims[2]["jti"])
        self.assertNotEqual(first["access_token"], again["access_token"])

    def test_unknown_client_id(self):
        body = self.assert_error(self.emu.token(clientid="bbbbbbbb-0000-4000-8000-000000000009"), 400)
        self.assertEqual(body, {"error": "invalid_request", "error_description": "Identity not found"})

    def test_other_protocols_selectors_rejected(self):
        for name in ("client_id", "object_id", "mi_res_id"):
            self.assert_error(self.emu.request(
                f"/msi/token?resource={STORAGE}&{name}={UAI_1}", {"secret": SECRET}), 400, "invalid_request")

    def test_missing_and_wrong_secret(self):
        for secret in (None, "", "wrong", SECRET[:-1], SECRET + "x", SECRET.upper()):
            with self.subTest(secret=secret):
                self.assert_error(self.emu.token(secret=secret), 401, "unauthorized_client")
        two = self.emu.request(f"/msi/token?resource={STORAGE}", {"secret": SECRET, "Secret": SECRET})
        self.assert_error(two, 401)

    def test_secret_header_name_is_case_insensitive(self):
        resp = self.emu.request(f"/msi/token?resource={STORAGE}", {"SECRET": SECRET})
        self.assertEqual(resp.status, 200)
        self.tokens.append(resp.json()["access_token"])

    def test_api_version_optional_but_checked(self):
        self.ok_token(api_version=None)
        for version in ("2019-08-01", "2018-02-01", ""):
            self.assert_error(self.emu.token(api_version=version), 400, "invalid_request")

    def test_resource_required(self):
        self.assert_error(self.emu.token(resource=None), 400, "invalid_request")
        self.assert_error(self.emu.token(resource=""), 400, "invalid_request")
        dup = self.emu.request(f"/msi/token?resource={STORAGE}&resource=https://x/", {"secret": SECRET})
        self.assert_error(dup, 400, "invalid_request")

    def test_seed_request_shape(self):
        # Exactly what the Azure ML scoring script's get_token_rest() sends: no api-version, the
        # resource unencoded, headers secret + Metadata.
        endpoint = f"http://127.0.0.1:{self.emu.port}/msi/token"
        url = endpoint + f"?clientid={UAI_1}&resource=https://storage.azure.com/"
        req = urllib.request.Request(url, headers={"secret": SECRET, "Metadata": "true"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = json.load(resp)
        self.tokens.append(body["access_token"])
        self.assertEqual((body["client_id"], body["resource"]), (UAI_1, STORAGE))

    def test_jwt_passes_azurite_oauth_basic(self):
        account = "https://acct1.blob.core.windows.net/"
        for resource, aud in ((STORAGE, STORAGE), (account, account),
                              ("https://storage.azure.com/.default", "https://storage.azure.com")):
            with self.subTest(resource=resource):
                before = int(time.time())
                body = self.ok_token(resource=resource)
                header, claims, signature = decode_jwt(body["access_token"])
                now = int(time.time())
                self.assertEqual(header, {"typ": "JWT", "alg": "RS256"})
                self.assertEqual(claims["aud"], aud)
                self.assertEqual(body["resource"], resource, "resource is echoed as requested")
                self.assertEqual(azurite_violations(claims, now), [])
                self.assertRegex(claims["iss"], r"^https://sts\.windows\.net/[^/]+/$")
                self.assertEqual(claims["tid"], claims["iss"].split("/")[3])
                self.assertTrue(before <= claims["iat"] <= now)
                self.assertLess(claims["nbf"], claims["iat"], "nbf in the past tolerates clock skew")
                self.assertEqual(claims["exp"] - claims["iat"], 3600)
                self.assertRegex(claims["oid"], r"^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$")
                self.assertGreaterEqual(len(signature), 64)

    def test_post_to_token_endpoint_is_405(self):
        resp = self.emu.request(f"/msi/token?resource={STORAGE}", {"secret": SECRET}, "POST", "resource=x")
        self.assert_error(resp, 405)
        self.assertEqual(resp.headers["Allow"], "GET")

    def test_unknown_paths_are_404_json(self):
        for path in ("/", "/msi/token/", "/metadata/identity/oauth2/token", "/control/nope", "/control"):
            with self.subTest(path=path):
                self.assert_error(self.emu.request(path, {"secret": SECRET}), 404, "not_found")

    def test_control_wrong_method_is_405(self):
        self.assert_error(self.emu.request("/control/faults"), 405)
        self.assert_error(self.emu.request("/control/stats", method="POST"), 405)

    def test_requests_are_served_concurrently(self):
        self.emu.faults({"kind": "delay", "ms": 1500})
        slow = threading.Thread(target=self.ok_token)
        slow.start()
        time.sleep(0.2)
        started = time.monotonic()
        self.ok_token()
        self.assertLess(time.monotonic() - started, 1.0, "a delayed request must not block others")
        slow.join(timeout=10)
        self.assertFalse(slow.is_alive())


class ExpiresOnFormTests(EmulatorTestCase):
    def test_golden_formats(self):
        mod = load_module()
        linux = calendar.timegm((2019, 6, 20, 2, 57, 58))
        self.assertEqual(mod.format_expires_on(linux, "date-linux"), "06/20/2019 02:57:58 +00:00")
        cases = {(5, 24, 12): "1/16/2020 5:24:12 AM +00:00", (17, 24, 12): "1/16/2020 5:24:12 PM +00:00",
                 (0, 5, 0): "1/16/2020 12:05:00 AM +00:00", (12, 0, 0): "1/16/2020 12:00:00 PM +00:00"}
        for (h, m, s), text in cases.items():
            epoch = calendar.timegm((2020, 1, 16, h, m, s))
            self.assertEqual(mod.format_expires_on(epoch, "date-windows"), text)
            self.assertEqual(parse_expires_on(text), epoch)
        self.assertEqual(mod.format_expires_on(1700000000, "epoch-number"), 1700000000)
        self.assertEqual(mod.format_expires_on(1700000000, "epoch-string"), "1700000000")
        self.assertIsNone(mod.format_expires_on(1700000000, "expires-in-only"))

    def test_every_form_over_http(self):
        shapes = {"epoch-number": r"^\d+$", "epoch-string": r"^\d+$",
                  "date-linux": r"^\d\d/\d\d/\d{4} \d\d:\d\d:\d\d \+00:00$",
                  "date-windows": r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d:\d\d [AP]M \+00:00$"}
        for form, shape in shapes.items():
            with self.subTest(form=form):
                self.emu.faults({"kind": "expires-on-form", "form": form})
                body = self.ok_token()
                exp = decode_jwt(body["access_token"])[1]["exp"]
                self.assertIsInstance(body["expires_on"], int if form == "epoch-number" else str)
                self.assertRegex(str(body["expires_on"]), shape)
                self.assertEqual(parse_expires_on(body["expires_on"]), exp)
                self.assertEqual(body["expires_in"], "3600")

    def test_expires_in_only(self):
        self.emu.faults({"kind": "expires-on-form", "form": "expires-in-only"})
        body = self.ok_token()
        self.assertNotIn("expires_on", body)
        self.assertEqual(body["expires_in"], 3600)
        self.assertIsInstance(self.ok_token()["expires_on"], str, "the override lasts one request")


class FaultTests(EmulatorTestCase):
    def test_status_with_retry_after_and_count(self):
        self.assertEqual(self.emu.faults({"kind": "status", "status": 503, "count": 2, "retry_after": 1}),
                         {"faults_pending": 2})
        for pending in (1, 0):
            resp = self.emu.token()
            self.assert_error(resp, 503)
            self.assertEqual(resp.headers["Retry-After"], "1")
            self.assertEqual(self.emu.stats()["faults_pending"], pending)
        self.ok_token()

    def test_status_with_body_and_headers(self):
        self.emu.faults({"kind": "status", "status": 429, "body": "slow down",
                         "headers": {"x-ms-retry-after-ms": "250"}})
        resp = self.emu.token()
        self.assertEqual((resp.status, resp.body), (429, b"slow down"))
        self.assertEqual(resp.headers["x-ms-retry-after-ms"], "250")
        self.assertIsNone(resp.headers["Retry-After"])

    def test_faults_apply_in_order(self):
        self.emu.faults({"kind": "status", "status": 500}, {"kind": "drop"},
                        {"kind": "lifetime", "seconds": 7})
        self.assertEqual(self.emu.token().status, 500)
        with self.assertRaises(ConnectionError):  # RemoteDisconnected is a ConnectionResetError
            self.emu.token()
        self.assertEqual(self.ok_token()["expires_in"], "7")
        self.assertEqual(self.ok_token()["expires_in"], "3600")

    def test_drop_closes_without_response(self):
        self.emu.faults({"kind": "drop", "count": 2})
        for _ in range(2):
            with self.assertRaises(http.client.RemoteDisconnected):
                self.emu.token()
        self.assertEqual([r["status"] for r in self.emu.stats()["requests"]], [None, None])
        self.ok_token()

    def test_delay(self):
        self.emu.faults({"kind": "delay", "ms": 700})
        started = time.monotonic()
        body = self.ok_token()
        self.assertGreaterEqual(time.monotonic() - started, 0.65)
        self.assertEqual(azurite_violations(decode_jwt(body["access_token"])[1], int(time.time())), [])

    def test_malformed_variants(self):
        for variant in ("not-json", "missing-token", "missing-expiry", "bad-expiry", "empty"):
            with self.subTest(variant=variant):
                self.emu.faults({"kind": "malformed", "variant": variant})
                resp = self.emu.token()
                self.assertEqual(resp.status, 200)
                if variant in ("not-json", "empty"):
                    self.assertEqual(len(resp.body) > 0, variant == "not-json")
                    with self.assertRaises(ValueError):
                        json.loads(resp.body)
                    continue
                body = resp.json()
                if variant == "missing-token":
                    self.assertNotIn("access_token", body)
                    self.assertIn("expires_on", body)
                else:
                    self.tokens.append(body["access_token"])
                if variant == "missing-expiry":
                    self.assertFalse({"expires_on", "expires_in"} & set(body))
                if variant == "bad-expiry":
                    with self.assertRaises(ValueError):
                        parse_expires_on(body["expires_on"])
                    self.assertFalse(body["expires_in"].isdigit())

    def test_truncated_body(self):
        self.emu.faults({"kind": "malformed", "variant": "truncated"})
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=10)
        try:
            conn.request("GET", f"/msi/token?resource={STORAGE}", headers={"secret": SECRET})
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            with self.assertRaises(http.client.IncompleteRead) as caught:
                resp.read()
            self.assertGreater(caught.exception.expected, 0)
        finally:
            conn.close()
        self.ok_token()

    def test_short_lifetime(self):
        self.emu.faults({"kind": "lifetime", "seconds": 5})
        body = self.ok_token()
        claims = decode_jwt(body["access_token"])[1]
        self.assertEqual(claims["exp"] - claims["iat"], 5)
        self.assertEqual(body["expires_in"], "5")
        self.assertEqual(int(body["expires_on"]), claims["exp"])

    def test_wrong_audience_and_issuer_fail_azurite_rules(self):
        self.emu.faults({"kind": "audience", "aud": "https://wrong.example/"},
                        {"kind": "issuer", "iss": "https://evil.example/"})
        for expected, claim, value in (("audience", "aud", "https://wrong.example/"),
                                       ("issuer", "iss", "https://evil.example/")):
            body = self.ok_token()
            claims = decode_jwt(body["access_token"])[1]
            self.assertEqual(claims[claim], value)
            self.assertEqual(body["resource"], STORAGE)
            self.assertEqual(azurite_violations(claims, int(time.time())), [expected])

    def test_expired_token(self):
        self.emu.faults({"kind": "expired"})
        body = self.ok_token()
        claims = decode_jwt(body["access_token"])[1]
        now = int(time.time())
        self.assertLess(claims["exp"], now)
        self.assertLess(claims["nbf"], claims["iat"])
        self.assertLess(claims["iat"], claims["exp"])
        self.assertEqual(azurite_violations(claims, now), ["expired"])
        self.assertGreater(int(body["expires_on"]), now, "only the JWT is expired (clock-skew scenario)")

    def test_refresh_in(self):
        self.emu.faults({"kind": "refresh-in", "seconds": 42})
        self.assertEqual(self.ok_token()["refresh_in"], 42)
        self.assertNotIn("refresh_in", self.ok_token())

    def test_transport_faults_act_before_checks_content_faults_after(self):
        self.emu.faults({"kind": "status", "status": 502}, {"kind": "lifetime", "seconds": 9})
        self.assert_error(self.emu.token(secret="wrong"), 502)
        self.assert_error(self.emu.token(secret="wrong"), 401)  # consumes the lifetime fault
        self.assertEqual(self.ok_token()["expires_in"], "3600")

    def test_invalid_faults_are_rejected_atomically(self):
        bad = [{"kind": "nope"}, {"kind": "status"}, {"kind": "status", "status": 200},
               {"kind": "drop", "count": 0}, {"kind": "drop", "count": True}, {"kind": "drop", "extra": 1},
               {"kind": "malformed", "variant": "weird"}, {"kind": "expires-on-form", "form": "iso"},
               {"kind": "delay", "ms": -1}, {"kind": "lifetime", "seconds": "5"},
               {"kind": "audience", "aud": 1},
               {"kind": "status", "status": 503, "headers": {"x": "a\r\nb"}}, "drop"]
        for fault in bad:
            with self.subTest(fault=fault):
                body = json.dumps([{"kind": "drop"}, fault])
                resp = self.emu.request("/control/faults", method="POST", body=body)
                self.assert_error(resp, 400, "invalid_fault")
        self.assert_error(self.emu.request("/control/faults", method="POST", body="{not json"), 400)
        self.assertEqual(self.emu.stats()["faults_pending"], 0)


class StatsTests(EmulatorTestCase):
    def test_counts_and_redaction(self):
        self.ok_token()
        self.ok_token(clientid=SYSTEM_ID)
        self.ok_token(clientid=UAI_1)
        self.emu.token(clientid="unknown-id")
        self.emu.token(secret="wrong-secret", headers={"Authorization": "Bearer abc.def.ghi",
                                                         "X-IDENTITY-HEADER": "hdr-value"})
        self.emu.token(leak=SECRET)
        self.emu.faults({"kind": "drop", "count": 3}, {"kind": "expired"})
        stats = self.emu.stats()
        self.assertEqual(stats["token_requests"], 6)
        self.assertEqual(stats["by_client_id"], {SYSTEM_ID: 4, UAI_1: 1, "unknown-id": 1})
        self.assertEqual(stats["faults_pending"], 4)
        self.assertEqual([r["status"] for r in stats["requests"]], [200, 200, 200, 400, 401, 200])
        self.assertEqual(stats["requests"][-1]["query"]["leak"], "REDACTED")
        first = stats["requests"][0]
        self.assertEqual(first["path"], "/msi/token")
        self.assertEqual(first["query"], {"api-version": "2017-09-01", "resource": STORAGE})
        self.assertEqual(first["headers"]["secret"], "REDACTED")
        self.assertEqual(first["headers"]["Metadata"], "true")
        last = stats["requests"][-2]["headers"]
        for name in ("secret", "Authorization", "X-IDENTITY-HEADER"):
            self.assertEqual(last[name], "REDACTED")
        dump = json.dumps(stats)
        for hidden in (SECRET, "wrong-secret", "abc.def.ghi", "hdr-value", *self.tokens):
            self.assertNotIn(hidden, dump)

    def test_keeps_the_last_100_requests(self):
        for i in range(105):
            self.emu.token(resource=f"https://r{i}.example/")
        stats = self.emu.stats()
        self.assertEqual(stats["token_requests"], 105)
        self.assertEqual(len(stats["requests"]), 100)
        self.assertEqual(stats["requests"][0]["query"]["resource"], "https://r5.example/")

    def test_reset_clears_everything(self):
        self.ok_token()
        self.emu.faults({"kind": "drop", "count": 5})
        self.assertEqual(self.emu.request("/control/reset", method="POST").json()["faults_pending"], 0)
        stats = self.emu.stats()
        self.assertEqual((stats["token_requests"], stats["by_client_id"], stats["faults_pending"],
                          stats["faults"], stats["requests"]), (0, {}, 0, [], []))
        self.ok_token()  # no fault left

    def test_config_shown_without_secret(self):
        config = self.emu.stats()["config"]
        self.assertEqual((config["system_client_id"], config["user_client_ids"]), (SYSTEM_ID, [UAI_1, UAI_2]))
        self.assertNotIn(SECRET, json.dumps(config))


class CliTests(unittest.TestCase):
    def start(self, *args, **kw):
        emu = Emulator(*args, **kw)
        self.addCleanup(emu.cleanup)
        return emu

    def run_script(self, *args):
        return subprocess.run([str(SCRIPT), *args], stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=30)

    def test_refuses_non_loopback_host(self):
        with tempfile.TemporaryDirectory() as d:
            port_file = os.path.join(d, "port")
            for host in ("0.0.0.0", "localhost", "::1", "192.168.1.10"):
                with self.subTest(host=host):
                    res = self.run_script("--host", host, "--secret", SECRET, "--port-file", port_file)
                    self.assertEqual(res.returncode, 2)
                    self.assertIn("127.0.0.1", res.stderr)
                    self.assertFalse(os.path.exists(port_file))

    def test_usage_errors(self):
        for args in ((), ("--secret", SECRET, "--secret-file", "/tmp/x"), ("--secret", ""),
                     ("--secret", SECRET, "--tenant-id", "not-a-guid"),
                     ("--secret", SECRET, "--token-lifetime", "0"),
                     ("--secret", SECRET, "--expires-on-form", "iso"),
                     ("--secret", SECRET, "--user-client-id", SYSTEM_ID, "--system-client-id", SYSTEM_ID)):
            with self.subTest(args=args):
                res = self.run_script(*args)
                self.assertEqual(res.returncode, 2)
                self.assertNotIn(SECRET, res.stderr + res.stdout)

    def test_help_documents_the_protocol(self):
        res = self.run_script("--help")
        self.assertEqual(res.returncode, 0)
        for text in ("MSI_ENDPOINT", "MSI_SECRET", "/control/faults", "--expires-on-form",
                     "Identity not found"):
            self.assertIn(text, res.stdout)

    def test_generated_secret_goes_only_to_the_secret_file(self):
        with tempfile.TemporaryDirectory() as d:
            secret_file = os.path.join(d, "secret")
            emu = self.start("--secret-file", secret_file, secret=None)
            self.assertEqual(os.stat(secret_file).st_mode & 0o777, 0o600)
            with open(secret_file) as f:
                secret = f.read()
            self.assertGreaterEqual(len(secret), 32)
            self.assertEqual(emu.token(secret=secret).status, 200)
            self.assertEqual(emu.token(secret=SECRET).status, 401)
            self.assertEqual(emu.stop(), 0)
            expected = f"identity-emulator listening on http://127.0.0.1:{emu.port}/msi/token\n"
            self.assertEqual(emu.stdout(), expected)
            self.assertNotIn(secret, emu.stdout() + emu.stderr())

    def test_sigterm_and_sigint_exit_cleanly(self):
        for signum in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(signal=signum):
                emu = self.start()
                self.assertEqual(emu.token().status, 200)
                self.assertEqual(emu.stop(signum), 0)
                self.assertFalse(os.path.exists(emu.port_file), "the port file goes away on exit")
                self.assertNotIn("Traceback", emu.stderr())

    def test_sigterm_with_an_idle_keep_alive_connection(self):
        emu = self.start()
        conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request("GET", "/control/stats")
        conn.getresponse().read()  # the connection stays open, its handler thread waiting
        started = time.monotonic()
        self.assertEqual(emu.stop(), 0)
        self.assertLess(time.monotonic() - started, 5)

    def test_port_in_use_is_an_error(self):
        first = self.start()
        res = self.run_script("--secret", SECRET, "--port", str(first.port))
        self.assertEqual(res.returncode, 1)
        self.assertIn("cannot listen", res.stderr)

    def test_start_up_defaults(self):
        tenant = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
        emu = self.start("--token-lifetime", "120", "--expires-on-form", "date-linux", "--refresh-in", "30",
                         "--tenant-id", tenant)
        body = emu.token().json()
        claims = decode_jwt(body["access_token"])[1]
        self.assertEqual(claims["exp"] - claims["iat"], 120)
        self.assertEqual(body["expires_in"], "120")
        self.assertEqual(parse_expires_on(body["expires_on"]), claims["exp"])
        self.assertRegex(body["expires_on"], r"^\d\d/\d\d/\d{4} ")
        self.assertEqual(body["refresh_in"], 30)
        self.assertEqual((claims["iss"], claims["tid"]), (f"https://sts.windows.net/{tenant}/", tenant))

    def test_epoch_number_default_and_system_client_id_default(self):
        emu = self.start("--expires-on-form", "epoch-number")
        body = emu.token().json()
        self.assertIsInstance(body["expires_on"], int)
        self.assertEqual(body["client_id"], load_module().DEFAULT_SYSTEM_CLIENT_ID)

    def test_log_lines_are_redacted(self):
        emu = self.start()
        token = emu.token().json()["access_token"]
        emu.token(secret="wrong-one")
        emu.request(f"/msi/token?resource={STORAGE}&leak={SECRET}", {"secret": SECRET})
        emu.request("/nope", {"Authorization": "Bearer xyz"})
        self.assertEqual(emu.stop(), 0)
        lines = emu.stderr().splitlines()
        self.assertEqual(len(lines), 4, lines)
        self.assertTrue(all(line.startswith("identity-emulator: ") for line in lines))
        # Handler threads log after answering, so lines may come out of request order.
        self.assertEqual(sorted(line.split(" -> ")[1][:3] for line in lines), ["200", "200", "401", "404"])
        for hidden in (SECRET, token, "wrong-one", "Bearer xyz"):
            self.assertNotIn(hidden, emu.stderr())

    def test_quiet(self):
        emu = self.start("--quiet")
        emu.token()
        emu.token(secret="nope")
        self.assertEqual(emu.stop(), 0)
        self.assertEqual(emu.stderr(), "")


if __name__ == "__main__":
    unittest.main()
