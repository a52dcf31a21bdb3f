"""eventually() and drain(): return as soon as the work is done, fail naming what was pending."""

from __future__ import annotations

import pytest

from harness.waiting import WaitTimeout, drain, eventually


class FakeSource:
    """A drainable source with a queue of items and a number of `busy()` calls before it goes idle."""

    def __init__(self, items: int = 0, busy_calls: int = 0, reason: str = "a batch is retrying") -> None:
        self.items = items
        self.busy_calls = busy_calls
        self.reason = reason
        self.pumps = 0

    def pump(self) -> int:
        self.pumps += 1
        handled, self.items = self.items, 0
        return handled

    def busy(self) -> str | None:
        if self.busy_calls == 0:
            return None
        if self.busy_calls > 0:
            self.busy_calls -= 1
        return self.reason


class EndlessSource:
    """Delivers one new item on every pump and never reports a reason."""

    def pump(self) -> int:
        return 1

    def busy(self) -> str | None:
        return None


def test_eventually_returns_the_first_truthy_value() -> None:
    answers = iter([None, 0, "", {"id": 7}, {"id": 8}])

    assert eventually(lambda: next(answers), timeout=5) == {"id": 7}


def test_eventually_treats_exceptions_as_not_yet() -> None:
    calls = 0

    def probe() -> str:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise KeyError("item")
        return "found"

    assert eventually(probe, timeout=5) == "found"
    assert calls == 3


def test_eventually_timeout_names_the_message() -> None:
    with pytest.raises(WaitTimeout, match="the order never shipped") as info:
        eventually(lambda: False, timeout=0.05, message="the order never shipped")

    assert "last error" not in str(info.value)


def test_eventually_timeout_names_the_last_error() -> None:
    errors = iter([KeyError("first"), LookupError("second-and-last")])
    last = LookupError("second-and-last")

    def probe() -> None:
        raise next(errors, last)

    with pytest.raises(WaitTimeout) as info:
        eventually(probe, timeout=0.05, message="table never filled")

    text = str(info.value)
    assert "table never filled" in text
    assert "second-and-last" in text
    assert "first" not in text


def test_eventually_accepts_a_callable_message() -> None:
    with pytest.raises(WaitTimeout, match="3 items missing"):
        eventually(lambda: None, timeout=0.05, message=lambda: "3 items missing")


def test_wait_timeout_is_an_assertion_error() -> None:
    assert issubclass(WaitTimeout, AssertionError)


def test_drain_returns_the_delivered_count() -> None:
    first, second = FakeSource(items=3), FakeSource(items=4)

    assert drain(lambda: [first, second], timeout=5) == 7


def test_drain_of_idle_sources_returns_zero() -> None:
    assert drain(lambda: [FakeSource()], timeout=5) == 0
    assert drain(lambda: [], timeout=5) == 0


def test_drain_waits_for_a_busy_source_to_become_idle() -> None:
    source = FakeSource(items=2, busy_calls=3)

    assert drain(lambda: [source], timeout=5) == 2
    assert source.busy_calls == 0
    assert source.pumps >= 5  # three busy rounds, then two quiet ones


def test_drain_sees_sources_added_while_draining() -> None:
    late = FakeSource(items=5)
    sources: list[FakeSource] = [FakeSource(items=1, busy_calls=1)]

    def current() -> list[FakeSource]:
        snapshot = list(sources)
        if late not in sources:
            sources.append(late)
        return snapshot

    assert drain(current, timeout=5) == 6


def test_drain_timeout_names_the_busy_reason() -> None:
    stuck = FakeSource(busy_calls=-1, reason="batch of shard-0001 is retrying")

    with pytest.raises(WaitTimeout, match=r"drain did not finish within 0\.05s: batch of shard-0001 is retrying"):
        drain(lambda: [stuck], timeout=0.05)


def test_drain_timeout_names_every_busy_source() -> None:
    one = FakeSource(busy_calls=-1, reason="1 invocation running")
    two = FakeSource(busy_calls=-1, reason="queue Q has messages in flight")

    with pytest.raises(WaitTimeout) as info:
        drain(lambda: [one, two], timeout=0.05)

    assert "1 invocation running" in str(info.value)
    assert "queue Q has messages in flight" in str(info.value)


def test_drain_timeout_when_sources_keep_delivering() -> None:
    with pytest.raises(WaitTimeout, match="kept delivering new items"):
        drain(lambda: [EndlessSource()], timeout=0.05)


class BackgroundWorkedSource:
    """Its own pump never delivers, but a background consumer makes progress for a few rounds."""

    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        self.counter = 0

    def pump(self) -> int:
        if self.rounds:
            self.rounds -= 1
            self.counter += 1  # what a background poller delivered meanwhile
        return 0

    def busy(self) -> str | None:
        return None

    def progress(self) -> int:
        return self.counter


def test_drain_keeps_going_while_a_background_consumer_makes_progress() -> None:
    source = BackgroundWorkedSource(rounds=5)

    assert drain(lambda: [source], timeout=5) == 0
    assert source.rounds == 0  # it did not return after two rounds in which its own pump delivered nothing


def test_stream_retries_back_off_exponentially_up_to_a_minute() -> None:
    from harness.event_sources.stream import retry_delay

    assert [retry_delay(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
