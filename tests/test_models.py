"""The models: frozen dataclasses, importable without pydantic, checked however they are built."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import time

import pytest
from conftest import BUNDLED

from tripplan.loader import load_plan
from tripplan.models import InvalidPlan, Private, WorkingHours


def test_models_import_without_pydantic() -> None:
    code = (
        "import sys, json, tripplan.models\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('pydantic'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_plans_are_frozen_all_the_way_down() -> None:
    plan = load_plan(BUNDLED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.programme = plan.programme  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.trips[0].activities[0].start = None  # type: ignore[misc]
    assert isinstance(plan.trips, tuple) and isinstance(plan.trips[0].legs, tuple)


def test_a_plan_built_in_python_is_checked_like_a_loaded_one() -> None:
    plan = load_plan(BUNDLED)
    twin = dataclasses.replace(plan.delegates[0], name="Zweite Person")
    with pytest.raises(InvalidPlan) as raised:
        dataclasses.replace(plan, delegates=(*plan.delegates, twin))
    assert str(raised.value) == (
        f"delegates[{len(plan.delegates)}].id: 'bz-stadt' repeats the same id; every delegate "
        "id must be unique (ignoring case, so exported file names cannot clash)"
    )
    with pytest.raises(ValueError, match="working hours must end after they start"):
        WorkingHours(start=time(17, 0), end=time(9, 0))


def test_private_data_stays_out_of_reprs() -> None:
    private = Private(phone="+49 3591 0000", dietary="vegetarisch")
    assert repr(private) == str(private) == "Private(<hidden>)"
    delegate = load_plan(BUNDLED).delegates[0]
    assert "private=Private(<hidden>)" in repr(delegate)
