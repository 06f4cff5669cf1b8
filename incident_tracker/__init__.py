"""incident_tracker: breach incident response and regulatory notification tracking.

The package root stays import-free so that ``incident_tracker.core`` can be used without Flask.
The application factory lives in :mod:`incident_tracker.app`.
"""
