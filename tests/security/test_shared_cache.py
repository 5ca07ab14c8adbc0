"""Rate limits count in the cache: with a cache private to each process every process would
allow the full limit. Production refuses to start without CACHE_URL, and the deployment check
refuses a process-local cache and says why."""

import os
import subprocess
import sys

from tests.security.test_web_security import BASE_DIR, PRODUCTION_ENV


def _check_deploy(**overrides: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **PRODUCTION_ENV}
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_shared_cache() -> None:
    result = _check_deploy(CACHE_URL=None)
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


def test_the_deployment_check_refuses_a_cache_private_to_each_process() -> None:
    for url in ("locmemcache://", "dummycache://"):
        result = _check_deploy(CACHE_URL=url)
        assert result.returncode != 0, url
        output = result.stdout + result.stderr
        assert "accounts.E001" in output, output
        assert "rate limits" in output
        assert "CACHE_URL" in output


def test_a_redis_cache_passes() -> None:
    result = _check_deploy(CACHE_URL="redis://127.0.0.1:6379/1")
    assert result.returncode == 0, result.stdout + result.stderr
