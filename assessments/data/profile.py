"""Profiling a data extract column by column, in one pass over its rows.

`Profiler.add_rows` takes rows as the loader streams them and keeps, per column, how
often each distinct value occurs (up to a cap). Every judgement about a value (missing?
a number? a date, in which format, a real one?) is then made once per distinct value at
the end and weighted by its count, which is what makes 100,000 rows × 30 columns fast
in the browser. Past the cap, a column's further new values are judged one by one into
the same totals, so the counts stay exact.

Per row, only what needs the row is done: whole-row duplicates, duplicate identifiers,
"must be unique" rules, date order between two columns, and completeness by group.
Rows are never kept: duplicates are found by a 64-bit key per row (see `_row_keys`).

The result, `Profile`, holds exact counts and the values it found; `report` (in
data_quality.py) applies disclosure control before anything is shown or saved.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from operator import and_, itemgetter, methodcaller, not_, or_
from itertools import compress, islice, repeat
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from .loader import looks_like_formula

__all__ = [
    "Rule",
    "ProfileOptions",
    "DATE_FORMATS",
    "ColumnProfile",
    "GroupProfile",
    "Profile",
    "Profiler",
    "parse_number",
    "parse_date",
    "is_missing",
]


@dataclass(frozen=True)
class Rule:
    """A reader's rule for one column. kind: is-a-date | unique | allowed-values | not-after."""

    column: str
    kind: str
    allowed: tuple[str, ...] = ()  # allowed-values
    other_column: str = ""  # not-after: this column's date must not be after that one's


@dataclass(frozen=True)
class ProfileOptions:
    today: date
    null_like: frozenset[str]  # lower-case values that mean "not recorded"
    type_share: float  # share of recorded rows of one kind that makes a column that kind
    category_max_distinct: int
    outlier_fence: float  # Tukey's fences: this many interquartile ranges beyond the quartiles
    earliest_plausible_year: int
    distinct_cap: int  # distinct values counted per column before judging values one by one
    identifier_column: str = ""
    group_column: str = ""
    rules: tuple[Rule, ...] = ()


# ----------------------------------------------------------------- reading values

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NUMBER_START = frozenset("0123456789+-.")
_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
# (format shown to the reader, pattern, order of the groups). UK exports write the day
# first, so 03/04/2024 is read as 3 April.
DATE_FORMATS: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (label, re.compile(pattern + _TIME), order) for label, pattern, order in (
        ("YYYY-MM-DD", r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"),
        ("DD/MM/YYYY", r"(\d{1,2})/(\d{1,2})/(\d{4})", "dmy"),
        ("DD-MM-YYYY", r"(\d{1,2})-(\d{1,2})-(\d{4})", "dmy"),
        ("DD.MM.YYYY", r"(\d{1,2})\.(\d{1,2})\.(\d{4})", "dmy"),
        ("DD/MM/YY", r"(\d{1,2})/(\d{1,2})/(\d{2})", "dmy"),
        ("YYYY/MM/DD", r"(\d{4})/(\d{1,2})/(\d{1,2})", "ymd"),
        ("D Month YYYY", r"(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{4})", "dmy"),
    )
)


def parse_number(text: str) -> float | None:
    """A number written as a number (1,234.5 too), or None. Codes with a leading zero
    (007, 01234) are codes, not numbers."""
    value = text.strip()
    if not value or value[0] not in _NUMBER_START or not _NUMBER.fullmatch(value):
        return None
    digits = value.lstrip("+-")
    if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
        return None
    return float(value.replace(",", ""))


def parse_date(text: str) -> tuple[str, date | None] | None:
    """(format, the date or None if no such day exists), or None if not date-shaped."""
    value = text.strip()
    if len(value) < 6 or len(value) > 40 or not value[0].isdigit():
        return None
    for label, pattern, order in DATE_FORMATS:
        match = pattern.fullmatch(value)
        if not match:
            continue
        first, second, third = match.groups()[:3]
        if order == "ymd":
            year, month, day = int(first), int(second), int(third)
        else:
            day, year = int(first), int(third)
            if second.isdigit():
                month = int(second)
            elif second.lower() in _MONTHS:
                month = _MONTHS[second.lower()]
            else:
                return None
            if len(third) == 2:  # two-digit years: 00-49 are 2000s
                year += 2000 if year < 50 else 1900
        try:
            return label, date(year, month, day)
        except ValueError:
            return label, None
    return None


def is_missing(text: str, null_like: frozenset[str]) -> bool:
    stripped = text.strip()
    return not stripped or stripped.lower() in null_like


# --------------------------------------------------------------- column results


@dataclass
class ColumnProfile:
    """Exact counts for one column (rows, not distinct values, unless named so)."""

    name: str
    rows: int = 0
    blank: int = 0
    null_like: int = 0
    distinct: int = 0  # distinct recorded values
    distinct_capped: bool = False  # more distinct values than were counted one by one
    most_common: list[tuple[str, int]] = field(default_factory=list)
    kind: str = "empty"  # empty | number | date | category | text
    numbers: int = 0  # rows holding a number
    dates: int = 0  # rows holding something date-shaped (real or not)
    impossible_dates: int = 0
    future_dates: int = 0
    implausible_dates: int = 0  # before the earliest plausible year
    date_formats: dict[str, int] = field(default_factory=dict)
    date_range: tuple[str, str] | None = None
    number_range: tuple[float, float] | None = None
    outliers: int = 0
    not_of_kind: int = 0  # recorded values that are not of the column's kind
    formula_like: int = 0
    spelling_groups: list[list[tuple[str, int]]] = field(default_factory=list)  # near-duplicate spellings
    near_duplicate_rows: int = 0  # rows in the less common spellings of a group
    duplicate_values: int = 0  # rows repeating an earlier row's value (identifier and unique rules)
    rule_failures: dict[str, int] = field(default_factory=dict)  # rule kind -> rows failing it

    @property
    def missing(self) -> int:
        return self.blank + self.null_like


@dataclass
class GroupProfile:
    label: str
    rows: int = 0
    missing: dict[str, int] = field(default_factory=dict)  # column -> rows missing


@dataclass
class Profile:
    columns: list[ColumnProfile]
    rows: int
    duplicate_rows: int
    groups: list[GroupProfile]
    group_column: str
    identifier_column: str


# ----------------------------------------------------------------- the profiler


class _Judged:
    """What is known about a column's values, judged once per distinct value."""

    def __init__(self) -> None:
        self.blank = self.null_like = self.numbers = self.dates = self.impossible = 0
        self.future = self.implausible = self.formula_like = 0
        self.formats: Counter[str] = Counter()
        self.number_values: dict[float, int] = {}
        self.date_min: date | None = None
        self.date_max: date | None = None
        self.recorded: dict[str, int] = {}  # distinct recorded values (capped columns: those counted)

    def judge(self, value: str, count: int, options: ProfileOptions) -> None:
        stripped = value.strip()
        if not stripped:
            self.blank += count
            return
        if stripped.lower() in options.null_like:
            self.null_like += count
            return
        if looks_like_formula(stripped) and parse_number(stripped) is None:
            self.formula_like += count
        number = parse_number(stripped)
        if number is not None:
            self.numbers += count
            self.number_values[number] = self.number_values.get(number, 0) + count
            return
        parsed = parse_date(stripped)
        if parsed is not None:
            label, day = parsed
            self.dates += count
            self.formats[label] += count
            if day is None:
                self.impossible += count
                return
            if day > options.today:
                self.future += count
            if day.year < options.earliest_plausible_year:
                self.implausible += count
            self.date_min = day if self.date_min is None or day < self.date_min else self.date_min
            self.date_max = day if self.date_max is None or day > self.date_max else self.date_max


class Profiler:
    """Feed it rows (lists of text, one per column) with `add_rows`, then `finish()`."""

    def __init__(self, columns: Iterable[str], options: ProfileOptions) -> None:
        self.columns = tuple(columns)
        self.options = options
        self.rows = 0
        self._counts: list[Counter[str]] = [Counter() for _ in self.columns]
        self._capped: list[bool] = [False] * len(self.columns)
        self._overflow = [_Judged() for _ in self.columns]  # values past the cap, judged one by one
        self._overflow_distinct: list[set[int]] = [set() for _ in self.columns]
        self._row_hashes: set[int] = set()
        self.duplicate_rows = 0
        index = {name: position for position, name in enumerate(self.columns)}
        # Columns whose values must not repeat: the identifier and "unique" rules. Their
        # repeats are read from the column's counts at the end; only a column past the cap
        # (whose new values are no longer counted) keeps a set of the values it has seen.
        unique = {options.identifier_column} | {rule.column for rule in options.rules if rule.kind == "unique"}
        self._unique_columns = {index[name] for name in unique if name in index}
        self._unique: dict[int, set[str]] = {}  # capped unique columns: every recorded value seen
        self._duplicates = {position: 0 for position in self._unique_columns}  # repeats found past the cap
        self._order_rules = [(index[rule.column], index[rule.other_column]) for rule in options.rules
                             if rule.kind == "not-after" and rule.column in index and rule.other_column in index]
        self._order_failures = [0] * len(self._order_rules)
        # "Allowed values" rules, by column: past the cap a column's new values are not
        # counted one by one, so those outside the list are counted as they come.
        self._allowed = {index[rule.column]: frozenset(rule.allowed) for rule in options.rules
                         if rule.kind == "allowed-values" and rule.column in index}
        self._outside_allowed_past_cap = {position: 0 for position in self._allowed}
        self._date_memo: dict[str, date | None] = {}
        self._group_index = index.get(options.group_column)
        self._groups: dict[str, GroupProfile] = {}
        self._missing_values: set[str] = set()  # every value seen that counts as missing
        self._missing_words = frozenset(options.null_like | {""})  # a value missing once stripped and lower-cased

    # One call per batch of rows. The work is done a column at a time with the standard
    # library's C-speed tools (Counter.update, set.update, itertools.compress), not cell
    # by cell in Python: in the browser that is the difference between seconds and tens.
    def add_rows(self, rows: list[list[str]]) -> None:
        if not rows:
            return
        self.rows += len(rows)
        hashes = self._row_hashes
        before = len(hashes)
        hashes.update(_row_keys(rows))
        self.duplicate_rows += len(rows) - (len(hashes) - before)
        columns = list(zip(*rows))
        capped_now = set()  # this batch is counted already, so it is not looked for in the set
        for position, values in enumerate(columns):
            counter = self._counts[position]
            known = len(counter)
            if not self._capped[position]:
                counter.update(values)  # counted in C
                self._note_missing(list(islice(counter, known, None)))
                if len(counter) > self.options.distinct_cap:
                    self._cap(position, counter)
                    capped_now.add(position)
            else:
                self._overflow_values(position, counter, values)
        for position, seen in self._unique.items():
            if position in capped_now:
                continue
            recorded = [value for value in columns[position] if value.strip()]
            known = len(seen)
            seen.update(recorded)
            self._duplicates[position] += len(recorded) - (len(seen) - known)
        for number, (earlier, later) in enumerate(self._order_rules):
            date_of = self._date
            for first, second in zip(map(date_of, columns[earlier]), map(date_of, columns[later])):
                if first is not None and second is not None and first > second:
                    self._order_failures[number] += 1
        if self._group_index is not None:
            self._add_to_groups(columns)

    def _cap(self, position: int, counter: Counter[str]) -> None:
        """From now on the column's new values are judged one by one, not counted; a
        column that must be unique starts a set of the values seen, with its repeats so far."""
        self._capped[position] = True
        if position in self._unique_columns:
            self._duplicates[position] = self._repeats_counted(counter)
            self._unique[position] = {value for value in counter if value.strip()}

    def _repeats_counted(self, counter: Counter[str]) -> int:
        """Rows whose (recorded) value an earlier row already had, from a column's counts."""
        repeats = sum(counter.values()) - len(counter)
        return repeats - sum(counter[value] - 1 for value in self._missing_values.intersection(counter)
                             if not value.strip())

    def _overflow_values(self, position: int, counter: Counter[str], values) -> None:
        """A column past the cap: values already counted go on being counted; new ones
        are judged one by one and remembered only by their key (a missing value is
        remembered as missing, and is not a distinct recorded value)."""
        judged, distinct = self._overflow[position], self._overflow_distinct[position]
        allowed = self._allowed.get(position)
        missing_words = self._missing_words
        for value in values:
            if value in counter:
                counter[value] += 1
                continue
            judged.judge(value, 1, self.options)
            stripped = value.strip()
            if stripped.lower() in missing_words:
                self._missing_values.add(value)
                continue
            distinct.add(_text_key(value))
            if allowed is not None and stripped not in allowed:
                self._outside_allowed_past_cap[position] += 1

    def _note_missing(self, new_values: list[str] | tuple[str, ...]) -> None:
        # Stripped, lower-cased and looked up with map and compress: C-speed, with no
        # Python step per value (most columns' new values are ids, dates and notes).
        keys = map(str.lower, map(str.strip, new_values))
        self._missing_values.update(compress(new_values, map(self._missing_words.__contains__, keys)))

    def _date(self, value: str) -> date | None:
        if value not in self._date_memo:
            parsed = parse_date(value)
            day = parsed[1] if parsed else None
            if len(self._date_memo) < 200_000:
                self._date_memo[value] = day
            return day
        return self._date_memo[value]

    def _add_to_groups(self, columns: list[tuple[str, ...]]) -> None:
        missing_values = self._missing_values
        is_missing_value = missing_values.__contains__
        labels = [label.strip() for label in columns[self._group_index]]
        labels = ["" if label in missing_values or label.lower() in self.options.null_like else label
                  for label in labels]
        for label, rows in Counter(labels).items():
            if label not in self._groups:
                self._groups[label] = GroupProfile(label, missing={name: 0 for name in self.columns})
            self._groups[label].rows += rows
        for name, values in zip(self.columns, columns):
            for label, rows in Counter(compress(labels, map(is_missing_value, values))).items():
                self._groups[label].missing[name] += rows

    # ------------------------------------------------------------------ finishing

    def finish(self) -> Profile:
        columns = [self._column(position) for position in range(len(self.columns))]
        groups = sorted(self._groups.values(), key=lambda group: (-group.rows, group.label))
        return Profile(columns, self.rows, self.duplicate_rows, groups, self.options.group_column
                       if self._group_index is not None else "",
                       self.options.identifier_column if self.options.identifier_column in self.columns else "")

    def _column(self, position: int) -> ColumnProfile:
        options = self.options
        name = self.columns[position]
        judged = self._overflow[position]
        counter = self._counts[position]
        missing = self._missing_values.intersection(counter)
        for value in missing:
            if value.strip():
                judged.null_like += counter[value]
            else:
                judged.blank += counter[value]
        # Only a value that starts with a letter can be neither a number, a date nor a
        # formula: most text (names, ids, notes) is passed over without a closer look, and
        # without a Python step per value (the filter is map and compress, in C).
        starts_with_letter = map(str.isalpha, map(_FIRST_CHARACTER, counter))
        for value, count in compress(counter.items(), map(not_, starts_with_letter)):
            if value not in missing:
                judged.judge(value, count, options)
        column = ColumnProfile(name, rows=self.rows, blank=judged.blank, null_like=judged.null_like)
        column.distinct = len(counter) - len(missing) + len(self._overflow_distinct[position])
        column.distinct_capped = self._capped[position]
        column.most_common = [(value, count) for value, count in _most_common(counter, 5 + len(missing))
                              if value not in missing][:5]
        if column.distinct <= options.category_max_distinct or any(r.column == name for r in options.rules):
            judged.recorded = {value: count for value, count in counter.items() if value not in missing}
        column.numbers, column.dates, column.formula_like = judged.numbers, judged.dates, judged.formula_like
        recorded_rows = self.rows - column.missing
        rules = {rule.kind: rule for rule in options.rules if rule.column == name}
        column.kind = self._kind(judged, column, recorded_rows, "is-a-date" in rules)
        if column.kind == "date" or judged.dates:
            column.impossible_dates, column.future_dates = judged.impossible, judged.future
            column.implausible_dates = judged.implausible
            column.date_formats = dict(judged.formats.most_common())
            if judged.date_min is not None:
                column.date_range = (judged.date_min.isoformat(), judged.date_max.isoformat())
        if column.kind == "number":
            column.number_range, column.outliers = _number_summary(judged.number_values, options.outlier_fence)
        kind_rows = {"number": column.numbers, "date": column.dates}.get(column.kind)
        column.not_of_kind = recorded_rows - kind_rows if kind_rows is not None else 0
        if column.kind == "category":
            column.spelling_groups = _near_duplicates(judged.recorded)
            column.near_duplicate_rows = sum(sum(count for _, count in group[1:]) for group in column.spelling_groups)
        if position in self._unique_columns:
            if not self._capped[position]:
                self._duplicates[position] = self._repeats_counted(counter)
            column.duplicate_values = self._duplicates[position]
        if "is-a-date" in rules:
            column.rule_failures["is-a-date"] = recorded_rows - (column.dates - column.impossible_dates)
        if "unique" in rules:
            column.rule_failures["unique"] = self._duplicates.get(position, 0)
        if "allowed-values" in rules:
            allowed = set(rules["allowed-values"].allowed)
            outside = sum(count for value, count in judged.recorded.items() if value.strip() not in allowed)
            column.rule_failures["allowed-values"] = outside + self._outside_allowed_past_cap[position]
        for number, (earlier, _) in enumerate(self._order_rules):
            if earlier == position:
                column.rule_failures["not-after"] = column.rule_failures.get("not-after", 0) + self._order_failures[number]
        return column

    def _kind(self, judged: _Judged, column: ColumnProfile, recorded_rows: int, said_date: bool) -> str:
        if recorded_rows == 0:
            return "empty"
        if said_date:
            return "date"
        share = self.options.type_share
        if judged.numbers >= share * recorded_rows:
            return "number"
        if judged.dates >= share * recorded_rows:
            return "date"
        if column.distinct <= self.options.category_max_distinct and not column.distinct_capped:
            return "category"
        return "text"


_FIRST_CHARACTER = itemgetter(slice(0, 1))  # value[:1]

# Keys that stand for a row (or a value) when it is not kept: 64 bits, from two unrelated
# 32-bit checks of it, Python's hash and CRC-32 of its UTF-8 text. Python's hash alone is
# 64 bits in CPython but 32 in Pyodide (sys.hash_info.width), where 100,000 different
# rows would share a hash about once and a million about a hundred times, each counted as
# a duplicate. Worked out with map, in C, like the rest of a batch.
_LOW_32 = 0xFFFFFFFF
_ROW_SEPARATOR = "\x1f"  # the unit separator: a row's values joined, for its CRC
_UTF8 = methodcaller("encode", "utf-8", "surrogatepass")


def _row_keys(rows: list[list[str]]):
    hashes = map(and_, map(hash, map(tuple, rows)), repeat(_LOW_32))
    checks = map(int.__lshift__, map(zlib.crc32, map(_UTF8, map(_ROW_SEPARATOR.join, rows))), repeat(32))
    return map(or_, checks, hashes)


def _text_key(value: str) -> int:
    return zlib.crc32(_UTF8(value)) << 32 | hash(value) & _LOW_32


def _most_common(counter: Counter[str], how_many: int) -> list[tuple[str, int]]:
    """The `how_many` most common (value, rows), most first, ties in the order first seen
    (as Counter.most_common gives them). Values less common than the last of them are left
    out by compress, in C, not looked at one by one in Python; of those exactly as common
    as the last, the first seen are taken without sorting (in an id column, all of them)."""
    if len(counter) <= how_many:
        return sorted(counter.items(), key=itemgetter(1), reverse=True)
    least = sorted(counter.values(), reverse=True)[how_many - 1]
    above = sorted(compress(counter.items(), map(least.__lt__, counter.values())), key=itemgetter(1), reverse=True)
    return above + list(islice(compress(counter.items(), map(least.__eq__, counter.values())), how_many - len(above)))


def _number_summary(values: dict[float, int], fence: float) -> tuple[tuple[float, float] | None, int]:
    """((lowest, highest), rows outside Tukey's fences), from {value: rows}."""
    if not values:
        return None, 0
    ordered = sorted(values.items())
    total = sum(count for _, count in ordered)

    def quantile(share: float) -> float:
        # The value below which `share` of the rows fall (nearest rank).
        target = max(1, round(share * total))
        running = 0
        for value, count in ordered:
            running += count
            if running >= target:
                return value
        return ordered[-1][0]

    lower, upper = quantile(0.25), quantile(0.75)
    spread = upper - lower
    low, high = lower - fence * spread, upper + fence * spread
    outliers = sum(count for value, count in ordered if value < low or value > high) if spread > 0 else 0
    return (ordered[0][0], ordered[-1][0]), outliers


def _spelling_key(value: str) -> str:
    return "".join(character for character in value.casefold() if character.isalnum())


def _near_duplicates(recorded: dict[str, int]) -> list[list[tuple[str, int]]]:
    """Groups of spellings that are probably one value: the same letters and digits
    ignoring case, spaces and punctuation ("Male", "male ", "MALE"), or a single letter
    that is the initial of exactly one longer value ("M" beside "Male"). Most common first."""
    groups: dict[str, list[tuple[str, int]]] = {}
    for value, count in recorded.items():
        key = _spelling_key(value)
        if key:
            groups.setdefault(key, []).append((value, count))
    initials = [key for key in groups if len(key) == 1]
    for initial in initials:
        longer = [key for key in groups if len(key) > 1 and key[0] == initial and key.isalpha()]
        if len(longer) == 1:
            groups[longer[0]].extend(groups.pop(initial))
    found = [sorted(group, key=lambda item: (-item[1], item[0])) for group in groups.values() if len(group) > 1]
    return sorted(found, key=lambda group: (-sum(count for _, count in group), group[0][0]))
