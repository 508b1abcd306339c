"""The style filter against a plain model of a terminal: same cells, same attributes, fewer bytes.

``Terminal`` below is the reference: a direct reading of ECMA-48 SGR as xterm applies it,
written without the filter's shortcuts. Whatever random stream of styles, text, cursor moves,
erases, saved cursors and sequences it does not know, the filtered stream must paint the same
cells with the same attributes, in any chunking.
"""

from __future__ import annotations

import itertools
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ammoflow.tui.render.sgr_filter import only_style_changes

FLAGS = {1: "bold", 2: "dim", 3: "italic", 5: "blink", 6: "blink", 7: "reverse", 8: "conceal", 9: "strike", 53: "over"}
OFF = {22: ("bold", "dim"), 23: ("italic",), 24: ("underline",), 25: ("blink",), 27: ("reverse",)}
OFF |= {28: ("conceal",), 29: ("strike",), 39: ("fg",), 49: ("bg",), 55: ("over",)}


class Terminal:
    """Cells painted with the attributes in force; erases paint the background in force."""

    def __init__(self) -> None:
        self.attrs: dict[str, object] = {"unknown-start": True}  # the state before the first byte
        self.saved: dict[str, object] = {}
        self.painted: list[tuple[str, tuple[tuple[str, object], ...]]] = []

    def feed(self, stream: str) -> list[tuple[str, tuple[tuple[str, object], ...]]]:
        pattern = r"\x1b\[([0-9;:]*)m|\x1b\[[0-9;]*[HAB]|\x1b\[K|\x1b[78c]|\x1b\[\?25[hl]|\r|\x1b|."
        for found in re.finditer(pattern, stream, re.S):
            token = found.group()
            if found.group(1) is not None:
                self.sgr(found.group(1))
            elif token == "\x1b[K":
                self.painted.append(("erase", (("bg", self.attrs.get("bg")),)))
            elif token == "\x1b7":
                self.saved = dict(self.attrs)
            elif token == "\x1b8":
                self.attrs = dict(self.saved)
            elif token == "\x1bc":
                self.attrs = {}
            elif token.startswith("\x1b") or token == "\r":
                continue  # cursor moves, modes: nothing painted
            else:
                self.painted.append((token, tuple(sorted(self.attrs.items()))))
        return self.painted

    def sgr(self, params: str) -> None:
        if ":" in params:
            self.attrs["colon " + params] = True  # something the filter does not track
            return
        codes = [int(code) if code else 0 for code in params.split(";")]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code == 0:
                self.attrs = {}
            elif code in FLAGS:
                self.attrs[FLAGS[code]] = code
            elif code in (4, 21):
                self.attrs["underline"] = code
            elif code in OFF:
                for name in OFF[code]:
                    self.attrs.pop(name, None)
            elif 30 <= code <= 37 or 90 <= code <= 97:
                self.attrs["fg"] = code
            elif 40 <= code <= 47 or 100 <= code <= 107:
                self.attrs["bg"] = code
            elif code in (38, 48):
                kind = codes[i + 1] if i + 1 < len(codes) else None
                width = {5: 1, 2: 3}.get(kind or 0, 0)
                values = codes[i + 2 : i + 2 + width]
                if width and len(values) == width and all(v <= 255 for v in values):
                    self.attrs["fg" if code == 38 else "bg"] = (kind, *values)
                    i += 1 + width
                else:  # a malformed colour: what a terminal does is its own affair, but the same
                    self.attrs[f"odd {params} at {i}"] = True
                    return
            else:
                self.attrs[f"code {code}"] = True
            i += 1


codes = st.one_of(
    st.sampled_from(["0", "", "1", "2", "3", "4", "21", "5", "6", "7", "8", "9", "53"]),
    st.sampled_from(["22", "23", "24", "25", "27", "28", "29", "39", "49", "55"]),
    st.integers(30, 37).map(str),
    st.integers(90, 97).map(str),
    st.integers(40, 47).map(str),
    st.integers(100, 107).map(str),
    st.integers(0, 255).map(lambda n: f"38;5;{n}"),
    st.integers(0, 255).map(lambda n: f"48;5;{n:03d}"),
    st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(lambda c: "38;2;{};{};{}".format(*c)),
    st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(lambda c: "48;2;{};{};{}".format(*c)),
)
# A few codes, often: the same styles come back, which is where a filter can go wrong.
few = st.sampled_from(["0", "", "1", "2", "4", "21", "7", "22", "24", "27", "39", "49", "31", "38;5;1", "48;5;1", "41"])
rare = st.sampled_from(["51", "58;5;3", "4:3", "38;5", "38;5;300", "38;7;1", "10"])
sgr = st.lists(st.one_of(few, few, codes, rare), min_size=1, max_size=4).map(lambda c: f"\x1b[{';'.join(c)}m")
common_sgr = st.lists(st.one_of(few, codes), min_size=1, max_size=4).map(lambda c: f"\x1b[{';'.join(c)}m")
others = st.sampled_from(
    ["\x1b[3;7H", "\x1b[H", "\x1b[2A", "\r", "\r\n", "\x1b[K", "\x1b7", "\x1b8", "\x1bc", "\x1b[?25l"]
)
text = st.text(alphabet="ab █", min_size=1, max_size=3)
streams = st.lists(st.one_of(sgr, sgr, text, text, others), max_size=40).map("".join)
plain_streams = st.lists(st.one_of(common_sgr, text, text, st.sampled_from(["\x1b[3;7H", "\r\n"])), max_size=40)


@settings(max_examples=400)
@given(streams)
@example("\x1b[0;1;2mx\x1b[0;2my")  # bold and dim share their off code
@example("\x1b[0;4mx\x1b[0;21my")  # one underline for another
@example("\x1b[0;1mx\x1b[51my\x1b[0;1mz")  # a code it does not know
@example("\x1b[0;1mx\x1b7\x1b[0;31my\x1b8\x1b[0;31mz")  # the cursor restored, and its attributes
@example("\x1b[0;41mx\x1b[0m\x1b[0;41m\x1b[K")  # an erase, in the background set
def test_the_filtered_stream_paints_the_same_cells(stream: str) -> None:
    assert Terminal().feed(only_style_changes(stream)) == Terminal().feed(stream)


@settings(max_examples=300)
@given(streams, st.lists(st.integers(0, 400), max_size=5))
def test_any_chunking_paints_the_same_cells(stream: str, cuts: list[int]) -> None:
    bounds = sorted({0, len(stream), *(min(cut, len(stream)) for cut in cuts)})
    chunks = [stream[a:b] for a, b in itertools.pairwise(bounds)]
    filtered = "".join(only_style_changes(chunk) for chunk in chunks)
    assert Terminal().feed(filtered) == Terminal().feed(stream)


@given(plain_streams)
def test_never_a_style_written_twice_over_nothing(parts: list[str]) -> None:
    """Between two style sequences of the output there is always something drawn."""
    stream = "\x1b[0m" + "".join(parts)
    filtered = only_style_changes(stream)
    assert len(filtered) <= len(stream)
    assert not re.search(r"\x1b\[[0-9;]*m(\x1b\[[0-9;]*H|\r)*\x1b\[[0-9;]*m", filtered)


def test_textual_segments_lose_their_resets() -> None:
    frame = (
        "\x1b[1;1H\x1b[38;5;253;48;5;233mab\x1b[0m\x1b[38;5;253;48;5;233mcd\x1b[0m"
        "\x1b[1;38;5;253;48;5;233me\x1b[0m\x1b[2;1H\x1b[38;5;253;48;5;233mf\x1b[0m"
    )
    # The first style is over an unknown state, so it goes as it came; the reset after it makes
    # the state known, and from there only changes are written.
    assert only_style_changes(frame) == (
        "\x1b[1;1H\x1b[38;5;253;48;5;233mab\x1b[0;38;5;253;48;5;233mcd\x1b[1me\x1b[2;1H\x1b[22mf\x1b[0m"
    )


def test_what_it_does_not_know_passes_unchanged() -> None:
    assert only_style_changes("\x1b[0;4:3mx\x1b[0m") == "\x1b[0;4:3mx\x1b[0m"
    assert only_style_changes("\x1b[31mx\x1b7\x1b[31my") == "\x1b[31mx\x1b7\x1b[31my"
    assert only_style_changes("\x1b[0;1mx\x1b[38;5") == "\x1b[0;1mx\x1b[38;5"
