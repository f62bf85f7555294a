"""``tripplan init``: a commented starter plan that passes ``tripplan check``."""

from __future__ import annotations

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
year = 2018
organiser = "Our town"
coordinator = "Exchange office"   # hosts are told to ask them about any other needs
contact = "exchange@example.org"  # the coordinator's public contact, shown to hosts
language = "en"          # "de" or "en": language of the views
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
passport_expiry = 2030-01-31
esta = "approved"              # approved, pending, refused, not_needed or unknown
dietary = "vegetarian"
share_with_hosts = ["dietary"]  # what hosts may learn (counted, never named); default nothing

[[delegations]]
id = "home-delegation"
name = "Delegation of Home town"
home = "home"
members = ["alex"]

[[trips]]
id = "visit"
title = "Study visit"
kind = "study_tour"
delegations = ["home-delegation"]
hosts = ["host"]
first_day = 2018-04-23
last_day = 2018-04-27
provisional = true

[[trips.stays]]
community = "host"
check_in = 2018-04-23
check_out = 2018-04-26

[[trips.legs]]
id = "out"
mode = "flight"
from = "home"
to = "host"
departs = 2018-04-23T10:00:00   # local time at home
arrives = 2018-04-23T13:00:00   # local time at the host

[[trips.legs]]
id = "back"
mode = "flight"
from = "host"
to = "home"
departs = 2018-04-26T18:00:00
arrives = 2018-04-27T08:00:00

[[trips.activities]]
id = "kick-off"
title = "Meeting with integration practitioners"
translations.de.title = "Austausch mit Integrationspraktiker·innen"  # in German views
kind = "meeting"
community = "host"
start = 2018-04-24T10:00:00
end = 2018-04-24T12:00:00
"""


def new_uid_domain() -> str:
    """A UID domain no other programme uses: chosen once, when a plan is started."""
    import secrets

    return f"{secrets.token_hex(6)}.tripplan.invalid"


def write_starter(directory: Path, force: bool = False) -> Path:
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
    atomic_write(path, STARTER.replace("{uid_domain}", new_uid_domain()).encode("utf-8"))
    return path
