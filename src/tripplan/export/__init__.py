"""Exporters: calendar files from an itinerary."""
