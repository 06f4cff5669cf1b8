"""Assessments of an incident: the method registry, ENISA severity, NIS2 significance, DORA."""
