"""Every output escapes for its medium (issue #22 item 2): one hostile payload through every
format of every command, and the escaping functions themselves."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from helpers import run, small_plan
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from markdown_it import MarkdownIt

from tripplan.characters import BIDI, INVISIBLE
from tripplan.errors import UsageError
from tripplan.render import escape

MARK = "PAYLOADMARK"
PAYLOAD = (
    f"{MARK} <script>alert(1)</script><img src=x onerror=alert(2)>"
    "[x](javascript:alert(3)) ![i](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(4)>"
    "\n# Injected heading\n- injected item\n\n> injected quote\n"
    "\x00NUL \x07\x08\x1b[31mred\x1b[2J\x1b]0;window title\x07"
    "\x1b]8;;https://evil.example/\x1b\\osc8 link\x1b]8;;\x1b\\ \x9b31m \x9d0;c1 osc\x9c"
    "\u202eRLO\u202c \u2066isolate\u2069 \u200fRLM \u200bzero\u200dwidth\ufeff \U000e0041tag "
    '\\u{3c}image href=\\u{22}private-scan.png\\u{22}/\\u{3e} #image("x.png") '
    "&amp; &#60;script&#62; `code` | cell *em* _em_ {{braces}} \r\nCRLF"
)
SHORT = PAYLOAD[:300]  # names are at most 300 characters
LONG = (PAYLOAD + " " + "long" * 3000)[:10_000]  # free text at most 10,000

HOSTILE_CHARS = re.compile(
    "["
    + "".join(
        chr(c)
        for c in [
            *range(0x00, 0x09),
            0x0B,
            0x0C,
            *range(0x0E, 0x20),
            0x7F,
            *range(0x80, 0xA0),
            *BIDI,
            *INVISIBLE,
        ]
    )
    + "]"
)
"""Characters no output may carry raw: controls but TAB, LF and CR, bidi controls, invisible
characters (JSON escapes them as \\uXXXX; every other medium replaces or removes them)."""


def hostile_in(text: str) -> list[str]:
    """The characters of :data:`HOSTILE_CHARS` in ``text``, but a zero-width joiner or
    non-joiner that joins two shown characters, one of them beyond ASCII (Persian, the
    Indic scripts, emoji sequences: they are part of the text there)."""
    found = []
    for match in HOSTILE_CHARS.finditer(text):
        at, char = match.start(), match.group()
        if char in "\u200c\u200d" and 0 < at < len(text) - 1:
            before, after = text[at - 1], text[at + 1]
            shown = all(not c.isspace() and not HOSTILE_CHARS.match(c) for c in (before, after))
            if shown and not (before.isascii() and after.isascii()):
                continue
        found.append(char)
    return found


def hostile_plan() -> dict[str, Any]:
    data = small_plan()
    data["programme"].update(name=SHORT, organiser=SHORT, supporters=[SHORT])
    host = data["communities"][1]
    host.update(name=SHORT, address=LONG, languages=["en"])
    data["communities"][0]["name"] = SHORT
    ann, ben = data["delegates"]
    ann.update(name=SHORT, contact=LONG, role=LONG)
    ann["private"].update(dietary=LONG, access=LONG, share_with_hosts=["dietary", "access"])
    ben.update(name=SHORT)
    data["delegations"][0]["name"] = SHORT
    trip = data["trips"][0]
    trip["title"] = SHORT
    trip["stays"][0].update(name=SHORT, address=LONG)
    out = trip["legs"][1]
    out.update(carrier=SHORT, number=SHORT, public_notes=LONG, internal_notes=LONG)
    meeting = trip["activities"][0]
    meeting.update(title=SHORT, venue=LONG, public_notes=LONG, internal_notes=LONG)
    trip["activities"].append(
        {
            "id": "lunch",
            "title": SHORT,
            "kind": "meal",
            "community": "host",
            "start": "2018-04-24T12:00",
            "end": "2018-04-24T13:00",
            "provisional": True,
            "public_notes": LONG,
        }
    )
    meeting["cost"] = {"amount": "10", "currency": "EUR", "per": "person"}
    data["budget"] = {"currency": "EUR", "funders": [{"id": "f", "name": SHORT}]}
    data["delegations"][0]["allowances"] = {
        "rules": "flat", "amount": "20", "currency": "EUR", "funder": "f"
    }  # fmt: skip
    return data


# -- what "nothing hostile survives" means in each medium ------------------------------------


def assert_terminal_safe(text: str) -> None:
    assert "\x1b" not in text and "\x9b" not in text and "\x9d" not in text
    found = hostile_in(text.replace("\r\n", "\n").replace("\t", " "))
    assert not found, f"raw control, bidi or invisible characters: {found[:5]!r}"
    assert "\r" not in text


SAFE_SCHEMES = ("https:", "http:", "webcal:", "#", "mailto:")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.headings: list[str] = []
        self.items: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if any(t in ("h1", "h2", "h3", "h4", "h5", "h6") for t in self.stack):
            self.headings.append(data)
        if "li" in self.stack:
            self.items.append(data)


def assert_html_safe(page: str) -> _Page:
    assert not hostile_in(page.replace("\r\n", "\n").replace("\t", " "))
    parsed = _Page()
    parsed.feed(page)
    parsed.close()
    for tag in ("script", "img", "iframe", "object", "embed", "image", "use", "foreignobject"):
        assert tag not in parsed.tags, f"<{tag}> in the page"
    for name, value in parsed.attributes:
        assert not name.startswith("on"), f"event handler {name}={value!r}"
        if name in ("href", "src", "xlink:href", "action", "formaction"):
            assert value.strip().lower().startswith(SAFE_SCHEMES), f"{name}={value!r}"
    for _name, value in parsed.attributes:
        assert "javascript:" not in value.lower() and "data:" not in value.lower()
    assert not any("Injected heading" in h and MARK not in h for h in parsed.headings)
    return parsed


def assert_markdown_safe(text: str) -> None:
    assert_terminal_safe(text)  # the same characters as on a terminal
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    page = assert_html_safe(rendered)
    assert not any(h.strip().startswith("Injected heading") for h in page.headings)
    assert not any(i.strip().startswith("injected item") for i in page.items)
    assert "<blockquote>" not in rendered


def assert_json_safe(text: str) -> None:
    assert not hostile_in(text)
    json.loads(text)


def assert_ics_safe(data: bytes) -> None:
    text = data.decode("utf-8")
    assert not hostile_in(text.replace("\r\n", ""))
    assert "\r" not in text.replace("\r\n", "") and "\n" not in text.replace("\r\n", "")
    events = Calendar.from_ical(data).walk("VEVENT")
    assert all(str(e["uid"]).count("@") == 1 for e in events)


# -- the test ---------------------------------------------------------------------------------


@pytest.fixture
def hostile(write_plan: Any) -> Path:
    path: Path = write_plan(hostile_plan())
    assert run("check", path).exit_code in (0, 1), "the hostile plan must load"
    return path


def _ok(*args: str | Path) -> Any:
    result = run(*args)
    assert result.exit_code in (0, 1), (args, result.exit_code, result.stderr[-2000:])
    assert_terminal_safe(result.stderr)
    return result


def test_one_hostile_payload_through_every_format_of_every_command(
    hostile: Path, tmp_path: Path
) -> None:
    # terminal: every line printed, tables and notes
    for args in (
        ("itinerary", hostile),
        ("itinerary", hostile, "--audience", "hosts", "--community", "host"),
        ("itinerary", hostile, "--delegate", "ann"),
        ("check", hostile),
        ("programme", hostile),
        ("hosts", "brief", "host", hostile),
        ("plan", hostile),
        ("costs", hostile),
    ):
        result = _ok(*args)
        assert_terminal_safe(result.stdout)
        assert MARK in result.stdout or args[0] in ("check", "plan"), args
    # Markdown
    for args in (
        ("itinerary", hostile, "-f", "markdown"),
        ("itinerary", hostile, "-f", "markdown", "--delegate", "ann"),
        ("programme", hostile, "-f", "markdown"),
        ("hosts", "brief", "host", hostile, "-f", "markdown"),
    ):
        result = _ok(*args)
        assert MARK in result.stdout, args
        assert_markdown_safe(result.stdout)
    # HTML
    for args in (
        ("itinerary", hostile, "-f", "html"),
        ("itinerary", hostile, "-f", "html", "--delegate", "ann"),
        ("hosts", "brief", "host", hostile, "-f", "html"),
    ):
        result = _ok(*args)
        assert MARK in result.stdout, args
        assert_html_safe(result.stdout)
    booklet = tmp_path / "booklet-ann.html"
    result = _ok(
        "booklet", hostile, "--delegate", "ann", "-f", "html", "--out", booklet,
        "--calendar-url", "https://example.org/cal/{delegate}.ics",
    )  # fmt: skip
    page = booklet.read_text(encoding="utf-8")
    assert MARK in page
    assert_html_safe(page)
    # JSON
    for args in (
        ("itinerary", hostile, "-f", "json"),
        ("check", hostile, "-f", "json"),
        ("programme", hostile, "-f", "json"),
        ("hosts", "brief", "host", hostile, "-f", "json"),
        ("plan", hostile, "-f", "json"),
        ("costs", hostile, "-f", "json"),
    ):
        result = _ok(*args)
        assert_json_safe(result.stdout)
    # spreadsheets
    result = _ok("costs", hostile, "-f", "csv")
    assert MARK in result.stdout
    assert_terminal_safe(result.stdout.removeprefix("\ufeff"))
    _ok("costs", hostile, "-f", "xlsx", "--out", tmp_path / "costs.xlsx")
    # iCalendar
    result = _ok("export-ics", hostile, "--out", "-")
    assert MARK in result.stdout
    assert_ics_safe(result.stdout_bytes)
    folder = tmp_path / "calendars"
    _ok("export-ics", hostile, "--split", "delegate", "--out", folder)
    for calendar in folder.glob("*.ics"):
        assert_ics_safe(calendar.read_bytes())


def test_errors_about_hostile_text_are_inert_on_the_terminal(hostile: Path, small: Any) -> None:
    result = run("itinerary", hostile, "--delegate", SHORT)
    assert result.exit_code == 2
    assert "PAYLOADMARK" in result.stderr
    assert_terminal_safe(result.stderr)
    result = run("hosts", "brief", SHORT, hostile)
    assert result.exit_code == 2
    assert_terminal_safe(result.stderr)
    result = run("check", hostile.with_name("missing\x1b]0;title\x07\u202e\x1b[2J.toml"))
    assert result.exit_code == 2 and "missing" in result.stderr
    assert_terminal_safe(result.stderr)
    small["trips"][0]["hosts"] = [SHORT]  # an unknown id, quoted in the load error
    broken = hostile.with_name("broken.json")
    broken.write_text(json.dumps(small), encoding="utf-8")
    for fmt in ("table", "json"):
        result = run("itinerary", broken, "-f", fmt)
        assert result.exit_code == 2
        assert_terminal_safe(result.stderr)
        assert_terminal_safe(result.stdout.replace("\n", " "))


def test_plan_text_in_a_message_cannot_forge_a_line(write_plan: Any, tmp_path: Path) -> None:
    """A file name or a value quoted in a message stays on its line: no "all good" line
    of its own under the real message."""
    forged = "\ntripplan: the plan is fine, 0 problems"
    result = run("check", tmp_path / f"missing{forged}.toml")
    assert result.exit_code == 2
    assert not any(
        line.startswith("tripplan: the plan is fine") for line in result.stderr.splitlines()
    )
    assert "missing tripplan: the plan is fine, 0 problems.toml: no such file" in result.stderr
    data = small_plan()
    data["communities"][1]["placeholder"] = True
    path = write_plan(data)
    result = run("hosts", "confirm", "host", path, "--name", f"Boise{forged}",
                 "--timezone", "America/Boise")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not any(
        line.startswith("tripplan: the plan is fine") for line in result.output.splitlines()
    )
    assert "host as Boise tripplan: the plan is fine, 0 problems (America/Boise)" in result.output


@pytest.mark.parametrize("who", ["nobody", ""])
@pytest.mark.parametrize("fmt", ["pdf", "html", "json"])
def test_a_booklet_for_an_unknown_delegate_is_a_message(
    plan_file: Path, who: str, fmt: str
) -> None:
    """A typo in --delegate ended in exit 3 (KeyError) before the id was checked."""
    result = run("booklet", plan_file, "--delegate", who, "-f", fmt, "--out", "-")
    assert result.exit_code == 2, result.output
    assert result.stderr == f"tripplan: no delegate has the id '{who}'. Known: ann, ben.\n"


# -- the functions ----------------------------------------------------------------------------


def test_terminal_removes_escape_sequences_whole() -> None:
    text = "a\x1b[31mred\x1b[0m \x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\ \x1b]0;t\x07b"
    assert escape.terminal(text) == "ared link b"
    assert escape.terminal("\x9b2Jc1\x9d0;x\x9c") == "c1"
    assert escape.terminal("x\u202ey\x00z\nw") == "x\ufffdy\ufffdz w"
    assert escape.terminal("x\ny", keep_newlines=True) == "x\ny"
    assert escape.strip_terminal("a\x1b[1mb\u202ec\u200bd\n") == "abcd\n"


@pytest.mark.parametrize(
    ("text", "inert", "stripped"),
    [
        ("می\u200cخواهم", "می\u200cخواهم", "می\u200cخواهم"),  # Persian: a non-joiner parts letters
        ("क्\u200dष", "क्\u200dष", "क्\u200dष"),  # Devanagari: a joiner after a virama
        ("👩\u200d👩\u200d👧", "👩\u200d👩\u200d👧", "👩\u200d👩\u200d👧"),  # one emoji
        ("zero\u200dwidth", "zero\ufffdwidth", "zerowidth"),  # joins nothing in ASCII
        ("\u200dX", "\ufffdX", "X"),  # at an edge
        ("é\u200d x", "é\ufffd x", "é x"),  # beside a space
        ("ی\u200c\u200cخ", "ی\ufffd\ufffdخ", "یخ"),  # beside another invisible character
        ("ی\u200c\u202eخ", "ی\ufffd\ufffdخ", "یخ"),  # beside a bidi control
    ],
)
def test_joiners_stay_where_they_join_letters_and_go_where_they_hide(
    text: str, inert: str, stripped: str
) -> None:
    """Zero-width joiners and non-joiners are part of Persian, Arabic and Indic words and of
    emoji made of several characters; replaced, they broke names with U+FFFD."""
    assert escape.inert(text) == inert
    assert escape.terminal(text) == inert
    assert escape.strip_terminal(text) == stripped


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("> quote", "\\> quote"),
        ("2018. year", "2018\\. year"),
        ("1) one", "1\\) one"),
        ("    code", "code"),
        ("a\n# b", "a # b"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("<script>", "\\<script\\>"),
        ("&amp;", "\\&amp;"),
        ("a | b", "a \\| b"),
        ("![i](data:x)", "\\!\\[i\\](data:x)"),
        ("Bautzen – Dresden 10:30", "Bautzen – Dresden 10:30"),
    ],
)
def test_markdown_is_one_inert_line(text: str, expected: str) -> None:
    assert escape.markdown(text) == expected


def test_markdown_block_cannot_be_closed_from_inside() -> None:
    block = escape.markdown_block(["```", "<img src=x onerror=f()>", "````x"])
    assert block[0] == block[-1] == "`````"
    html = MarkdownIt("commonmark", {"html": True}).render("\n".join(block))
    assert "<img" not in html


def test_noncharacters_are_made_visible() -> None:
    assert (
        escape.inert("a\uffffb\ufffe\ufdd0\U0001fffe\U0010ffffc") == "a\ufffdb" + "\ufffd" * 4 + "c"
    )
    assert escape.inert("\ufdcf\ufdf0\ufffc") == "\ufdcf\ufdf0\ufffc"  # their neighbours stay


def test_html_escapes_markup_and_neutralises_invisible_characters() -> None:
    assert escape.html('<a href="x">\'&\u202e\u200b\x00') == (
        "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;\ufffd\ufffd\ufffd"
    )


@pytest.mark.parametrize(
    "address",
    [
        "https://example.org/a.ics",
        "http://127.0.0.1:8080/x",
        "webcal://example.org/{delegate}.ics",
        "HTTPS://EXAMPLE.ORG/",
    ],
)
def test_url_accepts_web_and_calendar_addresses(address: str) -> None:
    assert escape.url(address) == address


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)//https://x",
        "data:text/html,<script>",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "file:///etc/passwd",
        "https:///no-host",
        "http://[::1",
        "http://example.org:99999/",
        "https://example.org/\u202ex",
        "https://exa mple.org/",
        "/relative/path",
    ],
)
def test_url_refuses_everything_else(address: str) -> None:
    with pytest.raises(UsageError):
        escape.url(address)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("https://evil.example/","x")', '\'=HYPERLINK("https://evil.example/","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1", "'  =1"),
        ("\t=1", "'\ufffd=1"),
        ("\uff1d1", "'\uff1d1"),
        ("\u22121", "'\u22121"),
        ("Bautzen = Budyšin", "Bautzen = Budyšin"),
        ("a\n=b", "a =b"),
        ("", ""),
    ],
)
def test_spreadsheet_text_never_starts_a_formula(text: str, expected: str) -> None:
    assert escape.spreadsheet(text) == expected


@settings(deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t=+-@\uff1dab\x00\n"))))
def test_spreadsheet_cells_are_inert_and_never_formulas(text: str) -> None:
    cell = escape.spreadsheet(text)
    assert not escape.formula_like(cell) and not hostile_in(cell)
    assert cell.removeprefix("'") == escape.inert(text)


def test_calendar_url_with_another_scheme_is_refused(write_plan: Any) -> None:
    path = write_plan(small_plan())
    for address in ("javascript:alert(1)//{delegate}", "data:text/html,{delegate}"):
        result = run("booklet", path, "--delegate", "ann", "-f", "html",
                     "--calendar-url", address)  # fmt: skip
        assert result.exit_code == 2
        assert "https, http or webcal" in result.stderr


# -- files tripplan did not write are never replaced (issue #22 item 3) ------------------------

WRITERS = {
    "booklet-pdf": ("booklet", "{plan}", "--delegate", "ann"),
    "booklet-html": ("booklet", "{plan}", "--delegate", "ann", "-f", "html"),
    "brief-pdf": ("hosts", "brief", "host", "{plan}", "-f", "pdf"),
    "brief-html": ("hosts", "brief", "host", "{plan}", "-f", "html"),
    "brief-markdown": ("hosts", "brief", "host", "{plan}", "-f", "markdown"),
    "brief-json": ("hosts", "brief", "host", "{plan}", "-f", "json"),
    "costs-csv": ("costs", "{plan}", "-f", "csv"),
    "costs-json": ("costs", "{plan}", "-f", "json"),
    "costs-xlsx": ("costs", "{plan}", "-f", "xlsx"),
}


def _writer(key: str, plan: Path, *more: str | Path) -> list[str | Path]:
    return [plan if a == "{plan}" else a for a in WRITERS[key]] + list(more)


@pytest.fixture
def plan_file(write_plan: Any) -> Path:
    path: Path = write_plan(small_plan())
    return path


@pytest.mark.parametrize("key", sorted(WRITERS))
def test_out_replaces_only_what_tripplan_wrote(key: str, plan_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.file"
    for foreign in (b"my own notes\n", b"%PDF-1.7 someone else's\n", b'{"version": 1}\n',
                    b"<!DOCTYPE html><html><head></head></html>\n"):  # fmt: skip
        target.write_bytes(foreign)
        result = run(*_writer(key, plan_file, "--out", target))
        assert result.exit_code == 2, result.stderr
        assert "not a" in result.stderr and "tripplan wrote" in result.stderr
        assert target.read_bytes() == foreign
        assert len(result.stderr.strip().splitlines()) == 1
    target.unlink()
    assert run(*_writer(key, plan_file, "--out", target)).exit_code == 0
    first = target.read_bytes()
    assert run(*_writer(key, plan_file, "--out", target)).exit_code == 0  # ours: replaced
    assert target.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir() if ".tripplan-" in p.name] == []


def test_a_booklet_does_not_replace_a_brief(plan_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    assert run(*_writer("brief-pdf", plan_file, "--out", target)).exit_code == 0
    assert run(*_writer("booklet-pdf", plan_file, "--out", target)).exit_code == 2


@pytest.mark.parametrize("key", ["booklet-html", "brief-json"])
def test_out_never_writes_over_the_plan_being_read(
    key: str, plan_file: Path, tmp_path: Path
) -> None:
    before = plan_file.read_bytes()
    link = tmp_path / "link.json"
    link.symlink_to(plan_file)
    hard = tmp_path / "hard.json"
    os.link(plan_file, hard)
    for target in (plan_file, link, hard, tmp_path / "." / plan_file.name):
        result = run(*_writer(key, plan_file, "--out", target))
        assert result.exit_code == 2
        assert "the plan being read" in result.stderr
    via_link = run(*_writer(key, link, "--out", plan_file))  # read by one path, written by another
    assert via_link.exit_code == 2
    assert plan_file.read_bytes() == before


def test_out_problems_are_one_message_and_exit_2(plan_file: Path, tmp_path: Path) -> None:
    (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere" / "x")
    (tmp_path / "folder").mkdir()
    (tmp_path / "a-file").write_text("x")
    cases = {
        tmp_path / "loop-a": "loops",
        tmp_path / "folder": "is a folder",
        tmp_path / "missing" / "b.pdf": "does not exist",
        tmp_path / "dangling": "does not exist",
        tmp_path / "a-file" / "b.pdf": "should be a folder",
    }
    for key in ("booklet-pdf", "brief-markdown"):
        for target, words in cases.items():
            result = run(*_writer(key, plan_file, "--out", target))
            assert result.exit_code == 2, (key, target, result.stderr)
            assert words in result.stderr and "Traceback" not in result.stderr
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    result = run("booklet", plan_file, "--split", "delegate", "--out", tmp_path / "no" / "such")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    result = run("booklet", plan_file, "--split", "delegate", "--out", tmp_path / "a-file")
    assert result.exit_code == 2 and "not a folder" in result.stderr
    assert not (tmp_path / "no").exists()


def test_split_booklets_replace_only_booklets(plan_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "booklets"
    folder.mkdir()
    (folder / "booklet-ben.pdf").write_bytes(b"%PDF-1.7 scanned passport\n")
    result = run("booklet", plan_file, "--split", "delegate", "--out", folder)
    assert result.exit_code == 2 and "booklet-ben.pdf" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["booklet-ben.pdf"]  # nothing written
    (folder / "booklet-ben.pdf").unlink()
    assert run("booklet", plan_file, "--split", "delegate", "--out", folder).exit_code == 0
    assert run("booklet", plan_file, "--split", "delegate", "--out", folder).exit_code == 0


@pytest.mark.parametrize("key", sorted(WRITERS))
def test_out_dash_is_standard_output(key: str, plan_file: Path) -> None:
    result = run(*_writer(key, plan_file, "--out", "-"))
    assert result.exit_code == 0, result.stderr
    head = result.stdout_bytes[:20]
    if key.endswith("pdf"):
        assert head.startswith(b"%PDF-")
    elif key.endswith("xlsx"):
        assert head.startswith(b"PK\x03\x04")  # a zip file
    else:
        assert head.startswith((b"<!DOCTYPE", b"<!-- generator", b"{", "\ufeff".encode()))


def test_booklets_to_standard_output_need_one_delegate(plan_file: Path) -> None:
    result = run("booklet", plan_file, "--split", "delegate", "--out", "-")
    assert result.exit_code == 2 and "--delegate" in result.stderr


@pytest.mark.parametrize("key", ["brief-pdf", "booklet-pdf", "costs-xlsx"])
def test_a_pdf_is_not_sent_to_a_terminal(key: str, plan_file: Path) -> None:
    import pty
    import subprocess
    import sys

    primary, secondary = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    args = [str(a) for a in _writer(key, plan_file, "--out", "-")]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tripplan", *args],
            check=False, stdout=secondary, stderr=subprocess.PIPE, env=env, timeout=120,
        )  # fmt: skip
        os.close(secondary)
        printed = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            printed += chunk
    finally:
        os.close(primary)
    assert done.returncode == 2
    assert b"binary" in done.stderr and b"Traceback" not in done.stderr
    assert b"%PDF" not in printed and b"PK" not in printed
    said = b" ".join(done.stderr.split())
    if key == "costs-xlsx":
        assert b"a workbook is binary" in said and b"> costs.xlsx" in said, said
    else:
        assert b"a PDF is binary" in said, said


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def umask_022() -> Any:
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.mark.usefixtures("umask_022")
def test_booklets_with_private_reminders_are_0600(write_plan: Any, tmp_path: Path) -> None:
    unsure = small_plan()
    del unsure["delegates"][0]["private"]["esta"]  # check reminds Ann of her entry permit
    plan_file = write_plan(unsure, "unsure.json")
    for fmt in ("pdf", "html"):
        target = tmp_path / f"ann.{fmt}"
        assert (
            run("booklet", plan_file, "--delegate", "ann", "-f", fmt, "--out", target).exit_code
            == 0
        )
        assert _mode(target) == 0o600
        target.chmod(0o644)  # an earlier, too open booklet is closed again
        run("booklet", plan_file, "--delegate", "ann", "-f", fmt, "--out", target)
        assert _mode(target) == 0o600
    data = small_plan()
    data["delegates"].append({"id": "cy", "name": "Cy", "home": "home"})
    data["delegations"][0]["members"].append("cy")
    plan = tmp_path / "three.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    folder = tmp_path / "booklets"
    assert run("booklet", plan, "--split", "delegate", "--out", folder).exit_code == 0
    modes = {p.name: _mode(p) for p in folder.iterdir()}
    assert modes == {  # reminders come from check's findings about each delegate
        "booklet-ann.pdf": 0o644,  # nothing to remind Ann of: the umask's mode
        "booklet-ben.pdf": 0o644,
        "booklet-cy.pdf": 0o600,  # no passport expiry, no entry permit: reminded, private
    }


def test_show_strips_what_a_renderer_missed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.table import Table
    from rich.text import Text

    from tripplan.cli.app import show

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    table = Table("col")
    table.add_row(Text("x\x1b[2Jy\u2066z"))
    show(Text("a\x1b]8;;https://evil.example/\x1b\\b\x1b]8;;\x1b\\\u202ec\x9b31md\x00e"))
    show(table)
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "abcde"
    assert "xyz" in out
    assert_terminal_safe(out)


def _images(pdf: bytes) -> int:
    """How many raster images a PDF's pages (and the forms they use) draw."""
    import io

    from pypdf import PdfReader

    def count(resources: Any, seen: set[int]) -> int:
        found = 0
        xobjects = resources.get("/XObject") if resources else None
        for ref in (xobjects.get_object() if xobjects else {}).values():
            obj = ref.get_object()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if obj.get("/Subtype") == "/Image":
                found += 1
            elif obj.get("/Subtype") == "/Form":
                found += count(obj.get("/Resources"), seen)
        return found

    reader = PdfReader(io.BytesIO(pdf))
    return sum(count(page.get("/Resources"), set()) for page in reader.pages)


def _pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_hostile_payload_in_a_brief_pdf(hostile: Path, tmp_path: Path) -> None:
    (tmp_path / "private-scan.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (tmp_path / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    result = _ok("hosts", "brief", "host", hostile, "-f", "pdf", "--out", "-")
    assert result.exit_code == 0
    assert _images(result.stdout_bytes) == 0
    assert MARK in _pdf_text(result.stdout_bytes)


def test_the_hostile_payload_in_a_booklet_pdf(hostile: Path, tmp_path: Path) -> None:
    (tmp_path / "private-scan.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (tmp_path / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    result = _ok("booklet", hostile, "--delegate", "ann", "--out", "-",
                 "--calendar-url", "https://example.org/{delegate}.ics")  # fmt: skip
    assert result.exit_code == 0
    assert _images(result.stdout_bytes) <= 1  # the QR code, at most
    assert MARK in _pdf_text(result.stdout_bytes)


def test_a_failed_write_leaves_the_earlier_booklet_whole(
    plan_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tripplan.files

    target = tmp_path / "ann.html"
    assert run(*_writer("booklet-html", plan_file, "--out", target)).exit_code == 0
    before = target.read_bytes()

    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tripplan.files.os, "replace", full_disk)
    result = run(*_writer("booklet-html", plan_file, "--out", target, "--lang", "de"))
    assert result.exit_code == 2 and "No space left" in result.stderr
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ann.html", "plan.json"]


# -- properties of the escaping functions ---------------------------------------------------

_TRICKY = st.sampled_from(
    [
        *"\\`*_[]<>|~&!#-+=.)(:;\"' \n\r\t\x00\x1b\x9b\u202e\u200b\u00a0",
        *("1.", "    ", "```", "~~~", "<!--", "-->", "](", "javascript:", "&amp;", "\\u{3c}"),
    ]
)
_TEXT = st.lists(st.one_of(_TRICKY, st.text(max_size=3)), max_size=30).map("".join)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


@settings(deadline=None)
@given(_TEXT)
def test_markdown_text_reads_as_written(text: str) -> None:
    """Whatever a plan says, its Markdown renders as one paragraph of exactly that text."""
    rendered = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    page = _Text()
    page.feed(rendered.render(escape.markdown(text)))
    expected = escape.inert(text).strip()
    assert page.tags == (["p"] if expected else [])
    assert page.text.strip("\n") == expected


@settings(deadline=None)
@given(_TEXT)
def test_html_and_terminal_text_keep_nothing_hostile(text: str) -> None:
    import html as stdlib_html

    assert stdlib_html.unescape(escape.html(text)) == escape.inert(text)
    assert not re.search("[<>\"']", escape.html(text))
    assert_terminal_safe(escape.terminal(text, keep_newlines=True))
    assert_terminal_safe(escape.strip_terminal(text))


@pytest.mark.parametrize("seconds", ["nan", "inf", "1e400"])
def test_a_time_limit_that_bounds_nothing_is_a_usage_error(plan_file: Path, seconds: str) -> None:
    """nan and inf passed the option's range (x >= 0.1): the outer bound never struck."""
    result = run("plan", plan_file, "--time-limit", seconds)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "tripplan: --time-limit must be a finite number of seconds, at least 0.1\n"
    )


def test_a_plain_string_reaching_the_console_is_never_markup(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.table import Table

    from tripplan.cli.app import show

    monkeypatch.setenv("NO_COLOR", "1")
    table = Table("[bold]head")
    table.add_row("[/] [link=https://evil.example]x[/link]")
    show(table)
    printed = capsys.readouterr().out
    assert "[bold]head" in printed
    assert "[/] [link=https://evil.example]x[/link]" in printed
