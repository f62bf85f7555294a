"""Keep the translation catalogs in step with the code, with babel's own tools.

    uv run python scripts/catalogs.py          # extract, update every catalog, compile
    uv run python scripts/catalogs.py --check  # exit 1 when anything is out of date

Extracts every message (``msg``, ``nmsg`` and ``N_`` in src/tripplan) into
src/tripplan/locale/tripplan.pot, merges it into the catalog of every language of
``tripplan.vocabulary.Lang`` (``locale/<lang>/LC_MESSAGES/tripplan.po``, made when it is
missing; new messages come in untranslated, removed ones go), and compiles the ``.mo``
files tripplan reads. Translate the new entries of every catalog but English's by hand,
then run it again. See docs/translating.md.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from tripplan.vocabulary import Lang

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "tripplan" / "locale"
TEMPLATE = LOCALE / "tripplan.pot"
LANGUAGES = tuple(str(lang) for lang in Lang)  # declared once, in tripplan.vocabulary
KEYWORDS = {"msg": None, "nmsg": (1, 2), "N_": None}
FIXED = datetime(2018, 1, 1, tzinfo=UTC)


def extract() -> Catalog:
    """Every message of the package, as babel's extractor finds it."""
    template = Catalog(project="tripplan", fuzzy=False, creation_date=FIXED)
    source = ROOT / "src" / "tripplan"
    for filename, _line, message, _comments, context in extract_from_dir(
        source,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=(),
        strip_comment_tags=True,
    ):
        template.add(message, context=context, flags=("python-brace-format",))
        del filename
    return template


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, omit_header=True, sort_output=True, no_location=True, width=76)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def catalogs(template: Catalog) -> dict[Path, bytes]:
    """Every file the catalogs consist of, as they should be."""
    files = {TEMPLATE: _po_bytes(template)}
    for lang in LANGUAGES:
        po = LOCALE / lang / "LC_MESSAGES" / "tripplan.po"
        if po.exists():
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="tripplan")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.creation_date = catalog.revision_date = FIXED  # the same bytes on every run
        catalog.fuzzy = False
        files[po] = _po_bytes(catalog)
        files[po.with_suffix(".mo")] = _mo_bytes(catalog)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Change nothing; exit 1 if stale.")
    args = parser.parse_args()
    stale = []
    for path, data in catalogs(extract()).items():
        if not path.exists() or path.read_bytes() != data:
            stale.append(path.relative_to(ROOT))
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
    for path in stale:
        print(f"{'stale' if args.check else 'updated'}: {path}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
