"""What every module's API router shares, below every app: the token-or-session auth (`auth`), the one pagination
(`pagination`) and the shared shapes (`schemas`: the types of what the API takes, the error answers, references).
Each module's router and its own shapes live in the module (`<app>/api.py`, `<app>/api_schemas.py`), declared in its
`module.py`; the api app assembles them (`bangfu/api/api.py`) with the error handlers and the docs."""
