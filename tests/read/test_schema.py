"""The JSON Schema editors use: it is what the code says, shipped routines pass it, typical mistakes fail it."""

from pathlib import Path

import jsonschema
import pytest
import yaml

from routinecast.read import schema
from routinecast.starter import TEMPLATE, schema_path
from tests.support.routines import EVERY_KIND, SCRIPTS

ROOT = Path(__file__).parents[2]
VALIDATOR = jsonschema.Draft202012Validator(schema.schema())


def test_the_shipped_file_is_the_schema_the_code_makes():
    assert schema_path().read_text(encoding="utf-8") == schema.text()
    jsonschema.Draft202012Validator.check_schema(schema.schema())


@pytest.mark.parametrize(
    "path",
    [
        *SCRIPTS,
        *sorted((ROOT / "scripts" / "shared").glob("*.yaml")),
        *sorted((ROOT / "docs" / "examples").glob("*.yaml")),
    ],
    ids=lambda p: p.name,
)
def test_shipped_routines_and_examples_are_valid(path):
    assert list(VALIDATOR.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))) == []
    assert path.read_text().startswith("# yaml-language-server: $schema=")


def test_the_starting_routine_and_every_step_kind_are_valid():
    for text in (TEMPLATE, EVERY_KIND):
        assert list(VALIDATOR.iter_errors(yaml.safe_load(text))) == []


@pytest.mark.parametrize(
    "mistake",
    [
        "titel: T\nsteps: [{say: Hi.}]",
        "title: T\nsteps: [{sey: Hi.}]",
        "title: T\nsteps: [{hold: 30 seconds}]",
        "title: T\nsteps: [{breathe: {in: 4, out: 4, cycles: many}}]",
        "title: T\nsteps: [{breathe: {in: 4}}]",
        "title: T\nsteps: [{hold: 5s, cues: [{at: 1s, after: 1s, say: Hi.}]}]",
        "title: T\nsteps: [{bell: loud}]",
        "title: T\nsteps: []",
        "title: T\nvoice: {rate: 500}\nsteps: [{say: Hi.}]",
        "title: T\nbackground: {noise: blue}\nsteps: [{say: Hi.}]",
    ],
)
def test_typical_mistakes_are_flagged(mistake):
    assert list(VALIDATOR.iter_errors(yaml.safe_load(mistake)))
