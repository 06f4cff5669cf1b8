"""Letters and reports: the sandbox for staff-edited templates, their context, and PDF rendering."""
