"""/healthz says the process answers; /readyz says whether it can serve: database, migrations,
task queue, media storage. Both without login, neither showing any data."""

import pytest
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_lives(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_lists_each_check_when_all_pass(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "task_queue": "ok",
            "media_storage": "ok",
        },
    }


def test_readyz_leaves_nothing_in_the_media_storage(client, media):
    client.get("/readyz")
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_readyz_is_503_when_the_media_storage_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["media_storage"] == "failed"
    assert body["checks"]["database"] == "ok"


def test_readyz_is_503_while_a_migration_is_not_applied(client):
    latest = MigrationRecorder.Migration.objects.filter(app="ops").latest("id")
    latest.delete()  # as if the code were deployed before `clausier migrate`
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "migrations": "failed",
        "task_queue": "ok",
        "media_storage": "ok",
    }


def test_health_endpoints_need_no_login_and_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405
