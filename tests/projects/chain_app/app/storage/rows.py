"""Reading stored rows."""

import csv


def load_rows(path):
    # The rows file is small, but this is still a blocking read.
    with open(path, newline="") as handle:
        return list(csv.reader(handle))
