"""Statistical disclosure control: which figures may leave an office's own staff space.

Comparisons between offices, public figures and open data must not tell anyone about a handful
of identifiable people. Statisticians do it in two steps, and so does this module, the one place
screens, CSV, PDF and open data go through, so that they all hide the same cells:

- **Primary suppression**: a figure built on 1 to THRESHOLD - 1 people is hidden. A figure built
  on nobody, without a value or with zero, has nobody to protect and stays.
- **Secondary (complementary) suppression**: a hidden figure that adds up into a published total
  (a count, hours, an amount) could be worked back from it: the total minus the other cells of
  its line. So more cells are hidden until no hidden figure can be. Means, medians and shares add
  up into no total, so they are hidden on their own people count only.

When is a hidden figure safe? A table with its totals is a set of linear equations (every line
adds up, the totals' row and column too), and figures are never negative. A hidden figure is
safe when another table that agrees with everything published, and has no negative figure,
gives it another value. Draw the rows and columns as nodes and every figure the reader does not
know (the hidden ones, and the totals the table does not publish) as an edge: the hidden figure
is safe exactly when it lies on a cycle of unknown figures along which it can move while the
others move in turn, up or down alternately, none going below zero (a zero can only go up).
Counting "one hidden cell per line" is not enough: a cell linking two blocks of hidden cells can
still be worked out from the sums of their lines. For each hidden figure without such a cycle,
secondary suppression hides the cheapest published figures that close one (Dijkstra's shortest
path): non-zero cells first, then totals, then zero cells, then empty cells; fewest people, then
smallest value; ties go to the earlier row and column, so the result is deterministic.

A reader who sees some rows in full (their own office's) knows those figures: pass them as
`known_rows`, so that no cycle relies on them. A figure no cycle can ever free is worked out from
those rows alone, whatever else is published, and is left as it is.

What callers keep true: people counts are not published next to a protected table; a figure is
additive only when its totals are its exact sum (distinct people over months are not); tables
are protected one at a time, so two published tables that share cells (the same figure by office
and month, and by office and service) are not protected against each other. Public screens and
files show primary and secondary suppressions alike: `reason` would tell which cells are small.
"""

import heapq
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

THRESHOLD = 5

Number = int | float | Decimal


class Suppression(StrEnum):
    PRIMARY = "primary"  # built on fewer than THRESHOLD people
    SECONDARY = "secondary"  # hidden so that a total cannot give another hidden figure away


@dataclass(frozen=True)
class Cell:
    """A figure (None: no data) and the distinct people it is built on. A hidden cell carries
    neither: render `shown` (None when hidden) and `hidden`, never anything else of it."""

    value: Number | None
    people: int
    additive: bool = True  # counts, hours, amounts: adds up into totals; means and shares do not
    reason: Suppression | None = None

    def __post_init__(self):
        if self.people < 0:
            raise ValueError("a figure cannot be built on fewer than no people")
        if self.reason is not None and (self.value is not None or self.people):
            raise ValueError("a hidden cell carries neither its value nor its people")

    @property
    def hidden(self) -> bool:
        return self.reason is not None

    @property
    def shown(self) -> Number | None:
        """What a screen or a file prints: the value, or None when hidden or without data."""
        return None if self.hidden else self.value

    @property
    def empty(self) -> bool:
        """Nobody and nothing: no data or a plain zero, nothing to protect."""
        return self.people == 0 and not self.value


EMPTY = Cell(None, 0)


@dataclass(frozen=True)
class Table:
    """Cells by (row, column), e.g. (office, figure code), with the totals the table publishes:
    per row across the columns, per column across the rows, and the grand total."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], Cell]
    row_totals: dict[str, Cell] = field(default_factory=dict)
    column_totals: dict[str, Cell] = field(default_factory=dict)
    grand_total: Cell | None = None

    def __post_init__(self):
        rows, columns = set(self.rows), set(self.columns)
        if len(rows) != len(self.rows) or len(columns) != len(self.columns):
            raise ValueError("row and column names must be unique")
        if not (
            all(row in rows and column in columns for row, column in self.cells)
            and set(self.row_totals) <= rows
            and set(self.column_totals) <= columns
        ):
            raise ValueError("every cell and total must belong to a row or column of the table")

    def cell(self, row: str, column: str) -> Cell:
        return self.cells.get((row, column), EMPTY)

    def all_cells(self) -> Iterator[Cell]:
        yield from self.cells.values()
        yield from self.row_totals.values()
        yield from self.column_totals.values()
        if self.grand_total is not None:
            yield self.grand_total


def protect(table: Table, *, known_rows: Collection[str] = ()) -> Table:
    """The table as it may be published: primary and secondary suppression applied, visible
    cells unchanged. `known_rows` are rows the reader already sees in full (their own office's):
    they are returned as they are, and no hidden cell may be recomputed with their help."""
    if any(cell.hidden for cell in table.all_cells()):
        raise ValueError("protect() takes the figures before any suppression")
    equations = _Equations(table, set(known_rows))
    secondary = equations.suppress_secondary()
    return _published(table, set(known_rows), secondary)


def protect_series(cells: list[Cell], total: Cell | None = None) -> tuple[list[Cell], Cell | None]:
    """One line, e.g. sessions by channel, and its total if published."""
    series = "series"
    columns = [str(index) for index in range(len(cells))]
    table = Table(
        rows=[series],
        columns=columns,
        cells={(series, column): cell for column, cell in zip(columns, cells, strict=True)},
        row_totals={} if total is None else {series: total},
    )
    safe = protect(table)
    return [safe.cell(series, column) for column in columns], safe.row_totals.get(series)


def _too_few_people(cell: Cell) -> bool:
    """Built on 1 to 4 people; or a figure that is not zero yet rests on no person the
    figure can count (a case of a company alone): a small figure we cannot vouch for."""
    if 0 < cell.people < THRESHOLD:
        return True
    return cell.people == 0 and cell.value not in (None, 0)


# Secondary suppression --------------------------------------------------------------------

# The price of hiding a published figure, compared in this order: empty cells, zero cells and
# totals are each a last resort to the one before; then fewest people, then smallest value.
_Key = tuple[int, int]  # (row, column); the totals' row and column come last
_Cost = tuple[int, int, int, int, float]
_NOTHING: _Cost = (0, 0, 0, 0, 0.0)


def _hiding_cost(cell: Cell, *, total: bool) -> _Cost:
    empty = cell.empty and not total
    zero = not cell.value and not empty
    return (int(empty), int(zero), int(total), cell.people, float(abs(cell.value or 0)))


def _add(one: _Cost, other: _Cost) -> _Cost:
    return tuple(a + b for a, b in zip(one, other, strict=True))  # type: ignore[return-value]


@dataclass
class _Figure:
    """An entry of the table extended with its totals (the totals' row and column last), as the
    equations see it. Row and column totals enter with sign -1, so that every line adds to 0."""

    sign: int
    nonzero: bool
    unknown: bool  # to the reader: hidden, or a total the table does not publish
    cost: _Cost | None = None  # of hiding it; None when it cannot be hidden (or already is)
    protected: bool = False  # hidden: must not be recomputable


def _figure(cell: Cell, *, sign: int, total: bool, known: bool) -> _Figure:
    if known:
        return _Figure(sign, bool(cell.value), unknown=False)
    if _too_few_people(cell):
        return _Figure(sign, bool(cell.value), unknown=True, protected=True)
    return _Figure(sign, bool(cell.value), unknown=False, cost=_hiding_cost(cell, total=total))


class _Equations:
    """Rows 0..height-1 and the totals' row `height` are nodes 0..height; columns (and the
    totals' column) follow them. Each figure is an edge between its row and its column, and each
    direction it can move in is an arc (see `_moves`)."""

    def __init__(self, table: Table, known_rows: set[str]):
        self.height, self.width = len(table.rows), len(table.columns)
        self.figures: dict[_Key, _Figure] = {}
        for i, row in enumerate(table.rows):
            for j, column in enumerate(table.columns):
                cell = table.cell(row, column)
                if cell.additive:  # the others are in no equation
                    self.figures[i, j] = _figure(cell, sign=1, total=False, known=row in known_rows)
        for i, row in enumerate(table.rows):
            self._add_total((i, self.width), table.row_totals.get(row), -1, row in known_rows)
        for j, column in enumerate(table.columns):
            self._add_total((self.height, j), table.column_totals.get(column), -1, False)
        self._add_total((self.height, self.width), table.grand_total, 1, False)
        # Arcs out of each node: of the figures the reader does not know, and of all of them
        # but those they know (the ones secondary suppression may pick).
        self.unknown_arcs: dict[int, list[tuple[int, _Key]]] = defaultdict(list)
        self.arcs: dict[int, list[tuple[int, _Key]]] = defaultdict(list)
        for key in sorted(self.figures):
            figure = self.figures[key]
            if figure.unknown or figure.cost is not None:
                self._add_arcs(self.arcs, key)
            if figure.unknown:
                self._add_arcs(self.unknown_arcs, key)

    def _add_total(self, key: _Key, cell: Cell | None, sign: int, known: bool):
        if cell is not None and cell.additive:
            self.figures[key] = _figure(cell, sign=sign, total=True, known=known)
            return
        # Unpublished, or a mean that is not the sum: the reader does not know the sum, unless
        # they see the whole row.
        nonzero = _line_nonzero(self.figures, key, self.height, self.width)
        self.figures[key] = _Figure(sign, nonzero, unknown=not known)

    def _add_arcs(self, arcs: dict[int, list[tuple[int, _Key]]], key: _Key):
        for start, end in self._moves(key):
            arcs[start].append((end, key))

    def _moves(self, key: _Key) -> list[tuple[int, int]]:
        """The directions a figure can move in, as (from, to) nodes: up always, down unless it
        is zero. Moving a figure with sign +1 up goes from its row to its column."""
        figure, row, column = self.figures[key], key[0], self.height + 1 + key[1]
        up = (row, column) if figure.sign > 0 else (column, row)
        return [up, (up[1], up[0])] if figure.nonzero else [up]

    def suppress_secondary(self) -> set[_Key]:
        """Close a cycle through every hidden figure, in row and column order. Every figure on
        a cycle can move, and hiding more never opens a cycle, so one pass is enough."""
        secondary: set[_Key] = set()
        safe: set[_Key] = set()
        for key in sorted(key for key, figure in self.figures.items() if figure.protected):
            if key in safe:
                continue
            cycle = self._cycle(key, free_only=True) or self._cycle(key, free_only=False)
            if cycle is None:
                continue  # nothing published helps: the reader works it out from their own rows
            for other in cycle:
                figure = self.figures[other]
                if not figure.unknown:
                    figure.unknown, figure.protected, figure.cost = True, True, None
                    self._add_arcs(self.unknown_arcs, other)
                    secondary.add(other)
            safe.update(cycle)
        return secondary

    def _cycle(self, key: _Key, *, free_only: bool) -> list[_Key] | None:
        """The figures of the cheapest cycle through `key`: `key` moves along one of its arcs,
        and a path of other figures leads back (made only of unknown figures if `free_only`)."""
        paths = []
        for start, end in self._moves(key):
            path = self._cheapest_path(avoiding=key, start=end, goal=start, free_only=free_only)
            if path is not None:
                paths.append(path)
        return [key, *min(paths)[1]] if paths else None

    def _cheapest_path(
        self, *, avoiding: _Key, start: int, goal: int, free_only: bool
    ) -> tuple[_Cost, list[_Key]] | None:
        """Dijkstra's shortest path: unknown figures are free, published ones cost their
        hiding."""
        arcs = self.unknown_arcs if free_only else self.arcs
        best = {start: _NOTHING}
        came_from: dict[int, tuple[int, _Key]] = {}
        queue = [(_NOTHING, start)]
        while queue:
            cost, node = heapq.heappop(queue)
            if node == goal:
                return cost, _path(came_from, goal)
            if cost > best[node]:
                continue
            for neighbour, key in arcs[node]:
                if key == avoiding:
                    continue
                figure = self.figures[key]
                step = cost if figure.unknown else _add(cost, figure.cost)
                if neighbour not in best or step < best[neighbour]:
                    best[neighbour], came_from[neighbour] = step, (node, key)
                    heapq.heappush(queue, (step, neighbour))
        return None


def _path(came_from: dict[int, tuple[int, _Key]], node: int) -> list[_Key]:
    keys = []
    while node in came_from:
        node, key = came_from[node]
        keys.append(key)
    return keys[::-1]


def _line_nonzero(figures: dict[_Key, _Figure], key: _Key, height: int, width: int) -> bool:
    """Whether any additive cell of the line (or of the table, for the grand total) is not zero."""
    i, j = key
    return any(
        figure.nonzero
        for (a, b), figure in figures.items()
        if a < height and b < width and (i == height or a == i) and (j == width or b == j)
    )


def _published(table: Table, known_rows: set[str], secondary: set[_Key]) -> Table:
    height, width = len(table.rows), len(table.columns)

    def publish(cell: Cell, key: _Key, known: bool = False) -> Cell:
        if known:
            return cell
        if _too_few_people(cell):
            return Cell(None, 0, cell.additive, Suppression.PRIMARY)
        if key in secondary:
            return Cell(None, 0, cell.additive, Suppression.SECONDARY)
        return cell

    cells = {}
    for i, row in enumerate(table.rows):
        for j, column in enumerate(table.columns):
            if (row, column) in table.cells or (i, j) in secondary:
                cells[row, column] = publish(table.cell(row, column), (i, j), row in known_rows)
    return Table(
        rows=list(table.rows),
        columns=list(table.columns),
        cells=cells,
        row_totals={
            row: publish(table.row_totals[row], (i, width), row in known_rows)
            for i, row in enumerate(table.rows)
            if row in table.row_totals
        },
        column_totals={
            column: publish(table.column_totals[column], (height, j))
            for j, column in enumerate(table.columns)
            if column in table.column_totals
        },
        grand_total=None
        if table.grand_total is None
        else publish(table.grand_total, (height, width)),
    )
