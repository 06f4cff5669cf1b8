"""Obligations: filing and deciding them, the dashboard, the calendar feed and reminders."""
