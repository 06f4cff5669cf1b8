"""The shared web shell: security headers, transactions, roles, local time, fields, filters,
countdown words, the page cache, PDF responses, optimistic versions, the organization profile.
It imports no feature."""
