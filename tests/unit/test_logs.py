"""Invocation logs: line splitting, Lambda's framing, per-thread capture and the log group helpers."""

from __future__ import annotations

import logging
import sys
import threading

import pytest

from harness.functions.logs import FunctionLogs, InvocationLog, capturing


def log_with(request_id: str, *lines: str) -> InvocationLog:
    log = InvocationLog(request_id)
    for line in lines:
        log.write(line + "\n")
    return log


def test_partial_writes_are_joined_into_lines() -> None:
    log = InvocationLog("r-1")

    log.write("hel")
    log.write("lo\nwor")
    assert log.lines == ["hello"]
    log.write("ld\n")

    assert log.lines == ["hello", "world"]


def test_one_write_with_several_newlines_makes_several_lines() -> None:
    log = InvocationLog("r-1")

    log.write("a\nb\n\nc\n")

    assert log.lines == ["a", "b", "", "c"]


def test_flush_closes_a_trailing_partial_line_once() -> None:
    log = InvocationLog("r-1")
    log.write("no newline")

    log.flush()
    log.flush()

    assert log.lines == ["no newline"]


def test_flush_without_a_partial_line_adds_nothing() -> None:
    log = log_with("r-1", "done")

    log.flush()

    assert log.lines == ["done"]


def test_text_joins_lines() -> None:
    assert log_with("r-1", "a", "b").text == "a\nb"


def test_framed_has_start_lines_end_and_report() -> None:
    log = log_with("req-42", "first", "second")
    log.duration_ms = 12.345

    assert log.framed().split("\n") == [
        "START RequestId: req-42 Version: $LATEST",
        "first",
        "second",
        "END RequestId: req-42",
        "REPORT RequestId: req-42\tDuration: 12.35 ms\tBilled Duration: 13 ms",  # memory unknown: not shown
    ]


def test_report_of_a_cold_start_bills_the_init_duration_and_shows_it() -> None:
    # https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html (the REPORT line of the example)
    log = InvocationLog("req-1", duration_ms=15.74, init_duration_ms=130.49, memory_size_mb=128, max_memory_used_mb=56)

    assert log.report_line() == (
        "REPORT RequestId: req-1\tDuration: 15.74 ms\tBilled Duration: 147 ms\tMemory Size: 128 MB\t"
        "Max Memory Used: 56 MB\tInit Duration: 130.49 ms"
    )


def test_framed_of_a_silent_invocation_still_has_start_end_report() -> None:
    framed = InvocationLog("quiet").framed().split("\n")

    assert [line.split(" ")[0] for line in framed] == ["START", "END", "REPORT"]


def test_capturing_routes_print_to_the_log() -> None:
    log = InvocationLog("r-1")

    with capturing(log):
        print("hello from the handler")
        print("partial", end="")

    assert log.lines == ["hello from the handler", "partial"]


def test_capturing_routes_stderr_too() -> None:
    log = InvocationLog("r-1")

    with capturing(log):
        print("to stderr", file=sys.stderr)

    assert log.lines == ["to stderr"]


def test_capturing_routes_log_records_in_lambda_format() -> None:
    log = InvocationLog("req-7")

    with capturing(log):
        logging.getLogger("harness.unit.logs").warning("low stock: %s", "bolts")

    assert len(log.lines) == 1
    level, stamp, request_id, message = log.lines[0].split("\t")
    assert (level, request_id, message) == ("[WARNING]", "req-7", "low stock: bolts")
    assert stamp.endswith("Z")


def test_log_records_outside_capturing_are_not_added() -> None:
    log = InvocationLog("r-1")
    with capturing(log):
        pass

    logging.getLogger("harness.unit.logs").warning("after the invocation")

    assert log.lines == []


def test_capturing_affects_only_the_capturing_thread(capsys: pytest.CaptureFixture[str]) -> None:
    log = InvocationLog("r-1")
    inside = threading.Event()
    printed = threading.Event()

    def other_thread() -> None:
        assert inside.wait(timeout=5)
        print("from another thread")
        printed.set()

    thread = threading.Thread(target=other_thread)
    thread.start()
    with capturing(log):
        print("from the handler")
        inside.set()
        assert printed.wait(timeout=5)
    thread.join(timeout=5)

    assert log.lines == ["from the handler"]
    out = capsys.readouterr().out
    assert "from another thread" in out
    assert "from the handler" not in out


def test_print_after_capturing_goes_to_the_real_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    log = InvocationLog("r-1")
    with capturing(log):
        print("inside")

    print("outside")

    assert log.lines == ["inside"]
    assert capsys.readouterr().out == "outside\n"


def test_two_threads_capture_into_their_own_logs() -> None:
    barrier = threading.Barrier(2, timeout=5)
    logs = {who: InvocationLog(who) for who in ("a", "b")}

    def run(who: str) -> None:
        with capturing(logs[who]):
            barrier.wait()
            print(f"line from {who}")
            barrier.wait()

    threads = [threading.Thread(target=run, args=(who,)) for who in logs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert logs["a"].lines == ["line from a"]
    assert logs["b"].lines == ["line from b"]


def test_function_logs_group_name() -> None:
    assert FunctionLogs("Processor").group_name == "/aws/lambda/Processor"


def test_function_logs_lines_follow_invocation_order() -> None:
    logs = FunctionLogs("Processor")
    logs.add(log_with("r-1", "Processed 3 records", "ok"))
    logs.add(log_with("r-2", "Processed 5 records"))

    assert logs.lines == ["Processed 3 records", "ok", "Processed 5 records"]
    assert logs.text == "Processed 3 records\nok\nProcessed 5 records"


def test_function_logs_matching_and_contains() -> None:
    logs = FunctionLogs("Processor")
    logs.add(log_with("r-1", "Processed 3 records", "ok"))
    logs.add(log_with("r-2", "Processed 5 records"))

    assert logs.matching("Processed") == ["Processed 3 records", "Processed 5 records"]
    assert logs.matching("missing") == []
    assert logs.contains("5 records")
    assert not logs.contains("7 records")


def test_function_logs_framed_text_frames_each_invocation() -> None:
    logs = FunctionLogs("Processor")
    logs.add(log_with("r-1", "one"))
    logs.add(log_with("r-2", "two"))

    framed = logs.framed_text().split("\n")

    assert [line for line in framed if line.startswith("START")] == [
        "START RequestId: r-1 Version: $LATEST",
        "START RequestId: r-2 Version: $LATEST",
    ]
    assert framed.index("one") < framed.index("END RequestId: r-1") < framed.index("two")


def test_function_logs_clear_forgets_everything() -> None:
    logs = FunctionLogs("Processor")
    logs.add(log_with("r-1", "Processed 3 records"))

    logs.clear()

    assert logs.lines == []
    assert not logs.contains("Processed")
    assert logs.framed_text() == ""
