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
_CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", *_PROFILE_VARIABLES)


class RealAwsRefused(RuntimeError):
    """Raised when the harness would reach real AWS or use real credentials."""


def real_aws_allowed(explicit: bool = False) -> bool:
    """True when the user opted in by name (flag or HARNESS_ALLOW_REAL_AWS=yes)."""
    return explicit or os.environ.get(ALLOW_REAL_AWS_VARIABLE, "").lower() in {"1", "yes", "true"}


def is_real_aws_host(host: str) -> bool:
    """True for a host name that belongs to AWS itself."""
    host = host.lower().rstrip(".")
    return host in {"amazonaws.com", "api.aws"} or host.endswith(_AWS_HOST_SUFFIXES)


def check_endpoint(url: str, *, allow_real_aws: bool = False) -> str:
    """Return `url` if it is a usable emulator endpoint; raise naming what is wrong otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"AWS endpoint {url!r} is not an http(s) URL with a host, e.g. http://127.0.0.1:4566")
    if is_real_aws_host(parts.hostname) and not real_aws_allowed(allow_real_aws):
        raise RealAwsRefused(
            f"AWS endpoint {url!r} is real AWS; the harness only talks to emulators. "
            f"Set {ALLOW_REAL_AWS_VARIABLE}=yes (or pass --allow-real-aws) if you really mean it."
        )
    return url


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
    found.extend(name for name in _PROFILE_VARIABLES if environ.get(name))
    return found


def check_ambient_credentials(*, allow_real_aws: bool = False) -> None:
    """Refuse to start while the process holds real-looking AWS credentials, unless opted in."""
    found = ambient_real_credentials()
    if found and not real_aws_allowed(allow_real_aws):
        raise RealAwsRefused(
            f"{', '.join(found)} in the environment look like real AWS credentials; the harness runs "
            f"with its own credentials only. Unset them, or set {ALLOW_REAL_AWS_VARIABLE}=yes to go on."
        )


def isolate_from_user_config(environ: os._Environ[str] | dict[str, str] | None = None) -> None:
    """Make boto3 in this process ignore ~/.aws and ambient credentials."""
    environ = os.environ if environ is None else environ
    for name in _CREDENTIAL_VARIABLES:
        environ.pop(name, None)
    environ["AWS_CONFIG_FILE"] = os.devnull
    environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    environ["AWS_EC2_METADATA_DISABLED"] = "true"
