"""FRED (Federal Reserve Bank of St. Louis) sources."""
