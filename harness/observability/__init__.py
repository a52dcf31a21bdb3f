"""Observability as AWS has it: function logs in CloudWatch Logs, metrics in CloudWatch, a console view.

`telemetry` is the small interface the domain packages call; the log shipper, the metrics recorder and
the console sink listen to it. Only the shipper and the recorder talk to the backend.
"""
