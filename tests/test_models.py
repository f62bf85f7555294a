"""The models: frozen pydantic models, checked however they are built."""

from __future__ import annotations

from datetime import time

import pytest
from helpers import BUNDLED
from pydantic import ValidationError

from tripplan.loader import load_plan
from tripplan.models import InvalidPlan, Plan, Private, WorkingHours


def test_models_are_plain_frozen_pydantic_models_that_forbid_unknown_fields() -> None:
    from pydantic import BaseModel

    from tripplan.models import Model, Plan

    assert issubclass(Plan, BaseModel) and issubclass(Plan, Model)
    assert Model.model_config["frozen"] is True
    assert Model.model_config["extra"] == "forbid"


def test_plans_are_frozen_all_the_way_down() -> None:
    plan = load_plan(BUNDLED)
    with pytest.raises(ValidationError, match="frozen"):
        plan.programme = plan.programme  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        plan.trips[0].activities[0].start = None  # type: ignore[misc]
    assert isinstance(plan.trips, tuple) and isinstance(plan.trips[0].legs, tuple)


def test_a_plan_built_in_python_is_checked_like_a_loaded_one() -> None:
    plan = load_plan(BUNDLED)
    twin = plan.delegates[0].model_copy(update={"name": "Zweite Person"})
    with pytest.raises(InvalidPlan) as raised:
        Plan(**{**dict(plan), "delegates": (*plan.delegates, twin)})
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
