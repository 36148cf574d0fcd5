"""The dashboard: a FastAPI app serving pages, panel fragments and the views' JSON (``yenflow serve``)."""
