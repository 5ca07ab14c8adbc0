"""`make bench`: the system at municipal scale and beyond, measured through a real server against
a floor measured in the same run (see bench/run.py)."""
