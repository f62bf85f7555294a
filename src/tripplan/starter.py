"""``tripplan init``: a commented starter plan that passes ``tripplan check``.

The starter is one text with the complete example of docs/plan-format.md (a test holds them
together). It is dated in the coming year: the week of the trip is the 17th of that year,
Monday to Friday (late April, after both switches to daylight saving time), worked out
from the day it is written, which the caller may give (tests do; ``init`` gives today).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tripplan.errors import OutputError
from tripplan.files import atomic_write
from tripplan.messages import msg

STARTER = """\
# tripplan plan file. Documentation: docs/plan-format.md; JSON Schema: `tripplan schema`.
# Times are wall-clock times of the place where something happens; the zone comes from
# the community (or the airport, for a flight).
version = 1

[programme]
name = "Our exchange"
year = {year}
organiser = "Our town"
coordinator = "Exchange office"   # hosts are told to ask them about any other needs
contact = "exchange@example.org"  # the coordinator's public contact, shown to hosts
language = "en"          # language of the views; 'tripplan help itinerary' lists them (--lang)
# The right-hand side of calendar UIDs: keep it when you rename the programme, so that
# calendars that imported or subscribed update their events instead of replacing them.
uid_domain = "{uid_domain}"

[[communities]]
id = "home"
name = "Home town"
country = "DE"
subdivision = "DE-SN"     # for public holidays
timezone = "Europe/Berlin"

[[communities]]
id = "host"
name = "Host community"
country = "US"
timezone = "America/New_York"   # an assumption until the host is known
placeholder = true

[[delegates]]
id = "alex"
name = "Alex (town administration)"
home = "home"
[delegates.private]            # never shown to hosts or written to logs
phone = "+49 000 0000000"
passport_expiry = {passport_expiry}
esta = "approved"              # approved, pending, refused, not_needed or unknown
dietary = "vegetarian"
share_with_hosts = ["dietary"]  # what hosts may learn (counted, never named); default nothing

[[delegations]]
id = "home-delegation"
name = "Delegation of Home town"
home = "home"
members = ["alex"]
# Daily allowances: "de-estg" (German tax rules), "us-federal" (US M&IE) or "flat" (your
# programme's own amounts); foreign rates go in [[budget.allowance_rates]] with their source.
allowances = { rules = "flat", amount = "30", partial = "15", currency = "EUR", funder = "town" }

[[trips]]
id = "visit"
title = "Study visit"
kind = "study_tour"
delegations = ["home-delegation"]
hosts = ["host"]
first_day = {monday}
last_day = {friday}
provisional = true

[[trips.stays]]
community = "host"
check_in = {monday}
check_out = {thursday}

[[trips.legs]]
id = "out"
mode = "flight"
from = "home"
to = "host"
departs = {monday}T10:00:00   # local time at home
arrives = {monday}T13:00:00   # local time at the host
# What it costs and who pays (an example figure): see `tripplan costs`
cost = { amount = "850.00", currency = "EUR", per = "person", funder = "town", invented = true }

[[trips.legs]]
id = "back"
mode = "flight"
from = "host"
to = "home"
departs = {thursday}T18:00:00
arrives = {friday}T08:00:00

[[trips.activities]]
id = "kick-off"
title = "Meeting with integration practitioners"
translations.de.title = "Austausch mit Integrationspraktiker·innen"  # in German views
kind = "meeting"
community = "host"
start = {tuesday}T10:00:00
end = {tuesday}T12:00:00

[budget]
currency = "EUR"                 # totals are given in this currency

[[budget.funders]]
id = "town"
name = "Our town"
"""


def new_uid_domain() -> str:
    """A UID domain no other programme uses: chosen once, when a plan is started."""
    import secrets

    return f"{secrets.token_hex(6)}.tripplan.invalid"


def starter_text(today: date, uid_domain: str) -> str:
    """The starter plan as written on ``today``: a trip in the 17th week of the coming year."""
    year = today.year + 1
    monday = date.fromisocalendar(year, 17, 1)
    fields = {
        "year": str(year),
        "monday": monday.isoformat(),
        "tuesday": (monday + timedelta(days=1)).isoformat(),
        "thursday": (monday + timedelta(days=3)).isoformat(),
        "friday": (monday + timedelta(days=4)).isoformat(),
        "passport_expiry": date(year + 5, 1, 31).isoformat(),
        "uid_domain": uid_domain,
    }
    text = STARTER
    for name, value in fields.items():
        text = text.replace("{" + name + "}", value)
    return text


def write_starter(directory: Path, force: bool = False, today: date | None = None) -> Path:
    """Write ``directory/tripplan.toml``: the starter as of ``today`` (default: today)."""
    if directory.exists() and not directory.is_dir():
        raise OutputError(
            msg(
                "{directory} is a file; give a directory for tripplan.toml",
                directory=str(directory),
            )
        )
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "tripplan.toml"
    if path.exists() and not force:
        raise OutputError(msg("{path} exists already; use --force to overwrite it", path=str(path)))
    text = starter_text(today or date.today(), new_uid_domain())
    atomic_write(path, text.encode("utf-8"))
    return path
