"""What the migration tests share: migrating the test database to given nodes and back to the newest, and loading
the divisions again afterwards (a transactional test empties every table when it ends)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from .factories import ensure_divisions


@pytest.fixture(scope="module", autouse=True)
def reload_divisions_afterwards(django_db_blocker):
    """The other tests expect the divisions loaded once: load them again after this module's tests."""
    yield
    with django_db_blocker.unblock():
        ensure_divisions()


def migrate(targets):
    """Migrate to `targets` and return the apps of that state (the historical models)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest(*apps: str):
    """The newest migration of each of `apps`."""
    graph = MigrationExecutor(connection).loader.graph
    return [node for node in graph.leaf_nodes() if node[0] in apps]
