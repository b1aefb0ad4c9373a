"""Helpers for the bank tests: a bank file as plain TOML data (to break on purpose), the
ids a bank file holds, and the junk values the property tests feed to validators."""

from __future__ import annotations

import dataclasses
import tomllib
from importlib import resources
from typing import Any, Iterator

from hypothesis import strategies as st


def raw_bank(slug: str) -> dict[str, Any]:
    """The bank file `assessments/banks/<slug>.toml` as TOML data, not yet validated."""
    return tomllib.loads(resources.files("assessments").joinpath("banks", f"{slug}.toml").read_text("utf-8"))


def ids_in_file(raw: Any) -> list[str]:
    """Every `id` the file gives, in file order, leaving out the worked examples and the
    migrations (which name the ids of earlier versions)."""
    if isinstance(raw, dict):
        found: list[str] = []
        for key, value in raw.items():
            if key in ("examples", "migrations"):  # a migration names ids of earlier versions
                continue
            found += [value] if key == "id" and isinstance(value, str) else ids_in_file(value)
        return found
    if isinstance(raw, list):
        return [name for value in raw for name in ids_in_file(value)]
    return []


def bank_parts(bank: Any) -> Iterator[Any]:
    """Every part of a loaded bank's frozen model (the dataclasses within it, the bank
    first), leaving out the worked examples."""
    if dataclasses.is_dataclass(bank):
        yield bank
        for field in dataclasses.fields(bank):
            if field.name != "examples":
                yield from bank_parts(getattr(bank, field.name))
    elif isinstance(bank, (list, tuple)):
        for value in bank:
            yield from bank_parts(value)
    elif hasattr(bank, "values") and not isinstance(bank, (str, bytes)):
        for value in bank.values():
            yield from bank_parts(value)


def ids_in_bank(bank: Any) -> list[str]:
    """Every `id` of the loaded bank's frozen model, leaving out the worked examples."""
    return [part.id for part in bank_parts(bank) if isinstance(getattr(part, "id", None), str)]


# Any JSON-like value, small: what a damaged or hostile file can put where an answer goes.
JUNK = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12)),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)),
    max_leaves=6,
)
