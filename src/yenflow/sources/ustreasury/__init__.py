"""U.S. Department of the Treasury sources."""
