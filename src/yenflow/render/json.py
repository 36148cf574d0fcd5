"""The one JSON shape of every view (see :mod:`yenflow.views.result`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from yenflow.views.result import ViewResult


def dumps(result: "ViewResult") -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


def write_json(result: "ViewResult", out: TextIO) -> None:
    out.write(dumps(result) + "\n")
