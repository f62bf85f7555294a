"""Plan text is never code: booklets and host briefs are typeset from data (a Typst template
reads the document as JSON and places its strings as text), the compiler sees only the
template folder, and any string at all prints as itself."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from helpers import run, small_plan, typesetting_examples
from hypothesis import example, given
from hypothesis import strategies as st

pypdf = pytest.importorskip("pypdf")

INJECTIONS = (
    "Springfield\\u{3c}/text\\u{3e}\\u{3c}image href=\\u{22}private-scan.png\\u{22} "
    "width=\\u{22}150\\u{22} height=\\u{22}150\\u{22}/\\u{3e}\\u{3c}text\\u{3e}",
    '#image("private-scan.png")',
    ']#image("private-scan.png", width: 5cm)[',
    '"); #image("private-scan.png"); #("',
    '<image href="private-scan.png" width="150" height="150"/>',
    '#read("private-scan.png")',
    '$ #image("private-scan.png") $',
)


def _png() -> bytes:
    """A real 2×2 PNG, the file a plan must not be able to print."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _xobjects(pdf: Path) -> list[str]:
    """The subtypes of every XObject the pages draw (images, forms), forms searched too."""
    found: list[str] = []

    def walk(resources: Any) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        for reference in (xobjects or {}).values():
            xobject = reference.get_object()
            found.append(str(xobject.get("/Subtype")))
            walk(xobject.get("/Resources"))

    for page in pypdf.PdfReader(str(pdf)).pages:
        walk(page.get("/Resources"))
    return found


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(pdf)).pages)


def _body(pdf: Path, plan: Path) -> str:
    """The PDF's text without whitespace and without its page furniture (the running head
    and "as of" on top, the page number below), so that a text that runs over a page break
    reads as one."""
    import re

    document = json.loads(run("booklet", plan, "--delegate", "ann", "-f", "json").stdout)
    head = "".join(document["texts"]["running_head"].split())
    as_of = "".join(document["texts"]["as_of"].split())
    pages = []
    for page in pypdf.PdfReader(str(pdf)).pages:
        flat = "".join(page.extract_text().split())
        flat = flat.replace(head, "", 1).replace(as_of, "", 1)
        pages.append(re.sub(r"page\d+/\d+$", "", flat))
    return "".join(pages)


def _fill(data: dict[str, Any], text: str) -> dict[str, str]:
    """Put ``text`` (with a tag per field) into every text field of the small plan; the
    fields the booklet must print, by tag."""
    name = text[:280]
    fields = {
        "P": ("programme", "name", name),
        "O": ("programme", "organiser", name),
        "D": ("delegates", 0, "name", name),
        "C": ("delegates", 1, "contact", text),  # a fellow traveller's, in ann's booklet
        "T": ("trips", 0, "title", name),
        "H": ("communities", 1, "name", name),
        "A": ("trips", 0, "activities", 0, "title", name),
        "V": ("trips", 0, "activities", 0, "venue", text),
        "N": ("trips", 0, "activities", 0, "public_notes", text),
        "S": ("trips", 0, "stays", 0, "name", text),
    }
    shown = {}
    for tag, (*path, value) in fields.items():
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = f"{tag}§{value}"
        shown[tag] = f"{tag}§{value}"
    data["programme"]["supporters"] = [f"U§{name}"]
    data["communities"][0]["address"] = f"R§{text}"
    data["communities"][1]["address"] = f"R§{text}"
    data["delegations"][0]["name"] = f"G§{name}"
    data["trips"][0]["legs"][1]["public_notes"] = f"L§{text}"
    data["trips"][0]["legs"][1]["carrier"] = f"K§{name}"
    return shown


def _plan(tmp_path: Path, text: str) -> tuple[Path, dict[str, str]]:
    data = small_plan()
    shown = _fill(data, text)
    folder = tmp_path / "plans"
    folder.mkdir(exist_ok=True)
    (folder / "private-scan.png").write_bytes(_png())
    plan = folder / "plan.json"
    plan.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return plan, shown


@pytest.mark.parametrize("payload", INJECTIONS)
def test_plan_text_cannot_make_typst_read_a_file(tmp_path: Path, payload: str) -> None:
    """A private-scan.png in the current folder and in the plan's: the PDF draws no image at
    all (the QR code is drawn from its modules, no picture), and the payload prints as text."""
    (tmp_path / "private-scan.png").write_bytes(_png())
    plan, shown = _plan(tmp_path, payload)
    out = tmp_path / "ann.pdf"
    result = run("booklet", plan, "--delegate", "ann", "--out", out,
                 "--calendar-url", "https://example.org/cal/{delegate}.ics")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "/Image" not in _xobjects(out)
    flat = "".join(_text(out).split())
    for tag in ("P", "D", "H", "A"):
        assert "".join(shown[tag].split()) in flat, tag
    brief = tmp_path / "brief.pdf"
    assert run("hosts", "brief", "host", plan, "-f", "pdf", "--out", brief).exit_code == 0
    assert "/Image" not in _xobjects(brief)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "First line\n\nafter a blank line"),
        ("name", "Ann \\u{26} Ben"),
        ("name", "Ann\x00Ben"),
    ],
)
def test_strings_that_crashed_the_booklet(tmp_path: Path, field: str, value: str) -> None:
    """A title with a blank line, a name with ``\\u{26}``, a name with U+0000: exit 3 before."""
    data = small_plan()
    if field == "title":
        data["trips"][0]["title"] = value
    else:
        data["delegates"][0]["name"] = value
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "ann.pdf"
    result = run("booklet", plan, "--delegate", "ann", "--out", out)
    assert result.exit_code == 0, result.output
    expected = value.replace("\x00", "\ufffd")  # a control character prints as U+FFFD
    assert "".join(expected.split()) in "".join(_text(out).split())
    brief = run("hosts", "brief", "host", plan, "-f", "pdf", "--out", tmp_path / "b.pdf")
    assert brief.exit_code == 0, brief.output


def _printed(text: str) -> str:
    """What PDF text extraction can give back of ``text``: control characters, bidi controls
    and lone surrogates are printed as U+FFFD (typeset.printable), and whitespace is the layout's
    (lines break anywhere), so it is left out on both sides."""
    from tripplan.render.typeset import printable

    return "".join(printable(text).split())


# Letters the embedded fonts have (Latin, German, Sorbian, Greek, Cyrillic), every character
# Typst markup, code or SVG would read, escapes, controls, bidi controls, blank lines.
_ALPHABET = st.sampled_from(
    [
        *"abcXYZ019 ",
        *"#$*_`<>@[]=-+/~\"'\\{}();:,.!?&%|^",
        *"äöüßŠšČčŁłĚěŘřŽžĆćŃńÓóŚśŹź",
        *"αβΩЖжЯ",
        "\n",
        "\n\n",
        "\x00",
        "\x07",
        "\x1b",
        "\u202e",
        "\u2066",
        "\u200f",
        "\u2028",
        "\\u{26}",
        "\\u{3c}",
        "\\u{22}",
        "#image(",
        "#read(",
        '"private-scan.png"',
        "<image href=",
        "/>",
        "</text>",
        "]",
        "[",
        "//",
        "/*",
        "*/",
    ]
)
PAYLOADS = st.one_of(
    st.lists(_ALPHABET, max_size=40).map("".join),
    st.just("x" * 9_998),  # with its two-character tag: the 10,000 a text may have
    st.just(("Ab#[\\u{3c}] \n" * 800)[:9_990]),
)


@typesetting_examples()
@given(text=PAYLOADS)
@example(text="\u2028 \x85")  # Python's strip() took them (found by this property)
def test_any_string_in_any_field_prints_as_itself(tmp_path: Path, text: str) -> None:
    """Any string in every text field: the PDF compiles (exit 0), draws no image but the QR
    code's modules, and its text holds every field the booklet shows."""
    plan, shown = _plan(tmp_path, text)
    out = tmp_path / "ann.pdf"
    result = run("booklet", plan, "--delegate", "ann", "--out", out,
                 "--calendar-url", "https://example.org/cal/{delegate}.ics")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "/Image" not in _xobjects(out)
    flat = _body(out, plan)
    for tag, value in shown.items():
        assert _printed(value) in flat, tag
    brief = tmp_path / "brief.pdf"
    result = run("hosts", "brief", "host", plan, "-f", "pdf", "--out", brief)
    assert result.exit_code == 0, result.output
    assert "/Image" not in _xobjects(brief)


def test_a_calendar_url_too_long_for_a_qr_code_is_one_message(tmp_path: Path) -> None:
    url = "https://example.org/cal/{delegate}/" + "a" * 3000
    result = run("booklet", "--delegate", "bz-stadt", "--calendar-url", url, "--lang", "en",
                 "--out", tmp_path / "b.pdf")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "tripplan: --calendar-url is too long for a QR code: 3,035 bytes, a QR code holds at "
        "most 2,331; use a shorter address"
    )
    assert not (tmp_path / "b.pdf").exists()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)//{delegate}",
        "JavaScript:alert(1)//{delegate}",
        "data:text/html,<script>alert(1)</script>{delegate}",
        "vbscript:x{delegate}",
        "//example.org/{delegate}",
        "https://example.org/{delegate} onmouseover=alert(1)",
    ],
)
def test_the_calendar_url_is_https_http_or_webcal(tmp_path: Path, url: str) -> None:
    for fmt in ("html", "pdf"):
        out = tmp_path / f"b.{fmt}"
        result = run("booklet", "--delegate", "bz-stadt", "-f", fmt, "--calendar-url", url,
                     "--lang", "en", "--out", out)  # fmt: skip
        assert result.exit_code == 2, (fmt, result.output)
        assert not out.exists()
    for good in ("https://x.org/{delegate}.ics", "http://x.org/{delegate}",
                 "webcal://x.org/{delegate}.ics"):  # fmt: skip
        out = tmp_path / "good.html"
        result = run("booklet", "--delegate", "bz-stadt", "-f", "html", "--calendar-url", good,
                     "--out", out)  # fmt: skip
        assert result.exit_code == 0, result.output
        assert good.replace("{delegate}", "bz-stadt") in out.read_text()


def test_a_booklet_too_long_to_typeset_is_refused_up_front_with_the_numbers(
    tmp_path: Path,
) -> None:
    """A 10 MB plan's booklet took 2.6 GB in Typst. A PDF is typeset from at most
    MAX_CHARACTERS of text (measured: a booklet just under it peaks at about 430 MB)."""
    data = small_plan()
    data["trips"][0]["activities"] = [
        {"id": f"a{i}", "title": f"Talk {i}", "community": "host", "start": "2018-04-24T09:00",
         "end": "2018-04-24T10:00", "public_notes": "lorem ipsum " * 800}
        for i in range(120)
    ]  # fmt: skip
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    result = run("booklet", plan, "--delegate", "ann", "--out", tmp_path / "b.pdf")
    assert result.exit_code == 2
    assert "tripplan typesets at most 1,000,000 in one PDF (about 500 MB of memory)" in (
        result.stderr
    )
    assert not (tmp_path / "b.pdf").exists()
    html = run("booklet", plan, "--delegate", "ann", "-f", "html", "--out", tmp_path / "b.html")
    assert html.exit_code == 0


def test_the_typesetters_root_holds_only_the_templates() -> None:
    """Typst's root is the template folder shipped with tripplan: nothing else is readable."""
    from tripplan.render.typeset import TEMPLATES

    assert sorted(p.name for p in TEMPLATES.iterdir()) == ["booklet.typ", "brief.typ"]
