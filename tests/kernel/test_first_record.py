"""``kernel.tables.first_record`` reads the header from the start of the text alone, and gives
what Python's csv module gives reading the whole text: the record and the lines it spans."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.tables import first_record

CELLS = st.text(alphabet=st.sampled_from(["a", "é", ",", '"', "\n", "\r", " "]), max_size=12)


def whole(text: str) -> tuple[list[str], int]:
    reader = csv.reader(io.StringIO(text, newline=""))
    return next(reader, []), reader.line_num


@given(st.lists(CELLS, max_size=6), st.lists(st.lists(CELLS, max_size=4), max_size=4))
def test_the_first_record_is_the_csv_modules(header, rows):
    out = io.StringIO(newline="")
    csv.writer(out).writerows([header, *rows])
    assert first_record(out.getvalue()) == whole(out.getvalue())


@pytest.mark.parametrize("width", [10, 20_000, 70_000])
def test_a_header_longer_than_the_first_chunk_or_over_several_lines_is_read_whole(width):
    names = ["URN", f'"a name\nover {"x" * width} lines"', "phase"]
    text = ",".join(names) + "\n" + "1,2,3\n" * 100_000
    record, lines = first_record(text)
    assert record == ["URN", f"a name\nover {'x' * width} lines", "phase"]
    assert (record, lines) == whole(text) and lines == 2


def test_a_header_the_csv_module_cannot_read_is_its_error():
    text = f"URN,{'n' * 200_000}\n" + "1,2\n" * 100_000  # past the csv module's field limit
    with pytest.raises(csv.Error):
        whole(text)
    with pytest.raises(csv.Error):
        first_record(text)
