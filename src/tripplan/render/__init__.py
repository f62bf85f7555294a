"""Renderers: turn an :class:`~tripplan.itinerary.Itinerary` into text for people and scripts."""
