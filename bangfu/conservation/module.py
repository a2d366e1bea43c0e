"""What conservation adds: lab service requests, expert 会诊 cases and restoration projects (SKELETON)."""

from bangfu.core.registry import Module

MODULE = Module(slug="conservation", title="文物保护")
