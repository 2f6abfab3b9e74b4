"""Demo data for `flask exchange seed-demo`: Delbrück with Ortsteile, Paderborn, ~40 postings.

The content lives in data.toml; loader.py creates it through the product's services.
"""

from .loader import account_rows, load_data, seed_demo

# (key, name, e-mail, password, Kommune slug, Ortsteil or PLZ, age, role, phone) per account.
ACCOUNTS = account_rows(load_data())

__all__ = ["ACCOUNTS", "load_data", "seed_demo"]
