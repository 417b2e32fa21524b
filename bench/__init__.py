"""The bench harness (`make bench`, `python -m bench`): the product against measured floors.

Its reports are written beside it (bench/<scale>.md and .json); bench/README.md explains what
is measured and keeps the measured figures. Its tests are in tests/test_bench.py.
"""
