"""The supply chain: counterparties and contracts, exposure, compromised releases, vendor and
customer notices, the cascade, and incidents opened from them."""
