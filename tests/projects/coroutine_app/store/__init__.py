"""Re-exports: `from store import refresh` is `store.pricing.refresh_rates`."""

from .pricing import refresh_rates as refresh
from .pricing import Ledger, Repo

__all__ = ["Ledger", "Repo", "refresh"]
