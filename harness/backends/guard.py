"""Refuse to point the harness at real AWS, or to run with credentials it did not issue."""

from __future__ import annotations

import ipaddress
import os
import re
from urllib.parse import urlsplit

ALLOW_REAL_AWS_VARIABLE = "HARNESS_ALLOW_REAL_AWS"
_AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws", ".aws.dev")
_REAL_KEY = re.compile(r"^(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}$")
_PROFILE_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")
# boto3's other credential providers: container credentials (ECS, EKS Pod Identity) and web identity
# (IRSA, GitHub OIDC). Credential and config files need no check: the harness never reads them.
_PROVIDER_VARIABLES = (
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
)
_CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    *_PROFILE_VARIABLES,
    *_PROVIDER_VARIABLES,
)


class RealAwsRefused(RuntimeError):
    """Raised when the harness would reach real AWS or use real credentials."""


_opted_in = False  # set once the user passed --allow-real-aws to the CLI or pytest


def opt_in() -> None:
    """The user passed --allow-real-aws: allow real AWS (and lift the network guard) for this process."""
    global _opted_in
    _opted_in = True


def real_aws_allowed(explicit: bool = False) -> bool:
    """True when the user opted in by name (flag or HARNESS_ALLOW_REAL_AWS=yes)."""
    return explicit or _opted_in or os.environ.get(ALLOW_REAL_AWS_VARIABLE, "").lower() in {"1", "yes", "true"}


def is_real_aws_host(host: str) -> bool:
    """True for a host name that belongs to AWS itself."""
    host = host.lower().rstrip(".")
    return host in {"amazonaws.com", "api.aws"} or host.endswith(_AWS_HOST_SUFFIXES)


def check_endpoint(url: str, *, allow_real_aws: bool = False) -> str:
    """Return `url` if it is a usable emulator endpoint; raise naming what is wrong otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"AWS endpoint {url!r} is not an http(s) URL with a host, e.g. http://127.0.0.1:4566")
    if (is_real_aws_host(parts.hostname) or _is_public_address(parts.hostname)) and not real_aws_allowed(
        allow_real_aws
    ):
        raise RealAwsRefused(
            f"AWS endpoint {url!r} is real AWS or a public address; the harness only talks to emulators. "
            f"Set {ALLOW_REAL_AWS_VARIABLE}=yes (or pass --allow-real-aws) if you really mean it."
        )
    return url


def _is_public_address(host: str) -> bool:
    """True for a literal IP address on the internet (an emulator runs on loopback or a private network)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_global
    except ValueError:
        return False


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def ambient_real_credentials(environ: dict[str, str] | os._Environ[str] | None = None) -> list[str]:
    """Names of process variables that carry what looks like real AWS credentials or a profile."""
    environ = os.environ if environ is None else environ
    found = []
    key = environ.get("AWS_ACCESS_KEY_ID", "")
    if _REAL_KEY.match(key):
        found.append("AWS_ACCESS_KEY_ID")
    found.extend(name for name in (*_PROFILE_VARIABLES, *_PROVIDER_VARIABLES) if environ.get(name))
    return found


def ambient_real_endpoints(environ: dict[str, str] | os._Environ[str] | None = None) -> list[str]:
    """Names of AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> variables that point at AWS itself."""
    environ = os.environ if environ is None else environ
    return sorted(
        name
        for name, value in environ.items()
        if (name == "AWS_ENDPOINT_URL" or name.startswith("AWS_ENDPOINT_URL_"))
        and is_real_aws_host(urlsplit(value).hostname or "")
    )


def check_ambient_credentials(*, allow_real_aws: bool = False) -> None:
    """Refuse to start while the process holds real-looking AWS credentials or endpoints, unless opted in."""
    found = ambient_real_credentials() + ambient_real_endpoints()
    if found and not real_aws_allowed(allow_real_aws):
        raise RealAwsRefused(
            f"{', '.join(found)} in the environment look like real AWS credentials or endpoints; the harness "
            f"runs with its own credentials against emulators only. Unset them, or set "
            f"{ALLOW_REAL_AWS_VARIABLE}=yes to go on."
        )


def isolate_from_user_config(environ: os._Environ[str] | dict[str, str] | None = None) -> None:
    """Make boto3 in this process ignore ~/.aws and ambient credentials."""
    environ = os.environ if environ is None else environ
    for name in _CREDENTIAL_VARIABLES:
        environ.pop(name, None)
    environ["AWS_CONFIG_FILE"] = os.devnull
    environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    environ["AWS_EC2_METADATA_DISABLED"] = "true"
