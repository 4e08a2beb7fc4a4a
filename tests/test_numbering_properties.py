"""Properties of item numbering, segmentation and line joining over generated text (hypothesis)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mrs_etl.pdf.lines import Line, Word
from mrs_etl.standard.items import Item, segment
from mrs_etl.standard.numbering import BULLETS, parse_number
from mrs_etl.standard.text import join_lines

FAST = settings(max_examples=200, deadline=None)

component = st.from_regex(r"\d{1,3}", fullmatch=True)
phrase = st.from_regex(r"[A-Za-z][A-Za-z0-9 ,;()'-]{0,40}", fullmatch=True).map(str.strip)
# tokens that make up table lines: item numbers in every style, words, figures, hyphenated halves
token = st.one_of(
    st.sampled_from(["1.", "1.1", "1.1.", "2.11Hand", "1.2.3", "10", "2.5", "a)", "(b)", "iv.", "(ii)", "•", "-",
                     "➢", "ELEMENT", "mempertimbang-", "kan", "pre-", "cast", "(Tidak", "ada.)"]),
    st.from_regex(r"[A-Za-z]{1,10}[.,;:]?", fullmatch=True),
)


@FAST
@given(st.text(max_size=60))
def test_parse_number_never_raises_and_keeps_the_text(text):
    n = parse_number(text)
    if n is None:
        return
    assert n.style in {"decimal", "roman", "letter", "bullet"}
    assert n.depth >= 1
    assert n.number in text
    assert n.rest == n.rest.strip()
    assert text.rstrip().endswith(n.rest)


@FAST
@given(st.lists(component, min_size=2, max_size=4), st.booleans(), st.booleans(), phrase)
def test_parse_number_round_trips_decimal_numbers(parts, trailing_period, space, rest):
    number = ".".join(parts)
    text = f"{number}{'.' if trailing_period else ''}{' ' if space else ''}{rest}"
    n = parse_number(text)
    assert n is not None, text
    assert (n.number, n.style, n.depth, n.rest) == (number, "decimal", len(parts), rest)


@FAST
@given(st.integers(1, 99), phrase)
def test_parse_number_first_level_with_period(value, rest):
    n = parse_number(f"{value}. {rest}")
    assert n is not None and (n.number, n.depth, n.rest) == (str(value), 1, rest)


@FAST
@given(st.sampled_from(BULLETS), phrase)
def test_parse_number_bullets(bullet, rest):
    n = parse_number(f"{bullet} {rest}")
    assert n is not None and (n.style, n.number, n.rest) == ("bullet", "", rest)


def _lines(rows: list[tuple[list[str], int]], page: int = 1) -> list[Line]:
    """One Line per row of tokens, one Word per token, each row LEADING below the previous."""
    lines = []
    for k, (tokens, indent) in enumerate(rows):
        x, top, words = 100.0 + indent, 50.0 + 13 * k, []
        for t in tokens:
            words.append(Word(t, x, top, x + 6 * len(t), top + 10, page))
            x += 6 * len(t) + 3
        lines.append(Line(words))
    return lines


rows = st.lists(st.tuples(st.lists(token, min_size=1, max_size=6), st.sampled_from([0, 0, 0, 4, 18])),
                max_size=25)


@FAST
@given(rows, st.integers(1, 3), st.integers(1, 9))
def test_segment_puts_every_line_in_exactly_one_place(rows, min_depth, span):
    lines = _lines(rows)
    items, leading = segment(lines, min_depth, min_depth + span)
    placed = leading + [line for it in items for line in it.lines]
    assert [id(line) for line in placed] == [id(line) for line in lines]
    for it in items:
        assert len(it.texts) == len(it.lines) and it.lines


@FAST
@given(rows, rows)
def test_segment_continues_the_item_left_open_on_the_previous_page(first, second):
    before, after = _lines(first, page=1), _lines(second, page=2)
    carry = Item("1.1", "decimal", 2, list(before), [line.text for line in before])
    items, leading = segment(after, 2, 9, carry=carry)
    assert leading == []
    continued = carry.lines[len(before):]
    assert [id(line) for line in continued + [line for it in items for line in it.lines]] == \
        [id(line) for line in after]
    assert ("split_across_pages" in carry.flags) == bool(continued)


texts = st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30), max_size=8)


@FAST
@given(texts, st.sampled_from([None, "id"]))
def test_join_lines_only_changes_whitespace_and_line_end_hyphens(lines, dehyphenate):
    joined = join_lines(lines, dehyphenate)
    assert joined == joined.strip() and "  " not in joined and "\n" not in joined
    squeeze = "".join
    if dehyphenate is None:
        assert squeeze(joined.split()) == squeeze(squeeze(line.split()) for line in lines)
        for line in lines:
            for word in line.split():
                assert word in joined
    else:
        # only hyphens may go, and every word is there once its line-end hyphen is removed
        assert squeeze(joined.split()).replace("-", "") == squeeze(squeeze(l.split()) for l in lines).replace("-", "")
        for line in lines:
            for word in line.split():
                assert word.rstrip("-") in joined


@FAST
@given(st.lists(st.lists(token, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=6))
def test_join_lines_of_table_tokens_keeps_word_order(lines):
    words = [w for line in lines for w in line.split()]
    joined = join_lines(lines)
    position = 0
    for w in words:
        found = joined.find(w, position)
        assert found >= 0, (w, joined)
        position = found + len(w)
