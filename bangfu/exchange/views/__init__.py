"""The exchange's pages, one module per part: posts (search, detail, forms, moderation), threads (对接),
board (feeds, subscriptions, the association's settings)."""
