"""Verification of AWS Signature Version 4 on incoming requests.

The signature is recomputed with botocore's ``SigV4Auth`` -- an implementation we did not
write -- so a request our C++ signer produces is only accepted if it is byte-for-byte what
AWS's own SDK would sign. Only the *checks around* the signature (header parsing, scope,
clock skew, which key is known) are ours; the error codes and messages mimic what AWS
answers so clients see realistic failures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import os
import sys

try:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.compat import HTTPHeaders
    from botocore.credentials import Credentials
except ImportError:  # Debian's /usr/bin/python3: use the botocore bundled with the AWS CLI v2
    import awscli

    sys.path.insert(0, os.path.dirname(awscli.__file__))
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.compat import HTTPHeaders
    from botocore.credentials import Credentials

from errors import ApiError, auth_error

SERVICE = "ce"
REGION = "us-east-1"
ALGORITHM = "AWS4-HMAC-SHA256"
TIMESTAMP_FORMAT = "%Y%m%dT%H%M%SZ"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"

MSG_BAD_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details.")
MSG_BAD_TOKEN = "The security token included in the request is invalid."


@dataclasses.dataclass(frozen=True)
class Credential:
    access_key: str
    secret_key: str
    session_token: str | None = None
    denied: bool = False  # signature is fine, but IAM denies every ce: action


@dataclasses.dataclass(frozen=True)
class IncomingRequest:
    """What the verifier needs from an HTTP request; header names are case-insensitive."""

    method: str
    path: str  # raw request target, e.g. "/" or "/?a=b"
    headers: object  # email.message.Message (http.server) or anything with get_all()
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.headers.get_all(name) or []
        return ",".join(values) if values else None


class _IncomingSigner(SigV4Auth):
    """SigV4Auth that signs exactly the headers the client listed in SignedHeaders,
    instead of choosing them itself (botocore skips e.g. user-agent, AWS does not)."""

    def __init__(self, credentials, signed_headers: HTTPHeaders):
        super().__init__(credentials, SERVICE, REGION)
        self._signed = signed_headers

    def headers_to_sign(self, request):
        return self._signed


def _parse_authorization(value: str) -> dict:
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise auth_error("IncompleteSignatureException",
                         f"Unsupported AWS 'algorithm': '{algorithm}'.")
    fields = {}
    for part in rest.split(","):
        key, sep, val = part.strip().partition("=")
        if sep:
            fields[key] = val
    missing = [k for k in ("Credential", "Signature", "SignedHeaders") if k not in fields]
    if missing:
        raise auth_error("IncompleteSignatureException", " ".join(
            f"Authorization header requires '{k}' parameter." for k in missing))
    return fields


class Verifier:
    """Checks SigV4 against a set of known credentials; ``max_skew`` in seconds."""

    def __init__(self, credentials: list, max_skew: float = 900, clock=None):
        self._credentials = {c.access_key: c for c in credentials}
        self._max_skew = dt.timedelta(seconds=max_skew)
        self._clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))

    def verify(self, request: IncomingRequest) -> Credential:
        """Return the caller's credential or raise ApiError like AWS would."""
        authorization = request.header("Authorization")
        if not authorization:
            raise auth_error("MissingAuthenticationTokenException",
                             "Missing Authentication Token")
        fields = _parse_authorization(authorization)
        scope = fields["Credential"].split("/")
        if len(scope) != 5:
            raise auth_error("IncompleteSignatureException",
                             f"Credential must have exactly 5 slash-delimited elements, "
                             f"e.g. keyid/date/region/service/term, got '{fields['Credential']}'")
        access_key, scope_date, region, service, terminator = scope
        signed_names = fields["SignedHeaders"].split(";")

        amz_date = request.header("X-Amz-Date")
        if not amz_date:
            raise auth_error("IncompleteSignatureException",
                             "Authorization header requires existence of either a "
                             "'X-Amz-Date' or a 'Date' header.")
        try:
            timestamp = dt.datetime.strptime(amz_date, TIMESTAMP_FORMAT).replace(
                tzinfo=dt.timezone.utc)
        except ValueError:
            raise auth_error("IncompleteSignatureException",
                             f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'.")
        self._check_clock(timestamp)

        credential = self._credentials.get(access_key)
        if credential is None:
            raise auth_error("UnrecognizedClientException", MSG_BAD_TOKEN)

        if scope_date != amz_date[:8]:
            raise auth_error("InvalidSignatureException",
                             f"Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                             f"version of date from HTTP: '{scope_date}' != '{amz_date[:8]}', "
                             f"from '{amz_date}'.")
        if region != REGION:
            raise auth_error("InvalidSignatureException",
                             f"Credential should be scoped to a valid region, not '{region}'. ")
        if service != SERVICE:
            raise auth_error("InvalidSignatureException",
                             f"Credential should be scoped to correct service: '{SERVICE}'. ")
        if terminator != "aws4_request":
            raise auth_error("InvalidSignatureException",
                             "Credential should be scoped with a valid terminator: "
                             f"'aws4_request', not '{terminator}'. ")
        for required in ("host", "x-amz-date"):
            if required not in signed_names:
                raise auth_error("InvalidSignatureException",
                                 f"'{required}' must be a 'SignedHeader' in the AWS "
                                 "Authorization.")
        if signed_names != sorted(signed_names) or any(n != n.lower() for n in signed_names):
            raise auth_error("InvalidSignatureException", MSG_BAD_SIGNATURE)

        token = request.header("X-Amz-Security-Token")
        if token != credential.session_token:
            raise auth_error("UnrecognizedClientException", MSG_BAD_TOKEN)

        content_hash = request.header("X-Amz-Content-SHA256")
        if content_hash not in (None, UNSIGNED_PAYLOAD) and (
                content_hash != hashlib.sha256(request.body).hexdigest()):
            raise auth_error("InvalidSignatureException",
                             "The provided 'x-amz-content-sha256' header does not match what "
                             "was computed.")

        expected = self._signature(request, credential, signed_names, amz_date)
        if not hmac.compare_digest(expected, fields["Signature"]):
            raise auth_error("InvalidSignatureException", MSG_BAD_SIGNATURE)
        return credential

    def _check_clock(self, timestamp: dt.datetime) -> None:
        now = self._clock()
        fmt = lambda t: t.strftime(TIMESTAMP_FORMAT)  # noqa: E731
        if timestamp < now - self._max_skew:
            minutes = int(self._max_skew.total_seconds() // 60)
            raise auth_error("InvalidSignatureException",
                             f"Signature expired: {fmt(timestamp)} is now earlier than "
                             f"{fmt(now - self._max_skew)} ({fmt(now)} - {minutes} min.)")
        if timestamp > now + self._max_skew:
            minutes = int(self._max_skew.total_seconds() // 60)
            raise auth_error("InvalidSignatureException",
                             f"Signature not yet current: {fmt(timestamp)} is still later "
                             f"than {fmt(now + self._max_skew)} ({fmt(now)} + {minutes} min.)")

    @staticmethod
    def _signature(request: IncomingRequest, credential: Credential, signed_names: list,
                   amz_date: str) -> str:
        signed = HTTPHeaders()
        for name in signed_names:
            for value in request.headers.get_all(name) or []:
                signed[name] = value
        host = request.header("Host") or "localhost"
        # The scheme only matters to botocore for deciding whether to hash the payload;
        # "http" makes it always hash, which is what a client talking to us must do.
        aws_request = AWSRequest(method=request.method, url=f"http://{host}{request.path}",
                                 data=request.body)
        # botocore takes the payload hash from this header when present (already checked
        # against the body above, or UNSIGNED-PAYLOAD).
        if request.header("X-Amz-Content-SHA256"):
            aws_request.headers["X-Amz-Content-SHA256"] = request.header("X-Amz-Content-SHA256")
        aws_request.context["timestamp"] = amz_date
        signer = _IncomingSigner(
            Credentials(credential.access_key, credential.secret_key, credential.session_token),
            signed)
        canonical = signer.canonical_request(aws_request)
        string_to_sign = signer.string_to_sign(aws_request, canonical)
        return signer.signature(string_to_sign, aws_request)


def check_not_denied(credential: Credential, operation: str, account_id: str) -> None:
    """IAM stand-in: a 'denied' key may authenticate but not call any ce: action."""
    if credential.denied:
        raise ApiError(
            "AccessDeniedException",
            f"User: arn:aws:iam::{account_id}:user/costwatch-denied is not authorized to "
            f"perform: ce:{operation} on resource: arn:aws:ce:us-east-1:{account_id}:/"
            f"{operation} because no identity-based policy allows the ce:{operation} action")
