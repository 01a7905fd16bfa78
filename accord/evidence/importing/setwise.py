"""The staged rows checked set-wise in SQL, then written to the observation table in one
``INSERT ... SELECT``.

Python reads each distinct indicator code, place code, period, breakdown, status and
multiplier once (a file repeats few of them, :mod:`.checks`) into small temporary
tables that the rows are joined with; values are checked in SQL. Only when some row is
bad are the bad rows fetched, and read again in Python, to name each row and column.
Soft problems (a status SDMX does not know, a subdivision kept as written, rows without
a figure) are counted per distinct value, each named by its first line.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from accord.evidence.importing.checks import Options, Places, RowReader, not_a_number
from accord.evidence.importing.layout import Layout
from accord.evidence.importing.report import MAX_REPORTED_PROBLEMS, Problem, aggregated
from accord.evidence.importing.staging import STAGE, StageTable, table
from accord.evidence.models import Dataset, Observation, Place
from accord.evidence.places import PlaceResolver

REPORT_ROWS = MAX_REPORTED_PROBLEMS
# A number PostgreSQL can read as a double: digits, an optional fraction and exponent.
NUMBER_PATTERN = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$"
LARGEST_FLOAT = "1.7976931348623157e308"
# The observation columns the import writes, in the order of :meth:`Stage.insert`.
WRITTEN_COLUMNS = [
    "indicator_id",
    "place_id",
    "period_start",
    "period_end",
    "period_precision",
    "disaggregation_key",
    "disaggregation",
    "value",
    "status",
    "obs_status",
    "unit_multiplier",
    "series",
    "units",
    "source",
    "source_url",
    "note",
    "dataset_id",
]


class Stage(StageTable):
    def __init__(self, layout: Layout, options: Options, resolver: PlaceResolver) -> None:
        super().__init__(layout)
        self.places = Places(resolver, options.place)
        self.reader = RowReader(layout, options, self.places)
        self.places_added = 0
        self.skipped = 0
        self.joins = ""
        self.warn_maps: list[tuple[str, list[int], str]] = []  # alias, key columns, column
        self.warned: set[str] = set()  # the maps some of whose values carry a warning
        # Each with the id of the indicator it concerns and the number of rows it names.
        self.warnings: list[tuple[Problem, int | None, int]] = []

    # --- rows without a figure, rows an SDMX file deletes --------------------------------

    def skip_rows(self, cursor: Any) -> None:
        if self.layout.action is not None:
            action = f"upper(trim({self.columns[self.layout.action]}))"
            self._skip(cursor, f"{action} = 'D'", self.layout.action, "a deletion (D): row skipped")
        cell = self.columns[self.layout.value]
        # On SQLite a number in the value column is stored as one: only text can be blank.
        missing = f"lower(trim({cell})) IN ('', 'nan')"
        if not self.pg:
            missing = f"typeof({cell}) = 'text' AND {missing}"
        self._skip(cursor, missing, self.layout.value, "no figure: row skipped")

    def _skip(self, cursor: Any, condition: str, index: int, message: str) -> None:
        cursor.execute(f"SELECT count(*), min(ord) FROM {STAGE} WHERE {condition}")  # noqa: S608
        count, first = cursor.fetchone()
        if not count:
            return
        cursor.execute(f"DELETE FROM {STAGE} WHERE {condition}")  # noqa: S608
        self.rows -= int(count)
        self.skipped += int(count)
        line = self.lines({int(first)})[int(first)]
        indicator = self.reader.indicator("") if self.layout.indicator is None else None
        problem = Problem(line, self.layout.column(index), message)
        self.warnings.append((aggregated(problem, int(count)), indicator, int(count)))

    def _map(
        self,
        cursor: Any,
        alias: str,
        keys: list[int],
        values: list[tuple[str, str]],
        meaning: Any,
        distinct: list[tuple[str, ...]],
    ) -> None:
        """A small table of each distinct value of the key columns and its meaning."""
        found = [(*key, *meaning(key)) for key in distinct]
        if values[-1][0] == "warn" and any(row[-1] for row in found):
            self.warned.add(alias)
        count = max(len(keys), 1)
        key_names = [f"k{j}" for j in range(count)]
        name = f"accord_import_{alias}"
        self.temp(
            cursor,
            name,
            ", ".join(
                [
                    *(f"{key} text" for key in key_names),
                    *(f"{column} {kind}" for column, kind in values),
                    f"PRIMARY KEY ({', '.join(key_names)})",
                ]
            ),
        )
        if found:
            marks = ", ".join(
                ["%s"] * count
                + ["CAST(%s AS jsonb)" if kind == "jsonb" else "%s" for _column, kind in values]
            )
            cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", found)  # noqa: S608
        condition = (
            " AND ".join(f"{alias}.k{j} = s.{self.columns[i]}" for j, i in enumerate(keys))
            or f"{alias}.k0 = ''"
        )
        self.joins += f" JOIN {name} {alias} ON {condition}"

    def _distinct(self, cursor: Any, groups: list[list[int]]) -> list[list[tuple[str, ...]]]:
        """The distinct values of each group of columns; on PostgreSQL in one pass over
        the staged rows (``GROUPING SETS``). A group of no columns has the one key ``''``."""
        found: list[list[tuple[str, ...]]] = [[] if group else [("",)] for group in groups]
        asked = [number for number, group in enumerate(groups) if group]
        columns = sorted({index for number in asked for index in groups[number]})
        if self.pg and len(asked) > 1 and len(columns) <= 31:
            names = [self.columns[index] for index in columns]
            # GROUPING() sets a bit for each column *not* in the row's grouping set.
            masks = {
                sum(
                    1 << (len(columns) - 1 - position)
                    for position, index in enumerate(columns)
                    if index not in groups[number]
                ): number
                for number in asked
            }
            sets = ", ".join(
                "(" + ", ".join(self.columns[index] for index in groups[number]) + ")"
                for number in asked
            )
            cursor.execute(
                f"SELECT GROUPING({', '.join(names)}), {', '.join(names)} "  # noqa: S608
                f"FROM {STAGE} GROUP BY GROUPING SETS ({sets})"
            )
            for mask, *cells in cursor.fetchall():
                number = masks[mask]
                found[number].append(tuple(cells[columns.index(index)] for index in groups[number]))
            return found
        for number in asked:
            selected = ", ".join(self.columns[index] for index in groups[number])
            cursor.execute(f"SELECT DISTINCT {selected} FROM {STAGE}")  # noqa: S608
            found[number] = [tuple(row) for row in cursor.fetchall()]
        return found

    def resolve(self, cursor: Any) -> None:
        layout, reader = self.layout, self.reader
        one = [] if layout.indicator is None else [layout.indicator]
        breakdown_keys = [index for index, _name in layout.dimensions]
        status_keys = [] if layout.status is None else [layout.status]
        multiplier_keys = [] if layout.multiplier is None else [layout.multiplier]
        indicators, place_keys, periods, breakdowns, statuses, multipliers = self._distinct(
            cursor,
            [one, layout.places, [layout.period], breakdown_keys, status_keys, multiplier_keys],
        )
        integer = "bigint" if self.pg else "integer"
        date = "date" if self.pg else "text"

        def indicator(key: tuple[str, ...]) -> tuple[Any, ...]:
            found = reader.indicator(key[0] if layout.indicator is not None else "")
            return (found, 0 if found else 1)

        places: dict[tuple[str, ...], Place | None] = {
            key: reader.place(key if layout.places else ()) for key in place_keys
        }
        self.places_added = self.places.save_new()

        def place(key: tuple[str, ...]) -> tuple[Any, ...]:
            found = places.get(key)
            if found is None:
                return (None, 1, "")
            code = next((cell.strip().upper() for cell in key if cell.strip()), "")
            return (found.pk, 0, self.places.warnings.get(code, ""))

        def period(key: tuple[str, ...]) -> tuple[Any, ...]:
            found = reader.period(key[0])
            return (None, None, None, 1) if isinstance(found, str) else (*found, 0)

        def breakdown(key: tuple[str, ...]) -> tuple[Any, ...]:
            found = reader.breakdown(tuple(key) if layout.dimensions else ())
            return (None, None, len(found)) if isinstance(found, list) else (*found, 0)

        def status(key: tuple[str, ...]) -> tuple[Any, ...]:
            return reader.status(key[0] if layout.status is not None else "")

        def multiplier(key: tuple[str, ...]) -> tuple[Any, ...]:
            return reader.multiplier(key[0] if layout.multiplier is not None else "")

        bad = ("bad", integer)
        warn = ("warn", "text")
        self._map(cursor, "ind", one, [("id", integer), bad], indicator, indicators)
        self._map(cursor, "plc", layout.places, [("id", integer), bad, warn], place, place_keys)
        self._map(
            cursor,
            "per",
            [layout.period],
            [("begins", date), ("ends", date), ("prec", "text"), bad],
            period,
            periods,
        )
        self._map(
            cursor,
            "brk",
            breakdown_keys,
            [("bkey", "text"), ("dims", "jsonb" if self.pg else "text"), bad],
            breakdown,
            breakdowns,
        )
        self._map(
            cursor,
            "sts",
            status_keys,
            [("code", "text"), ("word", "text"), warn],
            status,
            statuses,
        )
        self._map(
            cursor, "mul", multiplier_keys, [("power", integer), warn], multiplier, multipliers
        )
        self.warn_maps = [
            ("plc", layout.places, layout.column(layout.places[0]) if layout.places else ""),
            ("sts", status_keys, layout.column(status_keys[0]) if status_keys else ""),
            ("mul", multiplier_keys, layout.column(multiplier_keys[0]) if multiplier_keys else ""),
        ]

    # --- the checks in SQL -----------------------------------------------------------------

    def _value_ok(self) -> str:
        value = f"s.{self.columns[self.layout.value]}"
        if not self.pg:
            return f"(typeof({value}) IN ('integer', 'real') AND abs({value}) <= {LARGEST_FLOAT})"
        text = f"trim({value})"
        # Beyond a plain short number, the exact decimal tells whether a double holds it.
        return (
            f"(CASE WHEN {text} ~ '{NUMBER_PATTERN}' THEN "
            f"(length({text}) < 300 AND {text} !~ '[eE]') OR {text}::numeric = 0 "
            f"OR abs({text}::numeric) BETWEEN 1e-307 AND {LARGEST_FLOAT} ELSE false END)"
        )

    def _value(self) -> str:
        value = f"s.{self.columns[self.layout.value]}"
        return f"CAST(trim({value}) AS double precision)" if self.pg else value

    def _good(self, *, writing: bool = False) -> str:
        # When writing on PostgreSQL, the cast itself checks the value: text that is no
        # number stops the statement, and the rows are then checked one by one (below).
        value_ok = f"abs({self._value()}) < 'Infinity'" if writing and self.pg else self._value_ok()
        return f"ind.bad = 0 AND plc.bad = 0 AND per.bad = 0 AND brk.bad = 0 AND {value_ok}"

    def _text(self, index: int | None) -> str:
        return "''" if index is None else f"trim(s.{self.columns[index]})"

    def _notes(self) -> str:
        """The footnote columns, joined with ``; `` where several are filled."""
        joined = "''"
        for index in self.layout.notes:
            cell = self._text(index)
            joined = (
                cell
                if joined == "''"
                else f"(CASE WHEN {cell} = '' THEN {joined} WHEN {joined} = '' THEN {cell} "
                f"ELSE {joined} || '; ' || {cell} END)"
            )
        return joined

    def insert(self, cursor: Any, dataset: Dataset) -> int:
        layout = self.layout
        columns = ", ".join(connection.ops.quote_name(c) for c in WRITTEN_COLUMNS)
        cursor.execute(
            f"INSERT INTO {table(Observation)} ({columns}) "  # noqa: S608
            f"SELECT ind.id, plc.id, per.begins, per.ends, per.prec, brk.bkey, brk.dims, "
            f"{self._value()}, sts.word, sts.code, mul.power, {self._text(layout.series)}, "
            f"{self._text(layout.units)}, {self._text(layout.source)}, "
            f"{self._text(layout.source_url)}, {self._notes()}, %s FROM {STAGE} s{self.joins} "
            f"WHERE {self._good(writing=True)}",
            [dataset.pk],
        )
        return int(cursor.rowcount)

    # --- soft problems, each distinct value once --------------------------------------------

    def collect_warnings(self, cursor: Any) -> None:
        for alias, keys, column in self.warn_maps:
            if not keys or alias not in self.warned:
                continue
            names = ", ".join(f"{alias}.k{j}" for j in range(len(keys)))
            cursor.execute(
                f"SELECT {names}, {alias}.warn, ind.id, count(*), min(s.ord) "  # noqa: S608
                f"FROM {STAGE} s{self.joins} WHERE {alias}.warn <> '' "
                f"GROUP BY {names}, {alias}.warn, ind.id ORDER BY min(s.ord) LIMIT {REPORT_ROWS}"
            )
            found = cursor.fetchall()
            lines = self.lines({int(row[-1]) for row in found})
            for *key, message, indicator, count, first in found:
                value = next((str(cell).strip() for cell in key if str(cell).strip()), "")
                problem = Problem(lines[int(first)], column, message, value=value)
                self.warnings.append((aggregated(problem, int(count)), indicator, int(count)))
        self.warnings.sort(key=lambda item: item[0].line)

    # --- naming the bad rows (only when there are some) ----------------------------------

    def problems(self, cursor: Any) -> tuple[list[Problem], int]:
        bad = (
            "(ind.bad + plc.bad + per.bad + brk.bad "
            f"+ CASE WHEN {self._value_ok()} THEN 0 ELSE 1 END)"
        )
        source = f"FROM {STAGE} s{self.joins} WHERE {bad} > 0"
        cursor.execute(f"SELECT coalesce(sum({bad}), 0) {source}")
        count = int(cursor.fetchone()[0])
        cells = ", ".join(f"s.{name}" for name in self.columns)
        cursor.execute(
            f"SELECT s.ord, CASE WHEN {self._value_ok()} THEN 1 ELSE 0 END, {cells} {source} "
            f"ORDER BY s.ord LIMIT {REPORT_ROWS}"
        )
        bad_rows = cursor.fetchall()

        series, units = self._text(self.layout.series), self._text(self.layout.units)
        good = (
            "WITH good AS (SELECT s.ord, ind.id AS indicator_id, plc.id AS place_id, "  # noqa: S608
            f"per.begins, per.ends, brk.bkey, {series} AS series, {units} AS units, "
            "min(s.ord) OVER (PARTITION BY ind.id, plc.id, per.begins, per.ends, "
            f"{series}, {units}, brk.bkey) AS earliest FROM {STAGE} s{self.joins} "
            f"WHERE {self._good()}) "
        )
        repeats = "FROM good WHERE ord > earliest"
        cursor.execute(f"{good} SELECT count(*) {repeats}")
        count += int(cursor.fetchone()[0])
        cursor.execute(f"{good} SELECT ord, earliest {repeats} ORDER BY ord LIMIT {REPORT_ROWS}")
        repeated = cursor.fetchall()
        held = (
            f"FROM good g JOIN {table(Observation)} o ON o.indicator_id = g.indicator_id "
            "AND o.place_id = g.place_id AND o.period_start = g.begins "
            "AND o.period_end = g.ends AND o.series = g.series AND o.units = g.units "
            "AND o.disaggregation_key = g.bkey "
            f"LEFT JOIN {table(Dataset)} d ON d.id = o.dataset_id WHERE g.ord = g.earliest"
        )
        cursor.execute(f"{good} SELECT count(*) {held}")
        count += int(cursor.fetchone()[0])
        cursor.execute(f"{good} SELECT g.ord, d.name {held} ORDER BY g.ord LIMIT {REPORT_ROWS}")
        conflicts = cursor.fetchall()

        lines = self.lines(
            {row[0] for row in bad_rows}
            | {ord for pair in repeated for ord in pair}
            | {row[0] for row in conflicts}
        )
        found: list[Problem] = []
        value_column = self.layout.column(self.layout.value)
        for ord_, value_ok, *row in bad_rows:
            line = lines[ord_]
            texts = ["" if cell is None else str(cell) for cell in row]
            row_problems = self.reader.problems(line, texts)
            if not row_problems and not value_ok:  # SQL is stricter than Python on edges
                text = texts[self.layout.value].strip()
                row_problems.append(Problem(line, value_column, not_a_number(text), value=text))
            found.extend(row_problems)
        found.extend(
            Problem(
                lines[ord_],
                "key",
                f"repeats line {lines[first]}: same indicator, place, period, series, units "
                "and disaggregation",
            )
            for ord_, first in repeated
        )
        found.extend(
            Problem(
                lines[ord_],
                "key",
                f"dataset {name or 'without a name'!r} already holds a value for this "
                "indicator, place, period, series, units and disaggregation",
            )
            for ord_, name in conflicts
        )
        found.sort(key=lambda problem: problem.line)
        return found[:MAX_REPORTED_PROBLEMS], count
