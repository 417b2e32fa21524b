"""The test suite. Imported before any test module and before the project's modules."""

import sys

# Keep a bytecode cache even where PYTHONDONTWRITEBYTECODE is set (container images set it):
# each test process, and every pipeline or server a test starts, imports some 250 modules of
# the project and the tests, and compiling them anew costs each about 2 s. Git ignores it.
sys.dont_write_bytecode = False
