"""The expert pool on an expert's home page: their profile."""


def profile(user) -> dict:
    return {"profile": getattr(user, "expert_profile", None)}
