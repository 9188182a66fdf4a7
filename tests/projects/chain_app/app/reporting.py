"""Reports over the stored rows."""

from .storage.rows import load_rows


def build_report(path):
    rows = load_rows(path)
    return {"rows": len(rows)}


def describe(report):
    return f"{report['rows']} rows"
