"""Disclosure control against worked examples, and the proof the issue asks for: an exact solver
(Gaussian elimination over fractions) that works out every hidden figure a reader can recompute
from one published table finds none, on worked examples and on random tables; nor does an exact
linear programme pin any hidden figure to one value, knowing that figures are never negative.
Both are shown to find what a broken protection leaves (primary suppression alone)."""

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oae.reports.disclosure import (
    THRESHOLD,
    Cell,
    Suppression,
    Table,
    protect,
    protect_series,
)

# The reader's solver ------------------------------------------------------------------------


def _equations(published: Table) -> list[tuple[dict, Fraction]]:
    """Every published additive total as `sum of its line's cells - total = 0`, with visible
    figures moved to the right-hand side: (coefficients of the hidden figures, right side)."""
    lines = []
    for row, total in published.row_totals.items():
        lines.append(([("cell", row, column) for column in published.columns], ("row", row), total))
    for column, total in published.column_totals.items():
        lines.append(([("cell", row, column) for row in published.rows], ("column", column), total))
    if published.grand_total is not None:
        everything = [("cell", r, c) for r in published.rows for c in published.columns]
        lines.append((everything, ("grand",), published.grand_total))
    equations = []
    for members, total_name, total in lines:
        if not total.additive:
            continue  # a mean is not the sum of its line
        terms = [(name, 1, published.cell(*name[1:])) for name in members]
        coefficients, right = {}, Fraction(0)
        for name, sign, cell in [*terms, (total_name, -1, total)]:
            if not cell.additive:
                continue
            if cell.hidden:
                coefficients[name] = coefficients.get(name, 0) + sign
            else:
                right -= sign * Fraction(cell.value or 0)
        equations.append((coefficients, right))
    return equations


def _reduced(matrix: list[list[Fraction]]) -> list[list[Fraction]]:
    """Reduced row echelon form, in place and exact."""
    pivot_row = 0
    for column in range(len(matrix[0]) - 1 if matrix else 0):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column]), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        pivot = matrix[pivot_row][column]
        matrix[pivot_row] = [value / pivot for value in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][column]:
                factor = matrix[r][column]
                matrix[r] = [
                    a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)
                ]
        pivot_row += 1
    return matrix


def recomputable(published: Table) -> dict[tuple, Fraction]:
    """The hidden figures the published table determines, with their values: a hidden figure is
    determined when its unit vector lies in the row space of the equations, i.e. when a row of
    the reduced echelon form has that figure alone."""
    equations = _equations(published)
    unknowns = sorted({name for coefficients, _ in equations for name in coefficients})
    matrix = [
        [Fraction(coefficients.get(name, 0)) for name in unknowns] + [right]
        for coefficients, right in equations
    ]
    found = {}
    for row in _reduced(matrix):
        nonzero = [index for index, value in enumerate(row[:-1]) if value]
        if len(nonzero) == 1:
            found[unknowns[nonzero[0]]] = row[-1]
    return found


# The reader's bounds, knowing that figures are never negative --------------------------------


def _pivot(tableau: list[list[Fraction]], basis: list[int], row: int, column: int):
    pivot = tableau[row][column]
    tableau[row] = [value / pivot for value in tableau[row]]
    for other, line in enumerate(tableau):
        if other != row and line[column]:
            factor = line[column]
            tableau[other] = [a - factor * b for a, b in zip(line, tableau[row], strict=True)]
    basis[row] = column


def _maximise(tableau, basis, costs: list[Fraction], columns: int) -> bool:
    """The simplex method with Bland's rule (no cycling) on `tableau` (rows of coefficients and
    right side, feasible), entering only the first `columns`; False when unbounded."""
    while True:
        reduced = [
            costs[j] - sum(costs[basis[i]] * line[j] for i, line in enumerate(tableau))
            for j in range(columns)
        ]
        entering = next((j for j, value in enumerate(reduced) if value > 0), None)
        if entering is None:
            return True
        ratios = [
            (line[-1] / line[entering], basis[i], i)
            for i, line in enumerate(tableau)
            if line[entering] > 0
        ]
        if not ratios:
            return False
        _pivot(tableau, basis, min(ratios)[2], entering)


def _feasible_basis(equations, unknowns) -> tuple[list[list[Fraction]], list[int]]:
    """Phase one: a basic solution with every hidden figure >= 0, through artificial columns
    that are then driven out (rows left with no figure are redundant, and dropped)."""
    width, height = len(unknowns), len(equations)
    tableau = []
    for k, (coefficients, right) in enumerate(equations):
        sign = -1 if right < 0 else 1
        line = [sign * Fraction(coefficients.get(name, 0)) for name in unknowns]
        tableau.append(line + [Fraction(int(a == k)) for a in range(height)] + [sign * right])
    basis = [width + k for k in range(height)]
    _maximise(tableau, basis, [Fraction(0)] * width + [Fraction(-1)] * height, width + height)
    for i, line in enumerate(tableau):
        assert basis[i] < width or line[-1] == 0, "the published table has no solution"
        column = next((j for j in range(width) if line[j]), None)
        if basis[i] >= width and column is not None:
            _pivot(tableau, basis, i, column)
    kept = [i for i in range(height) if basis[i] < width]
    return [tableau[i][:width] + [tableau[i][-1]] for i in kept], [basis[i] for i in kept]


def _largest(tableau, basis, target: int, sign: int) -> Fraction | None:
    """The largest value of `sign` × the target figure (None: unbounded)."""
    tableau, basis = [list(line) for line in tableau], list(basis)
    costs = [Fraction(sign if j == target else 0) for j in range(len(tableau[0]) - 1)]
    if not _maximise(tableau, basis, costs, len(costs)):
        return None
    return sign * next((line[-1] for i, line in enumerate(tableau) if basis[i] == target), 0)


def pinned(published: Table, truth: Table) -> set[tuple]:
    """The hidden figures whose every possible value, given the published table and figures
    never negative, is their true one (exact linear programming over fractions)."""
    equations = _equations(published)
    unknowns = sorted({name for coefficients, _ in equations for name in coefficients})
    if not unknowns:
        return set()
    tableau, basis = _feasible_basis(equations, unknowns)
    found = set()
    for target, name in enumerate(unknowns):
        value = Fraction(_true_value(truth, name))
        highest = _largest(tableau, basis, target, 1)
        if highest is not None and highest <= value:
            lowest = _largest(tableau, basis, target, -1)
            if lowest is not None and -lowest >= value:
                found.add(name)
    return found


def _true_value(table: Table, name: tuple):
    kind, *where = name
    cell = {
        "cell": lambda: table.cell(*where),
        "row": lambda: table.row_totals[where[0]],
        "column": lambda: table.column_totals[where[0]],
        "grand": lambda: table.grand_total,
    }[kind]()
    return cell.value or 0


def _hidden(table: Table) -> set[tuple]:
    names = {("cell", r, c) for (r, c), cell in table.cells.items() if cell.hidden}
    names |= {("row", r) for r, cell in table.row_totals.items() if cell.hidden}
    names |= {("column", c) for c, cell in table.column_totals.items() if cell.hidden}
    if table.grand_total is not None and table.grand_total.hidden:
        names.add(("grand",))
    return names


def _primary_only(table: Table) -> Table:
    """A broken protection, for showing the solver is not vacuous: small cells hidden, nothing
    else."""

    def hide(cell: Cell) -> Cell:
        return Cell(None, 0, cell.additive, Suppression.PRIMARY) if 0 < cell.people < 5 else cell

    return Table(
        rows=table.rows,
        columns=table.columns,
        cells={key: hide(cell) for key, cell in table.cells.items()},
        row_totals={key: hide(cell) for key, cell in table.row_totals.items()},
        column_totals={key: hide(cell) for key, cell in table.column_totals.items()},
        grand_total=None if table.grand_total is None else hide(table.grand_total),
    )


def _table(people: list[list[int]], *, factor=3, rows=True, columns=True, grand=True) -> Table:
    """Offices A, B, … by months m1, m2, …: hours of advice (people × factor), with the totals
    asked for, each the exact sum of its line."""
    names = [chr(ord("A") + index) for index in range(len(people))]
    months = [f"m{index + 1}" for index in range(len(people[0]))]
    cells = {
        (name, month): Cell(count * factor, count)
        for name, line in zip(names, people, strict=True)
        for month, count in zip(months, line, strict=True)
    }
    return Table(
        rows=names,
        columns=months,
        cells=cells,
        row_totals={n: _sum(cells[n, m] for m in months) for n in names} if rows else {},
        column_totals={m: _sum(cells[n, m] for n in names) for m in months} if columns else {},
        grand_total=_sum(cells.values()) if grand else None,
    )


def _sum(cells) -> Cell:
    cells = list(cells)
    return Cell(sum(cell.value or 0 for cell in cells), sum(cell.people for cell in cells))


def _hidden_cells(table: Table) -> set[tuple[str, str]]:
    return {key for key, cell in table.cells.items() if cell.hidden}


# The solver itself ------------------------------------------------------------------------


def test_the_solver_recomputes_a_small_cell_from_its_column_total():
    # Without secondary suppression, 40 - 20 - 14 gives office A's 6 hours back.
    table = Table(
        rows=["A", "B", "C"],
        columns=["hours"],
        cells={
            ("A", "hours"): Cell(6, 3),
            ("B", "hours"): Cell(20, 10),
            ("C", "hours"): Cell(14, 7),
        },
        column_totals={"hours": Cell(40, 20)},
    )
    assert recomputable(_primary_only(table)) == {("cell", "A", "hours"): 6}
    assert recomputable(protect(table)) == {}


def test_the_solver_sees_through_a_cell_linking_two_blocks_of_hidden_cells():
    # Two 2 × 2 blocks of small cells, linked by B-m3, also small. Every line with a hidden cell
    # has at least two, so "one hidden cell per line" would hide nothing more; yet
    # (rows A + B) - (columns m1 + m2) is B-m3 alone.
    people = [
        [1, 2, 9, 8],
        [3, 4, 2, 7],
        [9, 8, 3, 1],
        [6, 7, 4, 2],
    ]
    table = _table(people)
    broken = _primary_only(table)
    lines = [{(r, c) for c in table.columns} for r in table.rows]
    lines += [{(r, c) for r in table.rows} for c in table.columns]
    assert all(len(_hidden_cells(broken) & line) != 1 for line in lines)
    assert recomputable(broken) == {("cell", "B", "m3"): 6}
    safe = protect(table)
    assert recomputable(safe) == {}
    assert _hidden_cells(safe) > _hidden_cells(broken)


def test_the_solver_recomputes_a_hidden_total_from_the_others():
    # Office A's total rests on 4 people; the network's total minus B's gives it back.
    table = _table([[1, 3], [5, 6]], columns=False)
    assert recomputable(_primary_only(table))[("row", "A")] == 12
    assert recomputable(protect(table)) == {}


def test_the_bounds_pin_down_hidden_zeros_that_the_equations_alone_do_not():
    # 0 + 0 = 7 - 7: no equation gives either zero alone, but neither can be below zero.
    series = Table(
        rows=["A"],
        columns=["phone", "video", "in person"],
        cells={
            ("A", "phone"): Cell(0, 3),
            ("A", "video"): Cell(0, 2),
            ("A", "in person"): Cell(7, 10),
        },
        row_totals={"A": Cell(7, 15)},
    )
    broken = _primary_only(series)
    assert recomputable(broken) == {}
    assert pinned(broken, series) == {("cell", "A", "phone"), ("cell", "A", "video")}
    assert pinned(protect(series), series) == set()


def test_the_bounds_pin_down_what_the_equations_determine():
    table = _table([[1, 2, 9, 8], [3, 4, 2, 7], [9, 8, 3, 1], [6, 7, 4, 2]])
    assert pinned(_primary_only(table), table) == {("cell", "B", "m3")}


# Worked examples --------------------------------------------------------------------------


def test_a_small_cell_and_a_published_total_hide_the_smallest_other_cell():
    table = Table(
        rows=["A", "B", "C", "D"],
        columns=["hours"],
        cells={
            ("A", "hours"): Cell(6, 3),
            ("B", "hours"): Cell(20, 10),
            ("C", "hours"): Cell(14, 7),
            ("D", "hours"): Cell(40, 12),
        },
        column_totals={"hours": Cell(80, 32)},
    )
    safe = protect(table)
    assert safe.cell("A", "hours").reason == Suppression.PRIMARY
    assert safe.cell("C", "hours").reason == Suppression.SECONDARY
    assert _hidden_cells(safe) == {("A", "hours"), ("C", "hours")}
    assert safe.column_totals["hours"].shown == 80
    assert recomputable(safe) == {}


def test_without_a_published_total_a_small_cell_hides_nothing_else():
    table = _table([[3, 9], [8, 7]], rows=False, columns=False, grand=False)
    assert _hidden_cells(protect(table)) == {("A", "m1")}


def test_secondary_suppression_cascades_through_rows_and_columns():
    # A-m1 rests on 3 people. Its column gives B-m1 away (5 people, the fewest), B's row then
    # gives away B-m3 (7), m3's column gives away A-m3 (6), and row A now has two.
    table = _table([[3, 8, 6], [5, 9, 7], [6, 7, 12]])
    safe = protect(table)
    assert _hidden_cells(safe) == {("A", "m1"), ("B", "m1"), ("B", "m3"), ("A", "m3")}
    assert not _hidden(safe) - {("cell", r, c) for r, c in _hidden_cells(safe)}
    assert recomputable(safe) == {}


def test_when_the_only_other_cell_is_zero_the_total_is_hidden():
    # Businesses created: 1 by 3 people, none by 6; the total would give the 1 away.
    cells, total = protect_series([Cell(1, 3), Cell(0, 6)], Cell(1, 9))
    assert [cell.reason for cell in cells] == [Suppression.PRIMARY, None]
    assert cells[1].shown == 0
    assert total.reason == Suppression.SECONDARY


def test_hidden_cells_that_add_up_to_zero_get_a_non_zero_partner():
    # 0 + 0 = 7 - 7: two hidden zeros alone would be known to be zero, figures being never
    # negative; hiding the 7 as well lets each of them be anything from 0 to 7.
    cells, total = protect_series([Cell(0, 3), Cell(0, 2), Cell(7, 10)], Cell(7, 15))
    assert [cell.reason for cell in cells] == [Suppression.PRIMARY] * 2 + [Suppression.SECONDARY]
    assert total.shown == 7


def test_a_series_hides_its_smallest_other_non_zero_cell():
    # Sessions by channel: in person, phone, video, e-mail.
    channels = [Cell(40, 25), Cell(3, 2), Cell(0, 0), Cell(9, 6), Cell(12, 8)]
    cells, total = protect_series(channels, Cell(64, 41))
    assert [cell.hidden for cell in cells] == [False, True, False, True, False]
    assert total.shown == 64


def test_means_are_hidden_on_their_own_people_only():
    satisfaction = Table(
        rows=["A", "B", "C"],
        columns=["satisfaction"],
        cells={
            ("A", "satisfaction"): Cell(D("4.5"), 3, additive=False),
            ("B", "satisfaction"): Cell(D("3.9"), 12, additive=False),
            ("C", "satisfaction"): Cell(D("4.1"), 9, additive=False),
        },
        column_totals={"satisfaction": Cell(D("4.1"), 24, additive=False)},
    )
    safe = protect(satisfaction)
    assert _hidden_cells(safe) == {("A", "satisfaction")}
    assert safe.column_totals["satisfaction"].shown == D("4.1")


def test_a_network_mean_on_too_few_people_is_hidden():
    cells, total = protect_series([Cell(4, 2, additive=False)], Cell(4, 2, additive=False))
    assert cells[0].hidden and total.reason == Suppression.PRIMARY


def test_a_mixed_table_protects_counts_and_means_each_their_way():
    table = Table(
        rows=["A", "B", "C"],
        columns=["hours", "satisfaction"],
        cells={
            ("A", "hours"): Cell(D("7.5"), 3),
            ("B", "hours"): Cell(D("30"), 10),
            ("C", "hours"): Cell(D("21.5"), 8),
            ("A", "satisfaction"): Cell(D("4.5"), 6, additive=False),
            ("B", "satisfaction"): Cell(D("3.9"), 2, additive=False),
            ("C", "satisfaction"): Cell(D("4.1"), 9, additive=False),
        },
        column_totals={
            "hours": Cell(D("59"), 21),
            "satisfaction": Cell(D("4.1"), 17, additive=False),
        },
    )
    safe = protect(table)
    assert _hidden_cells(safe) == {("A", "hours"), ("C", "hours"), ("B", "satisfaction")}
    assert recomputable(safe) == {}


def test_zeros_are_not_hidden():
    table = Table(
        rows=["A", "B", "C", "D"],
        columns=["loans"],
        cells={
            ("A", "loans"): Cell(2, 2),
            ("B", "loans"): Cell(0, 0),
            ("C", "loans"): Cell(None, 0),
            ("D", "loans"): Cell(5, 9),
        },
        column_totals={"loans": Cell(7, 11)},
    )
    safe = protect(table)
    assert _hidden_cells(safe) == {("A", "loans"), ("D", "loans")}
    assert safe.cell("B", "loans").shown == 0 and safe.cell("C", "loans").shown is None


def test_nothing_is_hidden_when_every_figure_rests_on_enough_people():
    table = _table([[5, 8, 6], [9, 5, 7]])
    assert protect(table) == table
    assert protect_series([Cell(10, 5), Cell(0, 0)], Cell(10, 5)) == (
        [Cell(10, 5), Cell(0, 0)],
        Cell(10, 5),
    )


def test_ties_go_to_the_earlier_row():
    table = _table([[3], [6], [6]], rows=False)
    assert _hidden_cells(protect(table)) == {("A", "m1"), ("B", "m1")}


def test_rows_the_reader_sees_in_full_are_kept_and_never_relied_on():
    # Office A's staff see A in full: A's 3 people stay for them, and B's hidden 2 people must not
    # be recomputable from A's figures and the network total.
    table = _table([[3, 9], [2, 8], [6, 7]], rows=False, grand=False)
    safe = protect(table, known_rows={"A"})
    assert safe.cell("A", "m1") == table.cell("A", "m1")
    assert safe.cell("B", "m1").reason == Suppression.PRIMARY
    assert recomputable(safe) == {}
    assert recomputable(protect(table)) == {}  # and the public copy keeps A's small cell hidden
    assert safe.cell("C", "m1").hidden or safe.column_totals["m1"].hidden


def test_a_total_the_reader_adds_up_from_their_own_rows_is_hidden_without_fuss():
    table = Table(
        rows=["A"],
        columns=["hours"],
        cells={("A", "hours"): Cell(6, 3)},
        column_totals={"hours": Cell(6, 3)},
    )
    safe = protect(table, known_rows={"A"})
    assert safe.cell("A", "hours") == Cell(6, 3)
    assert safe.column_totals["hours"].reason == Suppression.PRIMARY


def test_a_hidden_cell_carries_no_value_a_template_could_print():
    cells, total = protect_series([Cell(987_654, 2), Cell(10, 6), Cell(12, 7)], Cell(987_676, 15))
    assert "987654" not in repr((cells, total)) and "987654" not in str(cells)
    assert cells[0].shown is None and cells[0].people == 0
    with pytest.raises(ValueError):
        Cell(123_457, 0, reason=Suppression.PRIMARY)


def test_protect_refuses_a_table_already_protected():
    with pytest.raises(ValueError):
        protect(protect(_table([[1, 9], [8, 7]])))


def test_cells_outside_the_table_are_refused():
    with pytest.raises(ValueError):
        Table(rows=["A"], columns=["m1"], cells={("B", "m1"): Cell(1, 1)})


# Random tables ----------------------------------------------------------------------------

people_counts = st.one_of(st.integers(0, THRESHOLD - 1), st.integers(0, 20))


@st.composite
def tables(draw) -> Table:
    height, width = draw(st.integers(2, 8)), draw(st.integers(2, 6))
    people = draw(
        st.lists(
            st.lists(people_counts, min_size=width, max_size=width),
            min_size=height,
            max_size=height,
        )
    )
    factors = draw(
        st.lists(
            st.lists(st.sampled_from([0, 1, 2, 3, 7]), min_size=width, max_size=width),
            min_size=height,
            max_size=height,
        )
    )
    additive = draw(st.lists(st.booleans() | st.just(True), min_size=width, max_size=width))
    rows = [f"r{i}" for i in range(height)]
    columns = [f"c{j}" for j in range(width)]
    cells = {
        (row, column): Cell(people[i][j] * factors[i][j], people[i][j], additive[j])
        for i, row in enumerate(rows)
        for j, column in enumerate(columns)
    }

    def total(members, is_additive=True) -> Cell:
        counted = [cells[key] for key in members if cells[key].additive == is_additive]
        return Cell(
            sum(cell.value for cell in counted), sum(cell.people for cell in counted), is_additive
        )

    published_rows = draw(st.lists(st.booleans(), min_size=height, max_size=height))
    published_columns = draw(st.lists(st.booleans(), min_size=width, max_size=width))
    return Table(
        rows=rows,
        columns=columns,
        cells=cells,
        row_totals={
            row: total([(row, column) for column in columns])
            for row, published in zip(rows, published_rows, strict=True)
            if published
        },
        column_totals={
            column: total([(row, column) for row in rows], additive[j])
            for j, (column, published) in enumerate(zip(columns, published_columns, strict=True))
            if published
        },
        grand_total=total(list(cells)) if draw(st.booleans()) else None,
    )


@settings(max_examples=200, deadline=None)
@given(table=tables(), known=st.sampled_from([(), ("r0",)]))
def test_no_hidden_figure_of_a_random_table_can_be_recomputed(table, known):
    safe = protect(table, known_rows=known)
    assert recomputable(safe) == {}
    for key, cell in table.cells.items():
        published = safe.cells[key]
        if key[0] in known:
            assert published == cell
        elif 0 < cell.people < THRESHOLD:
            assert published.reason == Suppression.PRIMARY
        if not published.hidden:
            assert published == cell
    for margin, published_margins in [
        (table.row_totals, safe.row_totals),
        (table.column_totals, safe.column_totals),
    ]:
        for key, cell in margin.items():
            assert published_margins[key] == cell or published_margins[key].hidden
            if 0 < cell.people < THRESHOLD and key not in known:
                assert published_margins[key].hidden
    assert protect(table, known_rows=known) == safe  # deterministic


@settings(max_examples=200, deadline=None)
@given(table=tables())
def test_no_hidden_figure_of_a_random_table_is_pinned_down_by_non_negative_figures(table):
    assert pinned(protect(table), table) == set()


def test_a_figure_on_no_countable_person_is_hidden_unless_it_is_zero():
    # A case of a company alone counts no person: its "1" cannot be vouched for.
    cells, _total = protect_series([Cell(1, 0), Cell(0, 0), Cell(40, 12), Cell(30, 9)])
    assert cells[0].hidden and not cells[1].hidden
