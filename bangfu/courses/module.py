"""What 线上课程 adds to the platform (倡议书 §七)."""

from bangfu.core.registry import Module

MODULE = Module(slug="courses", title="线上课程")
