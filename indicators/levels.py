"""The levels a figure is published at, and how they nest: the one definition.

Standard library only, so the settings (loss_weights per level), the catalogue, disclosure
control and the dashboard all read the same list."""

from __future__ import annotations

LEVELS = ("school", "bestuur", "swv", "wijk", "gemeente", "regio")
# (child, parent): a parent's count is the sum of its children's. gemeente -> regio: a region of
# several gemeenten is their sum (its rows exist only then).
HIERARCHIES = (("school", "bestuur"), ("school", "swv"), ("wijk", "gemeente"),
               ("gemeente", "regio"))
# The fact column that places a row at each level, in the order of placement_level (macros.sql).
LEVEL_COLUMNS = {"school": "vestigingscode", "bestuur": "bevoegd_gezag", "swv": "swv",
                 "wijk": "wijkcode", "gemeente": "gemeentecode", "regio": "regiocode"}
# A school's part in one swv: never published, a cell of disclosure control only. A school that
# teaches both sectors (SO/VSO) counts its SO pupils at the PO-swv and its VSO pupils at the
# VO-swv, so the school = its parts and each swv = the parts in it (mart.school_part_values).
SCHOOL_PART = "schooldeel"
SCHOOL_PART_CODE = "vestigingscode || '|' || swv"
