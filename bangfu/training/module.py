"""What 培训班 adds to the platform (倡议书 §七)."""

from bangfu.core.registry import Module

MODULE = Module(slug="training", title="培训班")
