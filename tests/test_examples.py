"""The examples in docs/ build as they are written."""

from pathlib import Path

from routinecast import plan

EXAMPLES = Path(__file__).parents[1] / "docs" / "examples"


def test_circuit_fits_fourteen_fixed_slots_exactly():
    # A peer tool's example workout: 14 stations of 45 s, each with a bell, its name, a tip right after,
    # a halfway switch and a 5-4-3-2-1; written with one block in 32 lines (the peer's takes 55).
    path = EXAMPLES / "circuit.yaml"
    assert len(path.read_text().splitlines()) <= 35
    timeline = plan(path).timeline
    assert timeline.ms(timeline.length) == 14 * 45_000
    assert [timeline.ms(c.start) for c in timeline.chapters] == [n * 45_000.0 for n in range(14)]
    said = [e.text for e in timeline.events if e.kind == "speech"]
    assert said[:3] == [
        "Jumping jacks. Station one of fourteen.",
        "Land softly on the balls of your feet.",
        "Halfway. Keep going.",
    ]
    assert said.count("Change legs.") == 1 and said.count("Five") == 14
