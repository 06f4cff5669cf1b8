"""The breach register (GDPR Art. 33(5)): which incidents, and its CSV, JSON and PDF formats."""
