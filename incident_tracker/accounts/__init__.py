"""Who uses it: login and throttling, passwords, one's own tokens and feeds, the organization
profile's views."""
