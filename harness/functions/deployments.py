"""Functions deployed through Lambda's control plane: code uploads, settings, versions, aliases, policies.

Declared functions (from stacks) get a record on first use, so the same operations describe and change
them too. Published versions are runtimes of their own (same code directory, frozen settings), found by
the registry through `resolve`, so a qualified name or ARN works everywhere a function is invoked.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import random
import re
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from harness.functions.code_store import CodePackage, CodeStore, InvalidCode
from harness.functions.lambda_errors import (
    InvalidParameterValue,
    PreconditionFailed,
    ResourceConflict,
    ResourceNotFound,
    ValidationFailed,
)
from harness.functions.registry import RESERVED_VARIABLES, FunctionRegistry
from harness.functions.runtime_protocol import LambdaRuntime as Runtime
from harness.functions.spec import FunctionSpec

_CREATING = threading.Lock()
PYTHON_RUNTIMES = ("python3.9", "python3.10", "python3.11", "python3.12", "python3.13")
_ALIAS_NAME = re.compile(r"(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}")
_STALE_REVISION = (
    "The Revision Id provided does not match the latest Revision Id. "
    "Call the {api} API to retrieve the latest Revision Id"
)
_ROLE_PATTERN = r"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+"
_ENV_KEY = re.compile(r"[a-zA-Z]([a-zA-Z0-9_])+")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _revision() -> str:
    return str(uuid.uuid4())


@dataclass
class Version:
    """One published version: frozen settings and code, its own runtime."""

    number: str
    runtime: Runtime
    code_sha256: str
    code_size: int
    description: str
    last_modified: dt.datetime = field(default_factory=_now)
    revision_id: str = field(default_factory=_revision)


@dataclass
class Alias:
    """A name for a version, with an optional weighted second version."""

    name: str
    function_version: str
    description: str = ""
    additional_weights: dict[str, float] = field(default_factory=dict)
    revision_id: str = field(default_factory=_revision)


@dataclass
class FunctionRecord:
    """What Lambda keeps about a function besides its runnable spec."""

    name: str
    code_sha256: str
    code_size: int
    package: CodePackage | None = None  # None for a declared function (its code is this project's module)
    last_modified: dt.datetime = field(default_factory=_now)
    revision_id: str = field(default_factory=_revision)
    settings: dict[str, Any] = field(default_factory=dict)  # echoed-back settings (LoggingConfig, Layers, ...)
    tags: dict[str, str] = field(default_factory=dict)
    versions: dict[str, Version] = field(default_factory=dict)
    aliases: dict[str, Alias] = field(default_factory=dict)
    policy: list[dict[str, Any]] = field(default_factory=list)
    policy_revision: str = field(default_factory=_revision)
    reserved_concurrency: int | None = None
    next_version: int = 1
    described: bool = False  # the first answer says Pending / InProgress, later ones Active / Successful
    updating: bool = False


class FunctionDeployments:
    """Creates, changes, versions and deletes the functions of one account through Lambda's operations.

    Example:
        >>> deployments = FunctionDeployments(harness.functions)  # doctest: +SKIP
        >>> deployments.create("Hello", handler="lambda_function.lambda_handler", role_arn=role, zip_file=zipped)
    """

    def __init__(self, functions: FunctionRegistry) -> None:
        self.functions = functions
        self.code = CodeStore()
        self._records: dict[str, FunctionRecord] = {}
        self._lock = threading.RLock()
        functions.qualifiers = self.resolve
        functions.on_close(self._close_own)

    @classmethod
    def of(cls, functions: FunctionRegistry) -> FunctionDeployments:
        """The deployments of a registry, made on first use (closed with the registry)."""
        with _CREATING:
            owner = getattr(functions.qualifiers, "__self__", None)
            return owner if isinstance(owner, cls) else cls(functions)

    # -- lookup --------------------------------------------------------------------------------
    def runtime(self, name: str) -> Runtime:
        """The $LATEST runtime; ResourceNotFound in Lambda's words."""
        try:
            return self.functions.get(name)
        except LookupError:
            raise ResourceNotFound(f"Function not found: {self.functions.arn(name)}") from None

    def record(self, name: str) -> FunctionRecord:
        """The record of a function (made on first use for a declared one)."""
        runtime = self.runtime(name)
        with self._lock:
            record = self._records.get(name)
            if record is None:
                digest = _sha256_of(runtime.spec.handler.encode())
                record = FunctionRecord(name, digest, 0, described=True)
                self._records[name] = record
            return record

    def resolve(self, name: str, qualifier: str) -> Runtime | None:
        """The runtime a version number or alias names, or None."""
        with self._lock:
            record = self._records.get(name)
            if record is None:
                return None
            if qualifier in record.versions:
                return record.versions[qualifier].runtime
            alias = record.aliases.get(qualifier)
        if alias is None:
            return None
        version = _pick(alias)
        if version == "$LATEST":
            return self.functions.get(name)
        return record.versions[version].runtime

    def qualified(self, name: str, qualifier: str | None) -> tuple[Runtime, str]:
        """The runtime and executed version for an optional qualifier; ResourceNotFound otherwise."""
        runtime = self.runtime(name)
        if qualifier in (None, "", "$LATEST"):
            return runtime, "$LATEST"
        found = self.resolve(name, qualifier)
        if found is None:
            raise ResourceNotFound(f"Function not found: {self.functions.arn(name)}:{qualifier}")
        return found, version_of(found)

    # -- create, update, delete ----------------------------------------------------------------
    def create(
        self,
        name: str,
        *,
        handler: str,
        role_arn: str,
        runtime: str = "python3.12",
        zip_file: bytes | None = None,
        s3: tuple[str, str, str | None] | None = None,
        description: str = "",
        timeout: int = 3,
        memory_size: int = 128,
        environment: dict[str, str] | None = None,
        settings: dict[str, Any] | None = None,
        tags: dict[str, str] | None = None,
        runtime_mode: str = "process",
    ) -> FunctionRecord:
        """CreateFunction: unpack the code and register the function (in the process runtime by default)."""
        check_runtime(runtime)
        check_limits(timeout, memory_size)
        check_environment(environment or {})
        if name in self.functions:
            raise ResourceConflict(f"Function already exist: {name}")
        package = self._unpack(name, self._code_bytes(zip_file, s3))
        spec = self._spec(
            name=name,
            handler=handler,
            runtime=runtime,
            role=_role_name(role_arn),
            description=description,
            timeout=timeout,
            memory_size=memory_size,
            environment=dict(environment or {}),
            runtime_mode=runtime_mode,
            code_path=package.path,
        )
        record = FunctionRecord(name, package.sha256, package.size, package, settings=dict(settings or {}))
        record.tags = dict(tags or {})
        with self._lock:
            if name in self.functions:
                raise ResourceConflict(f"Function already exist: {name}")
            self.functions.register(spec)
            self._records[name] = record
        return record

    def update_code(
        self,
        name: str,
        *,
        zip_file: bytes | None = None,
        s3: tuple[str, str, str | None] | None = None,
        revision_id: str | None = None,
    ) -> FunctionRecord:
        """UpdateFunctionCode: the new code runs from the next (cold) invocation."""
        record = self.record(name)
        _check_revision(record, revision_id)
        runtime = self.runtime(name)
        if record.package is None:
            raise InvalidParameterValue(
                f"{name} is declared in a stack with handler {runtime.spec.handler}: its code is that module"
            )
        package = self._unpack(name, self._code_bytes(zip_file, s3))
        spec = dataclasses.replace(runtime.spec, code_path=package.path)
        runtime.reconfigure(spec, self.functions.environment_for(spec), package.path)
        with self._lock:
            record.package, record.code_sha256, record.code_size = package, package.sha256, package.size
            self._touch(record)
        return record

    def update_configuration(self, name: str, *, revision_id: str | None = None, **changes: Any) -> FunctionRecord:
        """UpdateFunctionConfiguration: spec fields (handler, timeout, ...) and echoed-back settings."""
        record = self.record(name)
        _check_revision(record, revision_id)
        runtime = self.runtime(name)
        settings = changes.pop("settings", {}) or {}
        if "runtime" in changes:
            check_runtime(changes["runtime"])
        check_limits(changes.get("timeout", 3), changes.get("memory_size", 128))
        if "environment" in changes:
            check_environment(changes["environment"])
        if "role_arn" in changes:
            changes["role"] = _role_name(changes.pop("role_arn"))
        spec = self._spec(**{**dataclasses.asdict(runtime.spec), **changes})
        runtime.reconfigure(spec, self.functions.environment_for(spec), spec.code_path)
        role_arn = self.functions.account.iam_arn(f"role/{spec.role}")
        runtime.role_arn = role_arn
        with self._lock:
            record.settings.update(settings)
            self._touch(record)
        return record

    def delete(self, name: str, qualifier: str | None = None) -> None:
        """DeleteFunction: the whole function, or one published version."""
        record = self.record(name)
        if qualifier not in (None, "", "$LATEST"):
            with self._lock:
                version = record.versions.get(qualifier)
                if version is None:
                    raise ResourceNotFound(f"Function not found: {self.functions.arn(name)}:{qualifier}")
                users = [
                    a.name for a in record.aliases.values() if qualifier in (a.function_version, *a.additional_weights)
                ]
                if users:
                    raise ResourceConflict(
                        f"Unable to delete version because the following aliases reference it: {users}"
                    )
                del record.versions[qualifier]
            _close(version.runtime)
            return
        if qualifier == "$LATEST":
            raise InvalidParameterValue("$LATEST version cannot be deleted without deleting the function.")
        with self._lock:
            self._records.pop(name, None)
        for version in record.versions.values():
            _close(version.runtime)
        self.functions.remove(name)

    # -- versions and aliases ------------------------------------------------------------------
    def publish(
        self, name: str, *, description: str = "", code_sha256: str | None = None, revision_id: str | None = None
    ) -> Version:
        """PublishVersion: a new numbered version, unless nothing changed since the last one."""
        record = self.record(name)
        _check_revision(record, revision_id)
        latest = self.runtime(name)
        if code_sha256 and code_sha256 != record.code_sha256:
            raise InvalidParameterValue(
                f"CodeSHA256 ({code_sha256}) is different from current CodeSHA256 in $LATEST ({record.code_sha256}). "
                "Please try again with the CodeSHA256 in $LATEST."
            )
        with self._lock:
            if record.versions:
                last = record.versions[max(record.versions, key=int)]
                if last.code_sha256 == record.code_sha256 and last.runtime.spec == latest.spec:
                    return last
            number = str(record.next_version)
            record.next_version += 1
            environment = {**self.functions.environment_for(latest.spec), "AWS_LAMBDA_FUNCTION_VERSION": number}
            runtime = self.functions.build_runtime(latest.spec, f"{latest.arn}:{number}", environment)
            runtime.logs = latest.logs  # one log group per function
            version = Version(
                number, runtime, record.code_sha256, record.code_size, description or latest.spec.description
            )
            record.versions[number] = version
            return version

    def versions(self, name: str) -> list[Version]:
        """Published versions, oldest first."""
        record = self.record(name)
        with self._lock:
            return [record.versions[k] for k in sorted(record.versions, key=int)]

    def create_alias(
        self, name: str, alias: str, version: str, description: str = "", weights: dict[str, float] | None = None
    ) -> Alias:
        """CreateAlias."""
        record = self.record(name)
        if not _ALIAS_NAME.fullmatch(alias):
            raise ValidationFailed(
                f"1 validation error detected: Value '{alias}' at 'name' failed to satisfy constraint: "
                "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"
            )
        with self._lock:
            if alias in record.aliases:
                raise ResourceConflict(f"Alias already exists: {self.functions.arn(name)}:{alias}")
            self._check_alias_targets(record, name, version, weights or {})
            record.aliases[alias] = Alias(alias, version, description, dict(weights or {}))
            return record.aliases[alias]

    def alias(self, name: str, alias: str) -> Alias:
        """GetAlias; ResourceNotFound in Lambda's words."""
        record = self.record(name)
        with self._lock:
            found = record.aliases.get(alias)
        if found is None:
            raise ResourceNotFound(f"Cannot find alias arn: {self.functions.arn(name)}:{alias}")
        return found

    def update_alias(
        self,
        name: str,
        alias: str,
        *,
        version: str | None = None,
        description: str | None = None,
        weights: dict[str, float] | None = None,
        revision_id: str | None = None,
    ) -> Alias:
        """UpdateAlias: only what is given changes."""
        record = self.record(name)
        found = self.alias(name, alias)
        if revision_id and revision_id != found.revision_id:
            raise PreconditionFailed(_STALE_REVISION.format(api="GetAlias"))
        with self._lock:
            target = version or found.function_version
            new_weights = found.additional_weights if weights is None else dict(weights)
            self._check_alias_targets(record, name, target, new_weights)
            found.function_version, found.additional_weights = target, new_weights
            if description is not None:
                found.description = description
            found.revision_id = _revision()
            return found

    def delete_alias(self, name: str, alias: str) -> None:
        """DeleteAlias (no error if it does not exist, as Lambda)."""
        record = self.record(name)
        with self._lock:
            record.aliases.pop(alias, None)

    def aliases(self, name: str, version: str | None = None) -> list[Alias]:
        """ListAliases, optionally only those pointing at one version."""
        record = self.record(name)
        with self._lock:
            found = [record.aliases[k] for k in sorted(record.aliases)]
        return [a for a in found if version is None or a.function_version == version]

    def _check_alias_targets(self, record: FunctionRecord, name: str, version: str, weights: dict[str, float]) -> None:
        for target in (version, *weights):
            if target != "$LATEST" and target not in record.versions:
                raise ResourceNotFound(f"Function not found: {self.functions.arn(name)}:{target}")
        if weights:
            if version == "$LATEST" or "$LATEST" in weights:
                raise InvalidParameterValue("$LATEST is not supported for an alias pointing to more than 1 version")
            if len(weights) > 1 or version in weights:
                raise InvalidParameterValue("An alias can point to at most two different versions")
            if any(not 0.0 <= w <= 1.0 for w in weights.values()):
                raise ValidationFailed("AdditionalVersionWeights values must be between 0.0 and 1.0")

    # -- resource policy and concurrency ---------------------------------------------------------
    def add_permission(self, name: str, statement: dict[str, Any], revision_id: str | None = None) -> dict[str, Any]:
        """AddPermission: append a statement; a used Sid is a conflict."""
        record = self.record(name)
        with self._lock:
            if revision_id and revision_id != record.policy_revision:
                raise PreconditionFailed(_STALE_REVISION.format(api="GetPolicy"))
            if any(s["Sid"] == statement["Sid"] for s in record.policy):
                raise ResourceConflict(
                    f"The statement id ({statement['Sid']}) provided already exists. "
                    "Please provide a new statement id, or remove the existing statement."
                )
            record.policy.append(statement)
            record.policy_revision = _revision()
            return statement

    def policy(self, name: str, qualifier: str | None = None) -> tuple[str, str]:
        """GetPolicy: the policy document as JSON text and its revision."""
        record = self.record(name)
        resource = self.functions.arn(name) + (f":{qualifier}" if qualifier else "")
        with self._lock:
            statements = [s for s in record.policy if s["Resource"] == resource]
            if not statements:
                raise ResourceNotFound("The resource you requested does not exist.")
            document = {"Version": "2012-10-17", "Id": "default", "Statement": statements}
            return json.dumps(document), record.policy_revision

    def remove_permission(self, name: str, sid: str, revision_id: str | None = None) -> None:
        """RemovePermission."""
        record = self.record(name)
        with self._lock:
            if revision_id and revision_id != record.policy_revision:
                raise PreconditionFailed(_STALE_REVISION.format(api="GetPolicy"))
            kept = [s for s in record.policy if s["Sid"] != sid]
            if len(kept) == len(record.policy):
                raise ResourceNotFound(f"Statement {sid} is not found in resource policy.")
            record.policy[:] = kept
            record.policy_revision = _revision()

    def put_concurrency(self, name: str, reserved: int) -> None:
        """PutFunctionConcurrency (0 throttles every invocation)."""
        if reserved < 0:
            raise InvalidParameterValue(f"ReservedConcurrentExecutions {reserved} must not be negative")
        self.record(name).reserved_concurrency = reserved

    def delete_concurrency(self, name: str) -> None:
        """DeleteFunctionConcurrency."""
        self.record(name).reserved_concurrency = None

    # -- lifetime ----------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop every worker process of every function and version, and remove the uploaded code."""
        self.functions.close()

    def _close_own(self) -> None:
        with self._lock:
            records = list(self._records.values())
        for record in records:
            for version in record.versions.values():
                _close(version.runtime)
        self.code.close()

    # -- helpers ---------------------------------------------------------------------------------
    def describe_once(self, record: FunctionRecord) -> tuple[bool, bool]:
        """(first answer since create, first answer since an update): Lambda reports those as in progress."""
        with self._lock:
            fresh, updating = not record.described, record.updating
            record.described, record.updating = True, False
            return fresh, updating

    def _touch(self, record: FunctionRecord) -> None:
        record.last_modified = _now()
        record.revision_id = _revision()
        record.updating = True

    def _unpack(self, name: str, zip_bytes: bytes) -> CodePackage:
        try:
            return self.code.unpack(name, zip_bytes)
        except InvalidCode as exc:
            raise InvalidParameterValue(str(exc)) from None

    def _spec(self, **fields: Any) -> FunctionSpec:
        try:
            return FunctionSpec(**fields)
        except ValueError as exc:
            raise InvalidParameterValue(str(exc)) from None

    def _code_bytes(self, zip_file: bytes | None, s3: tuple[str, str, str | None] | None) -> bytes:
        if zip_file is not None and s3 is not None:
            raise InvalidParameterValue("Please do not provide other FunctionCode parameters when providing a ZipFile.")
        if zip_file is not None:
            return zip_file
        if s3 is None:
            raise InvalidParameterValue("Please provide a source for function code.")
        bucket, key, object_version = s3
        extra = {"VersionId": object_version} if object_version else {}
        client = self.functions.account.client("s3")
        try:
            return client.get_object(Bucket=bucket, Key=key, **extra)["Body"].read()
        except client.exceptions.ClientError as exc:
            error = exc.response.get("Error", {})
            raise InvalidParameterValue(
                f"Error occurred while GetObject. S3 Error Code: {error.get('Code')}. "
                f"S3 Error Message: {error.get('Message')}"
            ) from None


def version_of(runtime: Runtime) -> str:
    """The version a runtime runs ($LATEST or a number)."""
    return runtime.environment.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")


def check_runtime(runtime: str) -> None:
    """InvalidParameterValue unless the runtime is a Python runtime this harness runs."""
    if runtime not in PYTHON_RUNTIMES:
        raise InvalidParameterValue(
            f"The runtime parameter of {runtime} is not supported by this harness: "
            f"it runs {', '.join(PYTHON_RUNTIMES)} (all on this machine's Python)."
        )


def check_limits(timeout: int, memory_size: int) -> None:
    """ValidationFailed for a Timeout or MemorySize outside Lambda's ranges, in Lambda's words."""
    if not 1 <= timeout <= 900:
        raise ValidationFailed(
            f"1 validation error detected: Value '{timeout}' at 'timeout' failed to satisfy constraint: "
            f"Member must have value {'less than or equal to 900' if timeout > 900 else 'greater than or equal to 1'}"
        )
    if not 128 <= memory_size <= 10240:
        raise ValidationFailed(
            f"1 validation error detected: Value '{memory_size}' at 'memorySize' failed to satisfy constraint: "
            "Member must have value "
            + ("less than or equal to 10240" if memory_size > 10240 else "greater than or equal to 128")
        )


def check_environment(environment: dict[str, str]) -> None:
    """InvalidParameterValue for reserved or malformed variable names, in Lambda's words."""
    reserved = sorted(RESERVED_VARIABLES & environment.keys())
    if reserved:
        raise InvalidParameterValue(
            "Lambda was unable to configure your environment variables because the environment variables you have "
            "provided contains reserved keys that are currently not supported for modification. "
            f"Reserved keys used in this request: {','.join(reserved)}"
        )
    bad = [key for key in environment if not _ENV_KEY.fullmatch(key)]
    if bad:
        raise ValidationFailed(
            f"1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: "
            "Map keys must satisfy constraint: "
            f"[Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+] ({bad})"
        )


def _check_revision(record: FunctionRecord, revision_id: str | None) -> None:
    if revision_id and revision_id != record.revision_id:
        raise PreconditionFailed(_STALE_REVISION.format(api="GetFunction/GetAlias"))


def _role_name(role_arn: str) -> str:
    if not re.fullmatch(_ROLE_PATTERN, role_arn):
        raise ValidationFailed(
            f"1 validation error detected: Value '{role_arn}' at 'role' failed to satisfy constraint: "
            f"Member must satisfy regular expression pattern: {_ROLE_PATTERN}"
        )
    return role_arn.split(":role/", 1)[1]


def _pick(alias: Alias) -> str:
    """The version an invocation through the alias runs, by the alias's routing weights."""
    roll = random.random()
    for version, weight in alias.additional_weights.items():
        if roll < weight:
            return version
        roll -= weight
    return alias.function_version


def _sha256_of(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _close(runtime: Runtime) -> None:
    close = getattr(runtime, "close", None)
    if close is not None:
        close()
