"""The REST API (v1): routers by resource, pydantic schemas as the contract. No math here."""
