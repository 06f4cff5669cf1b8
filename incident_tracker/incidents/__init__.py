"""Incidents: recording them (the one write path), their obligations' regeneration, timeline,
references and the list."""
