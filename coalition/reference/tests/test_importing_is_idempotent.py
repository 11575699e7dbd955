import pytest

from coalition.reference.importing import run_import
from coalition.reference.models import ImportRun
from coalition.reference.testing import fixture_loaders

LOADERS = fixture_loaders()


@pytest.mark.parametrize("loader", LOADERS, ids=[loader.kind for loader in LOADERS])
def test_rerunning_an_import_changes_nothing(reference, loader):
    run = run_import(loader=loader)

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert (run.created, run.updated, run.deleted) == (0, 0, 0)
    assert run.unchanged > 0


def test_a_successful_run_records_its_counts_and_when_it_finished(reference):
    run = reference["itu_regions"]

    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.rows_read == run.created == 20
    assert run.finished_at >= run.started_at
    assert run.errors == []
