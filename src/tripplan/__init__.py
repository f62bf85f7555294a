"""tripplan: plan delegation trips of municipal exchange programmes.

The public API for scripted runs::

    import tripplan
    plan = tripplan.load_plan("plan.toml")
    itinerary = tripplan.build_itinerary(plan)

Imports are lazy so that ``tripplan --version`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from tripplan.itinerary import Itinerary
    from tripplan.models import Plan

__all__ = ["__version__", "build_itinerary", "load_plan"]


def load_plan(path: Any) -> Plan:
    """Load and validate a plan file (TOML or JSON); ``"-"`` reads standard input."""
    from tripplan.loader import load_plan as _load

    return _load(path)


def build_itinerary(plan: Plan) -> Itinerary:
    """Turn a validated plan into its :class:`~tripplan.itinerary.Itinerary`."""
    from tripplan.planning.build import build_itinerary as _build

    return _build(plan)
