"""The Lambda API the harness answers: invocation, deployment, versions, aliases, policies, event source mappings.

Operations take botocore-shaped params and answer botocore-shaped dicts; refusals are Lambda's errors.
State lives in the domain (FunctionRegistry, FunctionDeployments, EventSourceManager); this class only
translates between Lambda's shapes and those.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from harness.event_sources.manager import EventSourceManager, mapping_class
from harness.event_sources.mapping import EventSourceMapping
from harness.event_sources.settings import MappingSettings
from harness.event_sources.sqs import SqsMapping
from harness.functions.asynchronous import AsyncInvoker
from harness.functions.deployments import FunctionDeployments, FunctionRecord, Version
from harness.functions.lambda_errors import (
    InvalidParameterValue,
    LambdaError,
    ResourceNotFound,
    TooManyRequests,
)
from harness.functions.registry import FunctionRegistry
from harness.served.service import AwsError

# Settings Lambda stores and describes but the harness does not act on.
_ECHOED = ("LoggingConfig", "TracingConfig", "Architectures", "EphemeralStorage", "DeadLetterConfig", "KMSKeyArn")
_MAPPING_EXTRAS = (
    "MaximumBatchingWindowInSeconds",
    "ParallelizationFactor",
    "TumblingWindowInSeconds",
    "FilterCriteria",
    "ScalingConfig",
)
_LOG_TAIL_BYTES = 4096


def _timestamp(moment: dt.datetime) -> str:
    """Lambda's LastModified format: 2024-01-31T12:00:00.000+0000."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


def _page(items: list[Any], params: dict[str, Any], default: int = 50) -> tuple[list[Any], str | None]:
    marker, size = params.get("Marker") or "0", params.get("MaxItems", default)
    if not str(marker).isdigit():
        raise AwsError("InvalidParameterValueException", f"Marker {marker!r} is not one this API returned")
    if not 1 <= int(size) <= 10000:
        raise AwsError("InvalidParameterValueException", f"MaxItems {size} must be between 1 and 10000")
    start = int(marker)
    page = items[start : start + int(size)]
    return page, (str(start + int(size)) if start + int(size) < len(items) else None)


# Lambda's invocation payload quotas: 6 MB for a synchronous request, 256 KB for an asynchronous one.
SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024
ASYNC_PAYLOAD_LIMIT = 256 * 1024


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text} does not fit a number")
    return value


def strict_json(raw: bytes) -> Any:
    """An invocation payload as Lambda reads it: JSON only, so no NaN, Infinity or numbers past a double."""
    try:
        return json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite)
    except (ValueError, RecursionError):
        raise AwsError("InvalidRequestContentException", "Could not parse request body into json") from None


class LambdaApi:
    """Lambda's operations over one account's functions and event source mappings.

    Example:
        >>> api = LambdaApi(registry, event_sources, async_invoker)  # doctest: +SKIP
        >>> call_operation(api, "ListFunctions", {})["Functions"]  # doctest: +SKIP
    """

    service = "lambda"

    def __init__(
        self,
        functions: FunctionRegistry,
        mappings: EventSourceManager | None,
        async_invoker: AsyncInvoker,
        deployments: FunctionDeployments | None = None,
    ) -> None:
        self.functions = functions
        self.mappings = mappings
        self.async_invoker = async_invoker
        # Without one handed in, the registry's own (closed when the registry closes).
        self.deployments = deployments or FunctionDeployments.of(functions)
        self._mapping_times: dict[str, dt.datetime] = {}
        self._mapping_described: set[str] = set()
        self._lock = threading.Lock()

    def operations(self) -> dict[str, Callable[[dict[str, Any]], Any]]:
        """Operation name -> handler."""
        names = [
            "Invoke",
            "ListFunctions",
            "GetFunction",
            "GetFunctionConfiguration",
            "CreateFunction",
            "UpdateFunctionCode",
            "UpdateFunctionConfiguration",
            "DeleteFunction",
            "AddPermission",
            "GetPolicy",
            "RemovePermission",
            "PublishVersion",
            "ListVersionsByFunction",
            "CreateAlias",
            "GetAlias",
            "UpdateAlias",
            "DeleteAlias",
            "ListAliases",
            "GetFunctionConcurrency",
            "PutFunctionConcurrency",
            "DeleteFunctionConcurrency",
            "CreateEventSourceMapping",
            "UpdateEventSourceMapping",
            "GetEventSourceMapping",
            "DeleteEventSourceMapping",
            "ListEventSourceMappings",
        ]
        return {name: self._guarded(getattr(self, _snake(name))) for name in names}

    def _guarded(self, handler: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
        def run(params: dict[str, Any]) -> Any:
            try:
                return handler(params)
            except LambdaError as exc:
                raise AwsError(exc.code, exc.message, exc.status) from None

        run.__name__ = handler.__name__
        return run

    # -- names and qualifiers ------------------------------------------------------------------
    def _name(self, params: dict[str, Any], *, qualifier_allowed: bool = True) -> tuple[str, str | None]:
        """The bare function name and the qualifier (from the name or the Qualifier parameter)."""
        given = params["FunctionName"]
        if ":function:" in given:
            prefix, rest = given.split(":function:", 1)
            if prefix.split(":")[-1] != self.functions.account.account_id:
                raise ResourceNotFound(f"Function not found: {given}")
        else:
            rest = given
        name, _, from_name = rest.partition(":")
        qualifier = params.get("Qualifier")
        if from_name and qualifier and from_name != qualifier:
            raise InvalidParameterValue(
                "The derived qualifier from the function name does not match the specified qualifier."
            )
        qualifier = qualifier or from_name or None
        if qualifier and not qualifier_allowed:
            raise InvalidParameterValue(
                f"Unsupported qualifier {qualifier!r}: this operation takes an unqualified function name."
            )
        return name, qualifier

    # -- invocation --------------------------------------------------------------------------------
    def invoke(self, params: dict[str, Any]) -> dict[str, Any]:
        """Invoke: RequestResponse, Event or DryRun, with Qualifier and the log tail."""
        name, qualifier = self._name(params)
        runtime, executed = self.deployments.qualified(name, qualifier)
        raw = params.get("Payload") or b"{}"
        if isinstance(raw, str):
            raw = raw.encode()
        kind = params.get("InvocationType") or "RequestResponse"
        if kind not in {"RequestResponse", "Event", "DryRun"}:
            raise AwsError("InvalidParameterValueException", f"X-Amz-Invocation-Type {kind!r} is not valid")
        limit = ASYNC_PAYLOAD_LIMIT if kind == "Event" else SYNC_PAYLOAD_LIMIT
        if len(raw) > limit:
            operation = "InvokeAsync" if kind == "Event" else "Invoke"
            raise AwsError(
                "RequestTooLargeException",
                f"{len(raw)} byte payload is too large for the {operation} operation ({limit} bytes at most)",
                413,
            )
        event = strict_json(raw)
        record = self.deployments.record(name)
        if record.reserved_concurrency == 0:
            raise TooManyRequests("Rate Exceeded.")
        if kind == "DryRun":
            return {"StatusCode": 204}
        if kind == "Event":
            self.async_invoker.submit(runtime, event)
            return {"StatusCode": 202}
        result = runtime.invoke(event)
        answer: dict[str, Any] = {"StatusCode": 200, "ExecutedVersion": executed, "Payload": result.body()}
        if result.function_error:
            answer["FunctionError"] = result.function_error
        if params.get("LogType") == "Tail":
            answer["LogResult"] = base64.b64encode(result.log.framed().encode()[-_LOG_TAIL_BYTES:]).decode()
        return answer

    # -- describing functions ------------------------------------------------------------------
    def _configuration(self, name: str, version: Version | None = None, *, first: bool = False) -> dict[str, Any]:
        record = self.deployments.record(name)
        runtime = version.runtime if version else self.deployments.runtime(name)
        spec = runtime.spec
        fresh, updating = self.deployments.describe_once(record) if first else (False, False)
        config: dict[str, Any] = {
            "FunctionName": spec.name,
            "FunctionArn": runtime.arn,
            "Runtime": spec.runtime,
            "Role": runtime.role_arn,
            "Handler": spec.handler,
            "CodeSize": version.code_size if version else record.code_size,
            "Description": version.description if version else spec.description,
            "Timeout": int(spec.timeout),
            "MemorySize": spec.memory_size,
            "LastModified": _timestamp(version.last_modified if version else record.last_modified),
            "CodeSha256": version.code_sha256 if version else record.code_sha256,
            "Version": version.number if version else "$LATEST",
            "TracingConfig": {"Mode": "PassThrough"},
            "RevisionId": version.revision_id if version else record.revision_id,
            "State": "Pending" if fresh else "Active",
            "LastUpdateStatus": "InProgress" if updating else "Successful",
            "PackageType": "Zip",
            "Architectures": ["x86_64"],
            "EphemeralStorage": {"Size": 512},
            "LoggingConfig": spec.logging.as_api(spec.name),
            "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
        }
        if fresh:
            config.update(StateReason="The function is being created.", StateReasonCode="Creating")
        if updating:
            config.update(
                LastUpdateStatusReason="The function is being created.", LastUpdateStatusReasonCode="Creating"
            )
        if spec.environment:
            config["Environment"] = {"Variables": dict(spec.environment)}
        for key in _ECHOED:
            if key in record.settings:
                value = record.settings[key]
                config[key] = {**config[key], **value} if isinstance(config.get(key), dict) else value
        if "Layers" in record.settings:
            config["Layers"] = [{"Arn": arn, "CodeSize": 0} for arn in record.settings["Layers"]]
        return config

    def _version(self, name: str, qualifier: str | None) -> Version | None:
        if qualifier in (None, "$LATEST"):
            return None
        for version in self.deployments.versions(name):
            if version.number == qualifier:
                return version
        alias = next((a for a in self.deployments.aliases(name) if a.name == qualifier), None)
        if alias is None:
            raise ResourceNotFound(f"Function not found: {self.functions.arn(name)}:{qualifier}")
        return self._version(name, alias.function_version)

    def get_function_configuration(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetFunctionConfiguration."""
        name, qualifier = self._name(params)
        return self._configuration(name, self._version(name, qualifier), first=qualifier is None)

    def get_function(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetFunction: configuration, code location, tags and reserved concurrency."""
        name, qualifier = self._name(params)
        record = self.deployments.record(name)
        answer: dict[str, Any] = {
            "Configuration": self._configuration(name, self._version(name, qualifier), first=qualifier is None),
            "Code": {"RepositoryType": "S3", "Location": _code_location(record)},
        }
        if record.tags:
            answer["Tags"] = dict(record.tags)
        if record.reserved_concurrency is not None:
            answer["Concurrency"] = {"ReservedConcurrentExecutions": record.reserved_concurrency}
        return answer

    def list_functions(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListFunctions, with FunctionVersion=ALL listing published versions too."""
        configurations = []
        for runtime in self.functions.all():
            configurations.append(self._configuration(runtime.spec.name))
            if params.get("FunctionVersion") == "ALL":
                configurations.extend(
                    self._configuration(runtime.spec.name, v) for v in self.deployments.versions(runtime.spec.name)
                )
        page, marker = _page(configurations, params)
        answer: dict[str, Any] = {"Functions": page}
        if marker:
            answer["NextMarker"] = marker
        return answer

    # -- deploying -----------------------------------------------------------------------------
    def create_function(self, params: dict[str, Any]) -> dict[str, Any]:
        """CreateFunction from a ZipFile or an S3 object; Publish=True also publishes version 1."""
        name = params["FunctionName"]
        if not name or len(name) > 64 or not all(c.isalnum() or c in "-_" for c in name):
            raise AwsError(
                "ValidationException",
                f"1 validation error detected: Value '{name}' at 'functionName' failed to satisfy constraint: "
                "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ and have length at most 64",
            )
        if params.get("PackageType", "Zip") != "Zip":
            raise InvalidParameterValue("This harness runs Zip packages only (PackageType Image is not supported).")
        if "Runtime" not in params:
            raise InvalidParameterValue(
                "Runtime and Handler are mandatory parameters for functions created with Zip packages."
            )
        if "Handler" not in params:
            raise InvalidParameterValue(
                "Runtime and Handler are mandatory parameters for functions created with Zip packages."
            )
        zip_file, s3 = _code_source(params["Code"])
        record = self.deployments.create(
            name,
            handler=params["Handler"],
            role_arn=params["Role"],
            runtime=params["Runtime"],
            zip_file=zip_file,
            s3=s3,
            description=params.get("Description", ""),
            timeout=params.get("Timeout", 3),
            memory_size=params.get("MemorySize", 128),
            environment=params.get("Environment", {}).get("Variables", {}),
            settings=_echoed(params),
            tags=params.get("Tags"),
        )
        if params.get("Publish"):
            version = self.deployments.publish(name)
            return self._configuration(name, version)
        return self._configuration(record.name, first=True)

    def update_function_code(self, params: dict[str, Any]) -> dict[str, Any]:
        """UpdateFunctionCode from a ZipFile or an S3 object; DryRun checks without changing."""
        name, _ = self._name(params, qualifier_allowed=False)
        zip_file, s3 = _code_source(params)
        if params.get("DryRun"):
            self.deployments.record(name)
            return self._configuration(name)
        self.deployments.update_code(name, zip_file=zip_file, s3=s3, revision_id=params.get("RevisionId"))
        if params.get("Publish"):
            return self._configuration(name, self.deployments.publish(name))
        return self._configuration(name, first=True)

    def update_function_configuration(self, params: dict[str, Any]) -> dict[str, Any]:
        """UpdateFunctionConfiguration: only what is given changes."""
        name, _ = self._name(params, qualifier_allowed=False)
        changes: dict[str, Any] = {}
        for key, field in (
            ("Handler", "handler"),
            ("Description", "description"),
            ("Timeout", "timeout"),
            ("MemorySize", "memory_size"),
            ("Runtime", "runtime"),
            ("Role", "role_arn"),
        ):
            if key in params:
                changes[field] = params[key]
        if "Environment" in params:
            changes["environment"] = dict(params["Environment"].get("Variables", {}))
        self.deployments.update_configuration(
            name, revision_id=params.get("RevisionId"), settings=_echoed(params), **changes
        )
        return self._configuration(name, first=True)

    def delete_function(self, params: dict[str, Any]) -> dict[str, Any]:
        """DeleteFunction: the function with its mappings, or one version."""
        name, qualifier = self._name(params)
        if qualifier is None and self.mappings is not None:
            for mapping in self.mappings.for_function(name):
                self.mappings.delete(mapping.uuid)
        self.deployments.delete(name, qualifier)
        return {}

    # -- versions and aliases ------------------------------------------------------------------
    def publish_version(self, params: dict[str, Any]) -> dict[str, Any]:
        """PublishVersion."""
        name, _ = self._name(params, qualifier_allowed=False)
        version = self.deployments.publish(
            name,
            description=params.get("Description", ""),
            code_sha256=params.get("CodeSha256"),
            revision_id=params.get("RevisionId"),
        )
        return self._configuration(name, version)

    def list_versions_by_function(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListVersionsByFunction: $LATEST, then each published version."""
        name, _ = self._name(params, qualifier_allowed=False)
        configurations = [self._configuration(name)]
        configurations.extend(self._configuration(name, v) for v in self.deployments.versions(name))
        page, marker = _page(configurations, params)
        answer: dict[str, Any] = {"Versions": page}
        if marker:
            answer["NextMarker"] = marker
        return answer

    def _alias(self, name: str, alias: Any) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "AliasArn": f"{self.functions.arn(name)}:{alias.name}",
            "Name": alias.name,
            "FunctionVersion": alias.function_version,
            "Description": alias.description,
            "RevisionId": alias.revision_id,
        }
        if alias.additional_weights:
            answer["RoutingConfig"] = {"AdditionalVersionWeights": dict(alias.additional_weights)}
        return answer

    def create_alias(self, params: dict[str, Any]) -> dict[str, Any]:
        """CreateAlias."""
        name, _ = self._name(params, qualifier_allowed=False)
        weights = params.get("RoutingConfig", {}).get("AdditionalVersionWeights")
        alias = self.deployments.create_alias(
            name, params["Name"], params["FunctionVersion"], params.get("Description", ""), weights
        )
        return self._alias(name, alias)

    def get_alias(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetAlias."""
        name, _ = self._name(params, qualifier_allowed=False)
        return self._alias(name, self.deployments.alias(name, params["Name"]))

    def update_alias(self, params: dict[str, Any]) -> dict[str, Any]:
        """UpdateAlias."""
        name, _ = self._name(params, qualifier_allowed=False)
        routing = params.get("RoutingConfig")
        alias = self.deployments.update_alias(
            name,
            params["Name"],
            version=params.get("FunctionVersion"),
            description=params.get("Description"),
            weights=None if routing is None else routing.get("AdditionalVersionWeights", {}),
            revision_id=params.get("RevisionId"),
        )
        return self._alias(name, alias)

    def delete_alias(self, params: dict[str, Any]) -> dict[str, Any]:
        """DeleteAlias."""
        name, _ = self._name(params, qualifier_allowed=False)
        self.deployments.delete_alias(name, params["Name"])
        return {}

    def list_aliases(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListAliases, optionally of one version."""
        name, _ = self._name(params, qualifier_allowed=False)
        aliases = [self._alias(name, a) for a in self.deployments.aliases(name, params.get("FunctionVersion"))]
        page, marker = _page(aliases, params)
        answer: dict[str, Any] = {"Aliases": page}
        if marker:
            answer["NextMarker"] = marker
        return answer

    # -- resource policy and concurrency -------------------------------------------------------
    def add_permission(self, params: dict[str, Any]) -> dict[str, Any]:
        """AddPermission: answers the statement as JSON text, as Lambda does."""
        name, qualifier = self._name(params)
        if qualifier:
            self.deployments.qualified(name, qualifier)
        action = params["Action"]
        if not (action == "*" or action.startswith("lambda:")):
            raise AwsError(
                "ValidationException",
                f"1 validation error detected: Value '{action}' at 'action' failed to satisfy constraint: "
                "Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])",
            )
        resource = self.functions.arn(name) + (f":{qualifier}" if qualifier else "")
        statement: dict[str, Any] = {
            "Sid": params["StatementId"],
            "Effect": "Allow",
            "Principal": _principal(params["Principal"]),
            "Action": action,
            "Resource": resource,
        }
        condition: dict[str, dict[str, str]] = {}
        if params.get("SourceAccount"):
            condition.setdefault("StringEquals", {})["AWS:SourceAccount"] = params["SourceAccount"]
        if params.get("PrincipalOrgID"):
            condition.setdefault("StringEquals", {})["aws:PrincipalOrgID"] = params["PrincipalOrgID"]
        if params.get("EventSourceToken"):
            condition.setdefault("StringEquals", {})["lambda:EventSourceToken"] = params["EventSourceToken"]
        if params.get("FunctionUrlAuthType"):
            condition.setdefault("StringEquals", {})["lambda:FunctionUrlAuthType"] = params["FunctionUrlAuthType"]
        if params.get("SourceArn"):
            condition["ArnLike"] = {"AWS:SourceArn": params["SourceArn"]}
        if condition:
            statement["Condition"] = condition
        self.deployments.add_permission(name, statement, params.get("RevisionId"))
        return {"Statement": json.dumps(statement)}

    def get_policy(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetPolicy."""
        name, qualifier = self._name(params)
        document, revision = self.deployments.policy(name, qualifier)
        return {"Policy": document, "RevisionId": revision}

    def remove_permission(self, params: dict[str, Any]) -> dict[str, Any]:
        """RemovePermission."""
        name, _ = self._name(params)
        self.deployments.remove_permission(name, params["StatementId"], params.get("RevisionId"))
        return {}

    def get_function_concurrency(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetFunctionConcurrency (empty when none is reserved)."""
        name, _ = self._name(params, qualifier_allowed=False)
        reserved = self.deployments.record(name).reserved_concurrency
        return {} if reserved is None else {"ReservedConcurrentExecutions": reserved}

    def put_function_concurrency(self, params: dict[str, Any]) -> dict[str, Any]:
        """PutFunctionConcurrency; zero throttles every invocation."""
        name, _ = self._name(params, qualifier_allowed=False)
        self.deployments.put_concurrency(name, params["ReservedConcurrentExecutions"])
        return {"ReservedConcurrentExecutions": params["ReservedConcurrentExecutions"]}

    def delete_function_concurrency(self, params: dict[str, Any]) -> dict[str, Any]:
        """DeleteFunctionConcurrency."""
        name, _ = self._name(params, qualifier_allowed=False)
        self.deployments.delete_concurrency(name)
        return {}

    # -- event source mappings -----------------------------------------------------------------
    def _manager(self) -> EventSourceManager:
        if self.mappings is None:
            raise AwsError("ServiceException", "this harness polls no event sources", 500)
        return self.mappings

    def _mapping(self, uuid: str) -> EventSourceMapping:
        for mapping in self._manager().all():
            if mapping.uuid == uuid:
                return mapping
        raise ResourceNotFound("The resource you requested does not exist.")

    def _describe_mapping(self, mapping: EventSourceMapping, state: str | None = None) -> dict[str, Any]:
        settings = mapping.settings
        with self._lock:
            created = self._mapping_times.setdefault(mapping.uuid, dt.datetime.now(dt.UTC))
        if mapping.last_error:
            last = "PROBLEM: Function call failed"
        else:
            last = "OK" if mapping.delivered or mapping.batches else "No records processed"
        answer: dict[str, Any] = {
            "UUID": mapping.uuid,
            "EventSourceArn": mapping.source_arn,
            "FunctionArn": mapping.function.arn,
            "BatchSize": settings.batch_size,
            "LastModified": created,
            "LastProcessingResult": last,
            "State": state or ("Enabled" if mapping.enabled else "Disabled"),
            "StateTransitionReason": "USER_INITIATED",
            "FunctionResponseTypes": list(settings.function_response_types),
            "EventSourceMappingArn": self.functions.account.arn("lambda", f"event-source-mapping:{mapping.uuid}"),
        }
        if not isinstance(mapping, SqsMapping):
            answer["StartingPosition"] = settings.starting_position
            if settings.starting_position_timestamp is not None:
                answer["StartingPositionTimestamp"] = dt.datetime.fromtimestamp(
                    settings.starting_position_timestamp, dt.UTC
                )
            answer["MaximumRetryAttempts"] = settings.maximum_retry_attempts
            answer["MaximumRecordAgeInSeconds"] = settings.maximum_record_age_in_seconds
            answer["BisectBatchOnFunctionError"] = settings.bisect_batch_on_function_error
            answer["DestinationConfig"] = (
                {"OnFailure": {"Destination": settings.on_failure_destination}}
                if settings.on_failure_destination
                else {"OnFailure": {}}
            )
            answer["ParallelizationFactor"] = 1
        answer["MaximumBatchingWindowInSeconds"] = 0
        for key in _MAPPING_EXTRAS:
            if key in settings.extra:
                answer[key] = settings.extra[key]
        return answer

    def create_event_source_mapping(self, params: dict[str, Any]) -> dict[str, Any]:
        """CreateEventSourceMapping: polled by the same pollers as a stack's Trigger."""
        source = params.get("EventSourceArn")
        if not source:
            raise InvalidParameterValue("Unrecognized event source, must be kinesis, dynamodb stream or sqs.")
        try:
            cls = mapping_class(source)
        except ValueError as exc:
            raise InvalidParameterValue(str(exc)) from None
        name, qualifier = self._name(params)
        self.deployments.qualified(name, qualifier)
        default_batch = 10 if cls is SqsMapping else 100
        settings = _mapping_settings(MappingSettings(batch_size=default_batch), params)
        target = f"{name}:{qualifier}" if qualifier else name
        with _invalid_values():
            mapping = self._manager().create(target, source, settings)
        with self._lock:
            self._mapping_times[mapping.uuid] = dt.datetime.now(dt.UTC)
        return self._describe_mapping(mapping, "Creating" if mapping.enabled else "Disabled")

    def update_event_source_mapping(self, params: dict[str, Any]) -> dict[str, Any]:
        """UpdateEventSourceMapping: batch size, retries, Enabled, function, ..."""
        mapping = self._mapping(params["UUID"])
        if "FunctionName" in params:
            name, qualifier = self._name(params)
            runtime, _ = self.deployments.qualified(name, qualifier)
            mapping.function = runtime
        settings = _mapping_settings(mapping.settings, params)
        with _invalid_values():
            if isinstance(mapping, SqsMapping):
                settings.validate_for_queue(mapping.source_arn)
            else:
                settings.validate_for_stream(mapping.source_arn)
        mapping.settings = settings
        state = None
        if "Enabled" in params and params["Enabled"] != mapping.enabled:
            mapping.enabled = params["Enabled"]
            state = "Enabling" if mapping.enabled else "Disabling"
            if mapping.enabled and self._manager().background:
                mapping.start()
            elif not mapping.enabled:
                mapping.stop()
        with self._lock:
            self._mapping_times[mapping.uuid] = dt.datetime.now(dt.UTC)
        return self._describe_mapping(mapping, state or "Updating")

    def get_event_source_mapping(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetEventSourceMapping."""
        return self._describe_mapping(self._mapping(params["UUID"]))

    def delete_event_source_mapping(self, params: dict[str, Any]) -> dict[str, Any]:
        """DeleteEventSourceMapping: stops polling; the answer says Deleting."""
        mapping = self._mapping(params["UUID"])
        answer = self._describe_mapping(mapping, "Deleting")
        self._manager().delete(mapping.uuid)
        with self._lock:
            self._mapping_times.pop(mapping.uuid, None)
        return answer

    def list_event_source_mappings(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListEventSourceMappings, by function and/or source ARN."""
        mappings = self.mappings.all() if self.mappings else []
        if params.get("FunctionName"):
            name, _ = self._name(params)
            mappings = [m for m in mappings if m.function.spec.name == name]
        if params.get("EventSourceArn"):
            mappings = [m for m in mappings if m.source_arn == params["EventSourceArn"]]
        page, marker = _page([self._describe_mapping(m) for m in mappings], params, default=100)
        answer: dict[str, Any] = {"EventSourceMappings": page}
        if marker:
            answer["NextMarker"] = marker
        return answer


@contextmanager
def _invalid_values() -> Iterator[None]:
    try:
        yield
    except (ValueError, LookupError) as exc:
        if isinstance(exc, LookupError):
            raise ResourceNotFound(str(exc)) from None
        raise InvalidParameterValue(str(exc)) from None


def _mapping_settings(base: MappingSettings, params: dict[str, Any]) -> MappingSettings:
    changes: dict[str, Any] = {}
    for key, field in (
        ("BatchSize", "batch_size"),
        ("StartingPosition", "starting_position"),
        ("MaximumRetryAttempts", "maximum_retry_attempts"),
        ("BisectBatchOnFunctionError", "bisect_batch_on_function_error"),
        ("Enabled", "enabled"),
        ("MaximumRecordAgeInSeconds", "maximum_record_age_in_seconds"),
    ):
        if key in params:
            changes[field] = params[key]
    if "StartingPositionTimestamp" in params:
        changes["starting_position_timestamp"] = params["StartingPositionTimestamp"].timestamp()
    if "FunctionResponseTypes" in params:
        changes["function_response_types"] = tuple(params["FunctionResponseTypes"])
    if "DestinationConfig" in params:
        changes["on_failure_destination"] = params["DestinationConfig"].get("OnFailure", {}).get("Destination")
    extra = {**base.extra, **{k: params[k] for k in _MAPPING_EXTRAS if k in params}}
    return dataclasses.replace(base, **changes, extra=extra)


def _code_source(code: dict[str, Any]) -> tuple[bytes | None, tuple[str, str, str | None] | None]:
    if code.get("ImageUri"):
        raise InvalidParameterValue("This harness runs Zip packages only (ImageUri is not supported).")
    zip_file = code.get("ZipFile")
    s3 = None
    if code.get("S3Bucket") or code.get("S3Key"):
        if not (code.get("S3Bucket") and code.get("S3Key")):
            raise InvalidParameterValue("Both S3Bucket and S3Key are required to read function code from S3.")
        s3 = (code["S3Bucket"], code["S3Key"], code.get("S3ObjectVersion"))
    return zip_file, s3


def _echoed(params: dict[str, Any]) -> dict[str, Any]:
    settings = {key: params[key] for key in _ECHOED if key in params}
    if "Layers" in params:
        settings["Layers"] = list(params["Layers"])
    return settings


def _principal(principal: str) -> Any:
    if principal == "*":
        return "*"
    if principal.isdigit():
        return {"AWS": f"arn:aws:iam::{principal}:root"}
    if principal.startswith("arn:"):
        return {"AWS": principal}
    return {"Service": principal}


def _code_location(record: FunctionRecord) -> str:
    package = record.package
    return f"file://{package.path}" if package else f"file://{record.name}"


def _snake(name: str) -> str:
    out = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
    return out
