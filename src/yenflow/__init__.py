"""yenflow: watch Japan's money move."""
