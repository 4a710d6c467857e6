import time

import pytest

from routinecast.units import duration_in_words, format_clock, format_ms, parse_db, parse_duration_ms


@pytest.mark.parametrize(
    "text, ms",
    [
        (5, 5000),
        (2.5, 2500),
        ("500ms", 500),
        ("30s", 30000),
        ("1.5s", 1500),
        ("2m", 120000),
        ("1m30s", 90000),
        ("1h", 3600000),
        ("1h2m3s", 3723000),
        ("7", 7000),
        ("0.25", 250),
        ("-5s", -5000),
        ("1m 30s", 90000),
        ("0s", 0),
    ],
)
def test_durations(text, ms):
    assert parse_duration_ms(text) == ms


@pytest.mark.parametrize("text", ["five", "5x", "", "m", "1.2.3s", None, True, "5s5m"])
def test_bad_durations(text):
    with pytest.raises(ValueError, match="must be a duration like 5, 2.5, 500ms, 30s, 1m30s or 1h"):
        parse_duration_ms(text)


def test_decibels():
    assert parse_db("-6dB") == -6.0
    assert parse_db(3) == 3.0
    with pytest.raises(ValueError):
        parse_db("loud")


def test_formats():
    assert format_ms(754_300) == "12m 34.3s"
    assert format_ms(3_723_000) == "1h 2m 3.0s"
    assert format_clock(754_300) == "12:34.3"


@pytest.mark.parametrize(
    "value, message",
    [
        ("+-5s", "with at most one sign"),
        ("--5", "with at most one sign"),
        ("1h61m", "must have under 60 minutes after the hours, like 1h30m"),
        ("1m75s", "must have under 60 seconds after the minutes, like 1m30s"),
        ("1h75s", "must have under 60 seconds after the hours"),
        ("1s1500ms", "must have under 1000 ms after the seconds, like 1s500ms"),
        ("1e400000", "must be at most 1000h"),
        ("9" * 5000, "must be at most 1000h"),
        ("1001h", "must be at most 1000h"),
        (1e308, "must be at most 1000h"),
        (10**99, "must be at most 1000h"),
        (float("inf"), "must be a duration"),
        (float("nan"), "must be a duration"),
        ("inf", "must be a duration"),
        ("nan", "must be a duration"),
        ("1e99999999999999999999", "must be a duration"),
    ],
)
def test_durations_at_the_edges_are_refused(value, message):
    with pytest.raises(ValueError, match=message):
        parse_duration_ms(value)


@pytest.mark.parametrize(
    "text, ms", [("90s", 90_000), ("75m", 4_500_000), ("1h59m59s999ms", 7_199_999), ("1000h", 3_600_000_000)]
)
def test_durations_at_the_edges_that_are_fine(text, ms):
    assert parse_duration_ms(text) == ms


def test_huge_totals_format_without_overflow():
    assert format_ms(10**200 * 3_600_000).endswith("h 0m 0.0s")
    assert format_clock(10**200 * 60_000).endswith(":00.0")


@pytest.mark.parametrize(
    ("written", "better"),
    [
        ("30 seconds", "30s"),
        ("30sec", "30s"),
        ("2 mins", "2m"),
        ("1.5 minutes", "1.5m"),
        ("5 Minutes", "5m"),
        ("500 milliseconds", "500ms"),
        ("1 hour 30 minutes", "1h30m"),
        ("1 minute 30 seconds", "1m30s"),
        ("1 min, 30 secs", "1m30s"),
        ("1 minute and 30 seconds", "1m30s"),
        ("5\u2028s", "5s"),
        ("1:30", "1m30s"),
        ("0:45", "45s"),
        ("10:00", "10m"),
        ("1:30:00", "1h30m"),
    ],
)
def test_a_length_in_words_or_as_a_clock_is_said_as_a_duration(written, better):
    assert duration_in_words(written) == better
    assert parse_duration_ms(better) > 0


@pytest.mark.parametrize(
    "written",
    ["30s", "90h", "1h75m", "2 hours 75 minutes", "half a minute", "3 breaths", "0:00", "1:75", "9999:00:00", "x"],
)
def test_no_duration_is_suggested_for_what_is_right_already_or_no_length(written):
    """Nothing for a duration written right, one that would still be wrong, or words that are no length."""
    assert duration_in_words(written) is None


@pytest.mark.parametrize("written", ["1s" + " " * 9990 + "x", "1s ," * 2000 + "x", "1s and " * 1400 + "x"])
def test_long_words_are_read_quickly(written):
    started = time.perf_counter()
    assert duration_in_words(written) is None
    assert time.perf_counter() - started < 0.1
