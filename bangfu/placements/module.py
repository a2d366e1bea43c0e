"""What 跟班学习与指导 adds to the platform (倡议书 §七)."""

from bangfu.core.registry import Module

MODULE = Module(slug="placements", title="跟班学习与指导")
