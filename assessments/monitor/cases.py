"""Reading a case file for the test and monitor tool: scores by outcome and group, no row.

The file is opened with the shared loader (data_loader.py) and read in batches, a column
at a time; what is kept (`Cases`) is each group's scores split by outcome, the counts of
the values of the columns watched for drift, and nothing that names a case. A value that
cannot be used (an outcome that is not yes or no, a score out of range, a group column
with hundreds of values) is refused with the column and the first rows named.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import compress, groupby, islice
from operator import itemgetter, not_
from typing import Any, Callable, Iterable, Mapping

from ..data.loader import ByteSource, Table, open_table
from ..core.errors import InputError
from ..data.fairness import Counts, ScoreCounts
from .model import NOT_RECORDED, Settings, TestMonitorBank, load_test_monitor_bank, settings_from_answers

__all__ = ["Cases", "CaseRun", "open_cases", "cases_from_counts"]


@dataclass
class Cases:
    """A case file reduced to scores by outcome, overall and per group: all the measures
    need, and nothing that names a case. Drift columns keep counts of their values."""

    file_name: str
    read_as: str
    uses_score: bool
    overall: ScoreCounts
    groups: dict[str, dict[str, ScoreCounts]]  # group column -> group -> scores
    drift: dict[str, Counter]  # column -> value -> cases
    rows: int
    calibration: dict[tuple[float, float, int], list] = field(default_factory=dict)  # by (lowest, highest, bands)


@dataclass
class _Problem:
    column: str
    what: str
    rows: list[int] = field(default_factory=list)
    count: int = 0

    def add(self, row: int, limit: int) -> None:
        self.count += 1
        if len(self.rows) < limit:
            self.rows.append(row)


def _row_list(rows: list[int], count: int) -> str:
    named = ", ".join(f"{row:,}" for row in rows)
    more = count - len(rows)
    return f"row{'s' if count > 1 else ''} {named}" + (f" and {more:,} more" if more > 0 else "")


_BATCH_ROWS = 20_000
# Up to this many groups in a batch, each group's scores are picked out in a pass of
# their own; more, and one sort by group is quicker.
_FEW_GROUPS = 12
# What a cell of the outcome or prediction column is, once read.
_MISSING, _BAD, _OUT_OF_RANGE = "missing", "bad", "out of range"


class _CaseReader:
    """Reads rows in batches, a column at a time with the standard library's C-speed tools
    (zip, map, compress, sorted, Counter), as the data quality check does: each distinct
    value is judged once, not each cell, so 100,000 cases take well under a second."""

    def __init__(self, table: Table, settings: Settings, bank: TestMonitorBank, file_name: str) -> None:
        if not settings.mapped:
            raise InputError("Choose the column with what happened (the outcome) and the column with the tool's "
                             "prediction or score, under ‘Columns’, to test the tool.")
        columns = list(table.columns)
        wanted = [settings.outcome_column, settings.score_column or settings.prediction_column,
                  *settings.group_columns, *settings.drift_columns]
        missing = [name for name in dict.fromkeys(wanted) if name not in columns]
        if missing:
            shown = ", ".join(f"“{name}”" for name in columns[:30]) + (" …" if len(columns) > 30 else "")
            raise InputError(f"“{file_name}” has no column called {', '.join(f'“{m}”' for m in missing)}. "
                             f"Its columns are: {shown}.")
        self.settings, self.bank = settings, bank
        self.outcome_at = columns.index(settings.outcome_column)
        self.predicted_column = settings.score_column or settings.prediction_column
        self.predicted_at = columns.index(self.predicted_column)
        self.group_at = [(name, columns.index(name)) for name in settings.group_columns]
        self.drift_at = [(name, columns.index(name)) for name in settings.drift_columns]
        limit = bank.rows_named
        self.problems = {
            (self.outcome_at, _MISSING): _Problem(settings.outcome_column, "no value"),
            (self.outcome_at, _BAD): _Problem(settings.outcome_column, "a value that is not yes or no"),
            (self.predicted_at, _MISSING): _Problem(self.predicted_column, "no value"),
            (self.predicted_at, _BAD): _Problem(self.predicted_column, "a value that is not a number"
                                                if settings.uses_score else "a value that is not yes or no"),
            (self.predicted_at, _OUT_OF_RANGE): _Problem(
                self.predicted_column, f"a score outside {settings.score_lowest:g} to {settings.score_highest:g}"),
        }
        self.limit = limit
        self.outcomes: dict[str, Any] = {}  # cell text -> True, False, _MISSING or _BAD
        self.predictions: dict[str, Any] = {}  # cell text -> score, _MISSING, _BAD or _OUT_OF_RANGE
        self.labels: dict[str, str] = {}  # cell text -> group label
        self.happened: list[float] = []
        self.not_happened: list[float] = []
        self.groups: dict[str, dict[str, tuple[list[float], list[float]]]] = {name: {} for name, _ in self.group_at}
        self.too_many: dict[str, int] = {}
        self.drift: dict[str, Counter] = {name: Counter() for name, _ in self.drift_at}
        self.rows = 0

    def _outcome(self, text: str) -> Any:
        value = text.strip().lower()
        if not value:
            return _MISSING
        return True if value in self.bank.yes_values else False if value in self.bank.no_values else _BAD

    def _prediction(self, text: str) -> Any:
        value = text.strip()
        if not value:
            return _MISSING
        if not self.settings.uses_score:
            lowered = value.lower()
            return 1.0 if lowered in self.bank.yes_values else 0.0 if lowered in self.bank.no_values else _BAD
        try:
            score = float(value)
        except ValueError:
            return _BAD
        s = self.settings
        return score if s.score_lowest <= score <= s.score_highest else _OUT_OF_RANGE  # also refuses nan

    @staticmethod
    def _judged(cache: dict[str, Any], cells: tuple[str, ...], judge: Callable[[str], Any]) -> list[Any]:
        for text in set(cells).difference(cache):
            cache[text] = judge(text)
        return list(map(cache.__getitem__, cells))

    def add(self, numbers: list[int], batch: list[list[str]]) -> None:
        self.rows += len(batch)
        columns = list(zip(*batch))
        happened = self._judged(self.outcomes, columns[self.outcome_at], self._outcome)
        scores = self._judged(self.predictions, columns[self.predicted_at], self._prediction)
        for at, values, good in ((self.outcome_at, happened, (True, False)), (self.predicted_at, scores, None)):
            kinds = {value for value in set(values) if isinstance(value, str)}
            for kind in kinds:  # only when something is wrong: then name the rows
                problem = self.problems[(at, kind)]
                for number, value in zip(numbers, values):
                    if value == kind and not isinstance(value, bool):
                        problem.add(number, self.limit)
        for name, at in self.drift_at:
            self.drift[name].update(map(str.strip, columns[at]))
        if any(problem.count for problem in self.problems.values()):
            return  # the file will be refused: no need to count its groups
        yes = list(compress(scores, happened))
        no = list(compress(scores, map(not_, happened)))
        self.happened.extend(yes)
        self.not_happened.extend(no)
        for name, at in self.group_at:
            labels = self._judged(self.labels, columns[at], lambda text: text.strip() or NOT_RECORDED)
            groups = self.groups[name]
            if name in self.too_many:
                continue
            new = [label for label in dict.fromkeys(labels) if label not in groups]  # in order of first row
            room = self.bank.max_groups - len(groups)
            if len(new) > room:
                self.too_many[name] = numbers[labels.index(new[room])]
                continue
            for label in new:
                groups[label] = ([], [])
            for slot, chosen in ((0, happened), (1, list(map(not_, happened)))):
                these_labels = list(compress(labels, chosen))
                these_scores = list(compress(scores, chosen))
                present = set(these_labels)
                if len(present) <= _FEW_GROUPS:  # one C-speed pass per group
                    for label in present:
                        groups[label][slot].extend(compress(these_scores, map(label.__eq__, these_labels)))
                    continue
                pairs = sorted(zip(these_labels, these_scores), key=itemgetter(0))
                for label, items in groupby(pairs, key=itemgetter(0)):
                    groups[label][slot].extend(map(itemgetter(1), items))

    def finish(self, file_name: str, read_as: str) -> Cases:
        problems = [problem for problem in self.problems.values() if problem.count]
        messages = [f"The column “{p.column}” has {p.what} in {_row_list(p.rows, p.count)}." for p in problems]
        for name, row_number in self.too_many.items():
            messages.append(f"The group column “{name}” has more than {self.bank.max_groups} different values (the "
                            f"{self.bank.max_groups + 1}st first appears in row {row_number:,}). A group column holds a "
                            "few groups, such as ethnicity, sex or age band: choose another column, or group its values "
                            "(for example into bands) first.")
        if messages:
            hint = (" Every case needs what happened and what the tool said: correct or remove those rows, and "
                    "choose the file again." if problems else "")
            raise InputError(" ".join(messages) + hint)
        return Cases(file_name, read_as, self.settings.uses_score, ScoreCounts(self.happened, self.not_happened),
                     {name: {label: ScoreCounts(*pair) for label, pair in groups.items()}
                      for name, groups in self.groups.items()},
                     self.drift, self.rows)


class CaseRun:
    """One case file read in steps, as the data quality check reads (data_quality.CheckRun):
    open it, `step()` until it says it is done, then `finish()`. Between steps the worker
    reports the rows read and takes a "Cancel" (cssc-data-worker.js, stepThrough)."""

    # Rows per step: one batch of the reader, so stepping costs nothing over one call.
    STEP_ROWS = _BATCH_ROWS

    def __init__(self, read_at: Callable[[int, int], Any], size: int, file_name: str, answers: Mapping[str, Any],
                 sheet: str = "", bank: TestMonitorBank | None = None) -> None:
        self.bank = bank or load_test_monitor_bank()
        self.file_name = str(file_name)[:200]
        self.source = ByteSource(read_at, size)
        self.table = open_table(self.source, self.file_name, self.bank.limits, sheet)
        self.reader = _CaseReader(self.table, settings_from_answers(answers, self.bank), self.bank, self.file_name)
        self._rows = self.table.rows()
        self.done = False

    def step(self, rows: int = STEP_ROWS) -> bool:
        """Read up to `rows` more rows; True once the file has been read to the end."""
        numbered = list(islice(self._rows, rows))
        self.done = len(numbered) < rows
        if numbered:
            self.reader.add([number for number, _ in numbered], [values for _, values in numbered])
        return self.done

    def progress(self) -> dict[str, Any]:
        return {"rows": self.reader.rows, "bytes": self.source.furthest, "size": self.source.size}

    def finish(self) -> Cases:
        """The counts, once every row has been read (InputError naming columns and rows if
        some values cannot be used)."""
        while not self.done:
            self.step()
        return self.reader.finish(self.file_name, self.table.description)


def open_cases(read_at: Callable[[int, int], Any], size: int, file_name: str, answers: Mapping[str, Any],
               sheet: str = "", bank: TestMonitorBank | None = None) -> tuple[Table, Cases]:
    """Read a whole case file at once (CPython callers; the browser steps a CaseRun)."""
    run = CaseRun(read_at, size, file_name, answers, sheet, bank)
    return run.table, run.finish()


def cases_from_counts(group_column: str, groups: Iterable[tuple[str, Counts]]) -> str:
    """A CSV case file with exactly these counts by group (outcome, prediction, group):
    the worked examples as a file, for the tests and the bench."""
    lines = [f"Outcome,Prediction,{group_column}"]
    for name, counts in groups:
        for outcome, prediction, number in (("yes", "yes", counts.tp), ("no", "yes", counts.fp),
                                            ("yes", "no", counts.fn), ("no", "no", counts.tn)):
            lines.extend([f"{outcome},{prediction},{name}"] * number)
    return "\r\n".join(lines) + "\r\n"
