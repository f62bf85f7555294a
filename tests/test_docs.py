"""The README is a test: every command is documented, and every example shows its real output.

``UPDATE_SNAPSHOTS=1 uv run pytest tests/test_docs.py`` rewrites the outputs in README.md.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import ROOT, run

from tripplan.cli import app

README = ROOT / "README.md"
BLOCK = re.compile(
    r"(?P<limit><!-- lines: (?P<n>\d+) -->\n)?```console\n\$ (?P<cmd>[^\n]+)\n(?P<out>.*?)```",
    re.S,
)


DOCUMENTED_SERVER = "http://127.0.0.1:5232/"


def _command_output(command: str, server: Callable[[], str], scratch: Path) -> str:
    """What ``command`` shows; its /tmp/tripplan-* folders are folders of this test's own
    (``scratch``), so that two runs of the suite at once do not share them."""
    words = [re.sub(r"^/tmp/(?=tripplan-)", f"{scratch}/", w) for w in shlex.split(command)]
    return _run_words(words, server).replace(f"{scratch}/", "/tmp/")


def _run_words(words: list[str], server: Callable[[], str]) -> str:
    if words[:3] == ["uv", "run", "tripplan"]:
        if DOCUMENTED_SERVER in words:  # `publish`: a real Radicale on a free port instead
            words = [server() if w == DOCUMENTED_SERVER else w for w in words]
        return run(*words[3:]).output
    if words[:3] == ["uv", "run", "python"]:
        done = subprocess.run(
            [sys.executable, *words[3:]], capture_output=True, text=True, check=False, cwd=ROOT
        )
        return done.stdout + done.stderr
    raise AssertionError(f"README example not runnable by the test: {shlex.join(words)}")


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines())


def _render(match: re.Match[str], server: Callable[[], str], scratch: Path) -> str:
    output = _normal(_command_output(match["cmd"], server, scratch))
    if match["n"]:
        output = "\n".join([*output.splitlines()[: int(match["n"])], "…"])
    return f"{match['limit'] or ''}```console\n$ {match['cmd']}\n{output}\n```"


@pytest.mark.slow
def test_readme_examples_show_their_real_output(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from caldav_servers import PASSWORD, Running

    def server() -> str:
        """The session's Radicale, started when an example publishes; its account
        ``coordinator`` (the README's) is this test's alone."""
        running: Running = request.getfixturevalue("radicale_server")
        return running.url

    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1530000000")
    # The README's /tmp/tripplan-* folders (and the cache it shows) are folders of this test:
    # they start empty, so the outputs are the same on each run, and no other run shares them.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(scratch / "tripplan-docs-cache"))
    text = README.read_text(encoding="utf-8")
    updated = BLOCK.sub(lambda match: _render(match, server, scratch), text)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        README.write_text(updated, encoding="utf-8")
        text = updated
    assert text == updated, "README outputs are stale: run UPDATE_SNAPSHOTS=1 uv run pytest"


def test_every_command_has_a_section_with_an_example() -> None:
    import typer.main

    text = README.read_text(encoding="utf-8")
    group = typer.main.get_group(app)
    assert group.commands, "no commands found"
    for name in group.commands:
        assert f"### `tripplan {name}" in text, f"README has no section for `tripplan {name}`"
        assert f"$ uv run tripplan {name}" in text, f"README has no example of `tripplan {name}`"


def test_readme_keeps_its_promise() -> None:
    text = README.read_text(encoding="utf-8")
    assert "uv run tripplan itinerary" in text
    assert "uv run pytest" in text
    assert "pip install uv" in text
    assert 'uv run pytest -m "not slow"' in text  # the quick inner loop


@pytest.mark.parametrize("document", ["README.md", "docs/api.md"])
def test_python_examples_in_the_docs_run(
    document: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    text = (ROOT / document).read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, document
    for block in blocks:
        exec(compile(block, document, "exec"), {})
    capsys.readouterr()
