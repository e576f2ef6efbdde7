from datetime import UTC, datetime

import pytest

from config import cursors


def test_a_cursor_reads_back_what_was_written():
    at = datetime(2026, 11, 27, 13, 5, 1, 250, tzinfo=UTC)

    token = cursors.encode([at.isoformat(), 42])

    assert cursors.decode(token, cursors.moment, cursors.integer) == (at, 42)


def test_a_cursor_reads_the_str_form_of_a_time_and_an_empty_position():
    token = cursors.encode([3, True, None])
    dated = cursors.encode([0, False, "2026-11-27 13:05:01+00:00"])

    assert cursors.decode(token, cursors.integer, cursors.boolean, cursors.optional(cursors.moment)) == (
        3,
        True,
        None,
    )
    assert cursors.decode(dated, cursors.integer, cursors.boolean, cursors.moment)[2].year == 2026


@pytest.mark.parametrize(
    "values",
    [[1.0, 1], [True, 1], [-1, 1], [2**63, 1], ["1", 1], [[1], 1], [1], [1, 2, 3]],
)
def test_a_cursor_holding_anything_but_two_small_integers_is_refused(values):
    with pytest.raises(cursors.BadCursor):
        cursors.decode(cursors.encode(values), cursors.integer, cursors.integer)


def test_a_cursor_longer_than_any_the_server_writes_is_refused():
    with pytest.raises(cursors.BadCursor):
        cursors.decode(cursors.encode(["x" * cursors.MAX_LENGTH]), lambda value: value)
