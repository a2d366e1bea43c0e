"""What 专家巡讲 adds to the platform (倡议书 §七)."""

from bangfu.core.registry import Module

MODULE = Module(slug="tours", title="专家巡讲")
