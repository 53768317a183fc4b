"""Shared by the cases endpoints."""


def _new_client(data: dict | None) -> dict | None:
    return dict(data) if data else None
