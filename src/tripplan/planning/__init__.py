"""Planning: turn a validated plan into an itinerary and check it."""
