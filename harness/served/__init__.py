"""The wire wing: everything that speaks an AWS protocol, and the one gateway in front of the backend.

- `service.py`: what a served API is (botocore service name + one handler per operation), `AwsError`, `FORWARD`.
- `protocols/`: one parser, serializer and error shape per protocol (json, rest-json, rest-xml, query, CBOR).
- `gateway.py`: matches each request to a service (SigV4 signing name, X-Amz-Target, CBOR path, REST route)
  and an operation; a served operation is answered here, anything else reaches the backend unchanged.
- `forwarder.py`, `server.py`, `event_stream.py`: the pass-through, the loopback server, event-stream framing.
- One module per served API: `lambda_api`, `states_api`, `scheduler_api`, `events_api`, `s3_api`, `sns_api`,
  `sqs_api` (and the adapters' `bedrock_runtime`, `textract`, `athena`).

Registering a served API: the harness (`harness/core.py`, `Harness.__init__`) builds each API over the domain
objects it needs and hands it to its gateway, e.g.

    self.gateway.serve(TextractApi(self.account, textract_adapter()))

`serve(api, exclusive=True)` makes the gateway answer every operation of that service itself (an operation
the API lacks gets UnknownOperationException naming it) instead of passing the rest to the backend.
Functions reach the gateway through `AWS_ENDPOINT_URL`; `harness.client(service)` is a boto3 client on it.
Domain packages never import this one.
"""
