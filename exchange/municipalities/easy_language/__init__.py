"""A Kommune's start page in Leichte Sprache (BITV 2.0 §4), its checked text and DGS video."""
