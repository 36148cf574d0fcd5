"""Ministry of Finance Japan sources."""
