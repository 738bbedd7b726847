"""What every file model shares: the id pattern, and frozen models that refuse unknown fields."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
