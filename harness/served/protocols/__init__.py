"""One request parser, response serializer and error shape per AWS protocol."""

from __future__ import annotations

from harness.served.protocols.base import Codec
from harness.served.protocols.query import QueryCodec
from harness.served.protocols.rest import RestCodec
from harness.served.protocols.rpc import CborCodec, JsonCodec
from harness.served.wire import WireRequest

__all__ = ["CborCodec", "Codec", "JsonCodec", "QueryCodec", "RestCodec", "codec_for"]

_JSON = JsonCodec()
_CBOR = CborCodec()
_QUERY = QueryCodec()
_REST_JSON = RestCodec(xml=False)
_REST_XML = RestCodec(xml=True)


def codec_for(request: WireRequest, protocols: list[str]) -> Codec:
    """The codec of the protocol this request speaks, among those the service's model allows."""
    if request.is_cbor and "smithy-rpc-v2-cbor" in protocols:
        return _CBOR
    if request.target and "json" in protocols:
        return _JSON
    if "query" in protocols and "Action" in request.form:
        return _QUERY
    if "rest-xml" in protocols:
        return _REST_XML
    if "rest-json" in protocols:
        return _REST_JSON
    if "json" in protocols:
        return _JSON
    if "smithy-rpc-v2-cbor" in protocols:
        return _CBOR
    return _QUERY
