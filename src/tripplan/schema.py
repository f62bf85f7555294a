"""The JSON Schema of plan files, as published by ``tripplan schema``."""

from __future__ import annotations

import json
from typing import Any

from tripplan.models import Plan

SCHEMA_ID = "https://tripplan.invalid/schema/plan-1.json"


def plan_schema() -> dict[str, Any]:
    from pydantic import TypeAdapter

    schema = TypeAdapter(Plan).json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def plan_schema_json() -> str:
    return json.dumps(plan_schema(), ensure_ascii=False, indent=2) + "\n"
