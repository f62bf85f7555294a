"""tripplan: plan delegation trips of municipal exchange programmes.

The public API for scripted runs (documented in docs/api.md): load a plan once, then build
as many views, checks, schedules and calendars from it as needed, in one process::

    import tripplan
    from tripplan import Audience, Filters

    plan = tripplan.load_plan("plan.toml")
    itinerary = tripplan.build_itinerary(plan)  # every event, with the findings of check
    anna = itinerary.select(Filters(delegate="anna")).for_audience(Audience.delegates, "anna")
    print(tripplan.render_itinerary(anna, "markdown"))
    files = tripplan.export_calendars(anna)  # file name → bytes of an .ics file

Every function is pure: nothing is read but the plan and nothing is written but what a
function is asked to write (:func:`write_calendars`). Imports are lazy so that
``tripplan --version`` stays fast.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from tripplan.export.ics import ExportResult
    from tripplan.itinerary import Filters, Itinerary
    from tripplan.messages import Message
    from tripplan.models import Plan
    from tripplan.planning.scheduler import Result
    from tripplan.vocabulary import Audience, Format, Lang, Split

__all__ = [
    "Audience",
    "Filters",
    "Format",
    "Lang",
    "Split",
    "__version__",
    "build_itinerary",
    "export_calendars",
    "load_plan",
    "render_itinerary",
    "schedule",
    "text",
    "write_calendars",
]

_LAZY = {
    "Filters": "tripplan.itinerary",
    "Audience": "tripplan.vocabulary",
    "Format": "tripplan.vocabulary",
    "Lang": "tripplan.vocabulary",
    "Split": "tripplan.vocabulary",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tripplan' has no attribute {name!r}")


def _language(itinerary: Itinerary, lang: Any) -> Lang:
    """``lang`` if given, else the plan's language."""
    from tripplan.vocabulary import Lang

    return Lang(lang if lang is not None else itinerary.plan.programme.language)


def load_plan(path: Any) -> Plan:
    """Load and validate a plan file (TOML or JSON); ``"-"`` reads standard input, ``None``
    ./tripplan.toml or the bundled plan. Raises :class:`tripplan.errors.PlanError` with
    every problem found."""
    from tripplan.loader import load_plan as _load

    return _load(path)


def build_itinerary(plan: Plan) -> Itinerary:
    """Turn a validated plan into its :class:`~tripplan.itinerary.Itinerary`: every event
    in time order and the findings of ``tripplan check``. Narrow it with
    ``.select(Filters(...))`` and ``.for_audience(audience, delegate)``."""
    from tripplan.planning.build import build_itinerary as _build

    return _build(plan)


def render_itinerary(itinerary: Itinerary, fmt: Format | str = "markdown", lang: Any = None) -> str:
    """The itinerary as ``tripplan itinerary --format fmt`` prints it: ``markdown``,
    ``html`` or ``json`` (the terminal ``table`` is the command line's), in ``lang``
    (default: the plan's). Internal notes appear only when the itinerary is for the
    ``internal`` audience (the default until ``for_audience`` narrows it)."""
    from tripplan.errors import UsageError
    from tripplan.messages import msg
    from tripplan.vocabulary import Audience, Format

    language = _language(itinerary, lang)
    internal = itinerary.audience is Audience.internal
    kind = Format(fmt)
    if kind is Format.json:
        from tripplan.render.jsonout import render_json

        return render_json(itinerary, language, internal)
    if kind is Format.html:
        from tripplan.render.html import render_html

        return render_html(itinerary, language, internal)
    if kind is Format.markdown:
        from tripplan.render.markdown import render_markdown

        return render_markdown(itinerary, language, internal)
    raise UsageError(
        msg(
            "render_itinerary writes markdown, html or json, not {format} (the table is the "
            "terminal's, from the command line)",
            format=kind.value,
        )
    )


def text(message: Message, lang: Any = "en") -> str:
    """A message of tripplan (a finding's, an explanation line's ``message``) in ``lang``."""
    from tripplan.render.i18n import translate
    from tripplan.vocabulary import Lang

    return translate(message, Lang(lang))


def schedule(plan: Plan, **options: Any) -> Result:
    """Place the flexible activities (as ``tripplan plan``): ``time_limit``, ``max_nodes``,
    ``solver`` (a :mod:`tripplan.planning.cpsat` solver) as keywords."""
    from tripplan.planning.scheduler import schedule as _schedule

    return _schedule(plan, **options)


def export_calendars(
    itinerary: Itinerary,
    *,
    split: Split | str = "none",
    audience: Audience | str | None = None,
    lang: Any = None,
    now: datetime | None = None,
    earlier: dict[str, bytes] | None = None,
) -> dict[str, bytes]:
    """The ``.ics`` files of ``tripplan export-ics`` (file name → bytes), for ``audience``
    (by default the itinerary's once ``for_audience`` narrowed it, else the split's readers:
    :meth:`Split.audience`); ``earlier`` are the files of the last export (to keep UIDs,
    SEQUENCE and unchanged bytes), ``now`` the DTSTAMP of changed events."""
    from datetime import UTC

    from tripplan.export.ics import export
    from tripplan.vocabulary import Audience, Split

    language = _language(itinerary, lang)
    result = export(
        itinerary,
        split=Split(split),
        audience=Split(split).audience(
            Audience(audience) if audience else None, itinerary.audience
        ),
        lang=language,
        now=now or datetime.now(UTC),
        earlier=earlier or {},
        lang_fixed=lang is not None,  # else each delegate's calendar in their language
    )
    return result.files


def write_calendars(
    itinerary: Itinerary,
    out: str | Path,
    *,
    split: Split | str = "none",
    audience: Audience | str | None = None,
    lang: Any = None,
    now: datetime | None = None,
) -> ExportResult:
    """Export into ``out`` as ``tripplan export-ics --out`` does (a file for ``none``, else
    a folder), merging with an earlier export there; every file is written atomically.
    ``audience``: as for :func:`export_calendars`."""
    from datetime import UTC

    from tripplan.export.ics import export_to_path
    from tripplan.vocabulary import Audience, Split

    language = _language(itinerary, lang)
    return export_to_path(
        itinerary,
        Path(out),
        split=Split(split),
        audience=Split(split).audience(
            Audience(audience) if audience else None, itinerary.audience
        ),
        lang=language,
        now=now or datetime.now(UTC),
        lang_fixed=lang is not None,
    )
