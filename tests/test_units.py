import pytest

from routinecast.units import format_clock, format_ms, parse_db, parse_duration_ms


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
