"""What 远程咨询 adds to the platform (倡议书 §七)."""

from bangfu.core.registry import Module

MODULE = Module(slug="consulting", title="远程咨询")
