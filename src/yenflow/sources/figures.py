"""Figures read from text cells: ASCII digits only.

Every publisher yenflow reads prints figures in ASCII digits, even in files whose
labels use full-width characters (MOF's ``８月``, ``2005．1．2～``). Python's
``float`` and ``int`` and the regex class ``\\d`` also accept other Unicode
digits, so ``float("１２３")`` is 123.0: a figure retyped by hand or passed
through a converter would be stored silently. yenflow refuses it instead (the
parser's ParseError names the file, the row and the cell); labels keep their
NFKC normalisation, which is how the publishers print them. Also refused: the
spellings ``float`` tolerates that no publisher uses (``1_000``, ``nan``,
``inf``, ``１e3``).
"""

from __future__ import annotations

import re

#: an ASCII decimal figure, optional sign, fraction and exponent (no thousands commas)
FIGURE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def ascii_float(text: str) -> float:
    """``float(text)`` for an ASCII figure (surrounding ASCII spaces allowed);
    ValueError for anything else, including full-width digits."""
    stripped = text.strip(" \t")
    if not FIGURE.fullmatch(stripped):
        raise ValueError(f"not an ASCII figure: {text!r}")
    return float(stripped)
