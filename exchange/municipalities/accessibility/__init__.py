"""A Kommune's accessibility statement (Erklärung zur Barrierefreiheit) and its feedback form.

§12b BGG, §7 BITV 2.0 and the Länder's laws: status, the parts that are not accessible with
reasons and alternatives, how and when it was evaluated, the last review, an electronic feedback
mechanism and the Land's enforcement body. One statement per Kommune, stored once its admins
save it; until then the translated defaults of ``defaults.py`` stand for it.
"""
