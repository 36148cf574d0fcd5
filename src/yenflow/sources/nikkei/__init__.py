"""Nikkei Inc. index sources."""

from __future__ import annotations

from yenflow.sources.nikkei.stock_average import NikkeiStockAverage

__all__ = ["NikkeiStockAverage"]
