"""IMF sources: portfolio investment positions by counterpart economy (ex-CPIS)."""
