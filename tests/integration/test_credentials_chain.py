"""The credential chain end to end: `costwatch whoami` against real local peers.

STS is moto's server (AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity); instance
metadata, the container endpoint and the SSO portal are the stand-ins in credential_standins.py.
Every test also checks that no secret or token reaches stdout or stderr.
"""

import hashlib
import logging
import json
import os
import unittest

from moto.server import ThreadedMotoServer

from costwatch_cli import TempDir, run_costwatch
from credential_standins import (SECRET_KEY, SESSION_TOKEN, Container, Imds, SsoPortal,
                                 expiration)

BASE_KEY = "AKIAIOSFODNN7EXAMPLE"
BASE_SECRET = "BaseSecretKeyThatMustNeverBePrinted0123456"
WEB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdCJ9.sig"
SECRETS = [BASE_SECRET, SECRET_KEY, SESSION_TOKEN, WEB_TOKEN, "sso-access-token-abcdef0123456789"]


class CredentialsChainTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto logs every request
        cls.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        cls.moto.start()
        host, port = cls.moto.get_host_and_port()
        cls.sts_url = f"http://{host}:{port}"

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()

    def setUp(self):
        self._tmp = TempDir()
        self.home = self._tmp.__enter__()
        self.addCleanup(self._tmp.__exit__, None, None, None)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home,
            "AWS_CONFIG_FILE": os.path.join(self.home, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.home, "credentials"),
            "AWS_ENDPOINT_URL_STS": self.sts_url,
            "AWS_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def write(self, name, text):
        path = os.path.join(self.home, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path

    def whoami(self, *args, expect=0):
        code, out, err = run_costwatch(["whoami", "--json"] + list(args), env=self.env)
        for secret in SECRETS:
            self.assertNotIn(secret, out + err)
        self.assertEqual(code, expect, f"stdout: {out}\nstderr: {err}")
        return json.loads(out) if code == 0 else err

    def base_profile(self, extra=""):
        self.write("credentials", f"[base]\naws_access_key_id = {BASE_KEY}\n"
                                  f"aws_secret_access_key = {BASE_SECRET}\n")
        self.write("config", "[profile reader]\n"
                             "role_arn = arn:aws:iam::111111111111:role/costwatch-reader\n"
                             "source_profile = base\nrole_session_name = nightly\n"
                             "external_id = ext-1\nduration_seconds = 900\n"
                             "[profile chained]\n"
                             "role_arn = arn:aws:iam::222222222222:role/billing\n"
                             "source_profile = reader\n" + extra)

    def test_environment_keys(self):
        self.env.update(AWS_ACCESS_KEY_ID=BASE_KEY, AWS_SECRET_ACCESS_KEY=BASE_SECRET)
        identity = self.whoami()
        self.assertEqual(identity["Account"], "123456789012")
        self.assertEqual(identity["Provider"], "environment")

    def test_assume_role_with_source_profile(self):
        self.base_profile()
        identity = self.whoami("--profile", "reader")
        self.assertEqual(identity["Account"], "111111111111")
        self.assertEqual(identity["Arn"],
                         "arn:aws:sts::111111111111:assumed-role/costwatch-reader/nightly")
        self.assertIn("assume role arn:aws:iam::111111111111:role/costwatch-reader",
                      identity["Provider"])

    def test_chained_roles(self):
        self.base_profile()
        identity = self.whoami("--profile", "chained")
        self.assertEqual(identity["Account"], "222222222222")
        self.assertIn(":assumed-role/billing/costwatch-session-", identity["Arn"])

    def test_mfa_profiles_are_refused(self):
        self.base_profile("[profile mfa]\nrole_arn = arn:aws:iam::1:role/x\n"
                          "source_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\n")
        err = self.whoami("--profile", "mfa", expect=1)
        self.assertIn("costwatch runs unattended", err)
        self.assertIn("credential_process", err)

    def test_web_identity_from_the_environment(self):
        token_file = self.write("token", WEB_TOKEN)
        self.env.update(AWS_WEB_IDENTITY_TOKEN_FILE=token_file,
                        AWS_ROLE_ARN="arn:aws:iam::333333333333:role/irsa",
                        AWS_ROLE_SESSION_NAME="pod-1")
        identity = self.whoami()
        self.assertEqual(identity["Arn"], "arn:aws:sts::333333333333:assumed-role/irsa/pod-1")
        self.assertIn("web identity", identity["Provider"])

    def test_container_endpoint_with_token_file(self):
        server = Container(auth_token="pod-identity-token").start()
        self.addCleanup(server.stop)
        self.env.update(AWS_CONTAINER_CREDENTIALS_FULL_URI=server.url + "/v1/credentials",
                        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=self.write("auth",
                                                                          "pod-identity-token"))
        identity = self.whoami()
        self.assertEqual(identity["Provider"], "container (AWS_CONTAINER_CREDENTIALS_FULL_URI)")
        self.assertEqual(server.requests[0][2].get("Authorization"), "pod-identity-token")

    def test_container_endpoint_rejecting_the_token_stops_the_chain(self):
        server = Container(auth_token="right").start()
        self.addCleanup(server.stop)
        self.env.update(AWS_CONTAINER_CREDENTIALS_FULL_URI=server.url + "/v1/credentials",
                        AWS_CONTAINER_AUTHORIZATION_TOKEN="wrong")
        err = self.whoami(expect=1)
        self.assertIn("HTTP 401", err)
        self.assertEqual(len(server.requests), 3)

    def test_imds_v2(self):
        server = Imds().start()
        self.addCleanup(server.stop)
        del self.env["AWS_EC2_METADATA_DISABLED"]
        self.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = server.url
        identity = self.whoami()
        self.assertEqual(identity["Provider"],
                         "EC2 instance metadata (role costwatch-instance, IMDSv2)")
        self.assertEqual([r[0] for r in server.requests], ["PUT", "GET", "GET"])

    def test_imds_v1_fallback_when_the_token_is_refused(self):
        server = Imds(token_status=403).start()
        self.addCleanup(server.stop)
        del self.env["AWS_EC2_METADATA_DISABLED"]
        self.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = server.url
        identity = self.whoami()
        self.assertIn("IMDSv1", identity["Provider"])

    def test_imds_disabled(self):
        server = Imds().start()
        self.addCleanup(server.stop)
        self.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = server.url
        self.whoami(expect=1)
        self.assertEqual(server.requests, [])

    def sso_setup(self, expires_at):
        token = "sso-access-token-abcdef0123456789"
        portal = SsoPortal(token, "444444444444", "ReadOnly").start()
        self.addCleanup(portal.stop)
        self.env["AWS_ENDPOINT_URL_SSO"] = portal.url
        self.write("config", "[profile dev]\nsso_session = corp\nsso_account_id = 444444444444\n"
                             "sso_role_name = ReadOnly\n[sso-session corp]\n"
                             "sso_start_url = https://corp.awsapps.com/start\n"
                             "sso_region = eu-central-1\n")
        name = hashlib.sha1(b"corp").hexdigest() + ".json"
        self.write(os.path.join(".aws", "sso", "cache", name), json.dumps({
            "startUrl": "https://corp.awsapps.com/start", "region": "eu-central-1",
            "accessToken": token, "expiresAt": expires_at}))
        return portal

    def test_sso_session_profile(self):
        portal = self.sso_setup(expiration(60))
        identity = self.whoami("--profile", "dev")
        self.assertIn("SSO role ReadOnly in account 444444444444", identity["Provider"])
        self.assertEqual(len(portal.requests), 1)

    def test_sso_expired_token(self):
        self.sso_setup("2020-01-01T00:00:00Z")
        err = self.whoami("--profile", "dev", expect=1)
        self.assertIn("run aws sso login --profile dev", err)

    def test_short_lived_credentials_are_still_used(self):
        # Credentials expiring within the 5 minute refresh window are refreshed on each call
        # but still valid: whoami uses them.
        server = Container(minutes=2).start()
        self.addCleanup(server.stop)
        self.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.url + "/v1/credentials"
        identity = self.whoami()
        self.assertIn("container", identity["Provider"])


if __name__ == "__main__":
    unittest.main()
