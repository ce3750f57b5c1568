"""The container files hold together without a Docker engine to try them on.

hadolint lints the Dockerfile; the rest checks what a typo would silently break:
every role a manifest asks for exists, every pod runs as non-root with probes,
and one beat only.
"""

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
ENTRYPOINT_ROLES = set(re.findall(r"^  (\w+)\)$", (DEPLOY / "entrypoint.sh").read_text(), re.M))


def k8s_documents() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    documents = []
    for name in kustomization["resources"]:
        documents += [doc for doc in yaml.safe_load_all((K8S / name).read_text()) if doc]
    return documents


def workloads(kind: str = "Deployment") -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in k8s_documents() if doc["kind"] == kind}


def test_the_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint", path=str(ROOT / ".venv" / "bin")) or shutil.which(
        "hadolint"
    )
    if hadolint is None:
        pytest.skip("hadolint is not installed (make install brings it)")
    result = subprocess.run([hadolint, str(DEPLOY / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_is_multi_stage_non_root_and_health_checked():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM .*slim", dockerfile, re.M)) == 2
    assert re.search(r"^USER 10001", dockerfile, re.M)
    assert re.search(r"^HEALTHCHECK ", dockerfile, re.M)


def test_every_role_compose_and_kubernetes_ask_for_exists_in_the_entrypoint():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    asked = {
        service["command"][0]
        for service in compose["services"].values()
        if service.get("image", "").startswith("${PLAUDIT_IMAGE") and service["command"][0] != "sh"
    }
    for kind in ("Deployment", "Job"):
        for workload in workloads(kind).values():
            for container in workload["spec"]["template"]["spec"]["containers"]:
                if container["image"] == "plaudit":
                    asked.add(container["args"][0])
    assert asked == {"web", "asgi", "worker", "beat", "migrate"}
    assert asked <= ENTRYPOINT_ROLES


def test_compose_runs_the_whole_topology_behind_nginx():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert {"postgres", "redis", "web", "asgi", "worker", "beat", "nginx"} <= set(
        compose["services"]
    )
    mounts = " ".join(compose["services"]["nginx"]["volumes"])
    assert "./nginx/locations.conf" in mounts
    assert "./nginx/http.conf" in mounts


def test_every_pod_runs_as_non_root_with_limits():
    for kind in ("Deployment", "Job", "StatefulSet"):
        for name, workload in workloads(kind).items():
            pod = workload["spec"]["template"]["spec"]
            if name in {"postgres", "redis"}:
                continue  # the trial data services; production uses managed ones
            assert pod["securityContext"]["runAsNonRoot"] is True, name
            for container in pod["containers"]:
                assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
                assert "memory" in container["resources"]["limits"], name


def test_web_pods_are_probed_on_the_health_endpoints_and_drain_before_stopping():
    pod = workloads()["web"]["spec"]["template"]["spec"]
    web = pod["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/health/"
    assert web["readinessProbe"]["httpGet"]["path"] == "/health/ready/"
    assert web["lifecycle"]["preStop"]
    # gunicorn's graceful timeout (25 s) + the preStop pause must fit in the grace period.
    assert pod["terminationGracePeriodSeconds"] > 25 + 5


def test_there_is_exactly_one_beat():
    beat = workloads()["beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"]["type"] == "Recreate"


def test_nginx_streams_large_imports_and_upgrades_websockets():
    locations = (DEPLOY / "nginx" / "locations.conf").read_text()
    imports = locations[locations.index("location ~ ^/(api/v1/imports/") :]
    imports = imports[: imports.index("}")]
    assert "proxy_request_buffering off;" in imports
    assert "client_max_body_size 300m;" in imports
    websocket = locations[locations.index("location /ws/") :]
    assert "proxy_set_header Upgrade $http_upgrade;" in websocket[: websocket.index("}")]


@pytest.mark.parametrize("config", ["nginx/default.conf", "k8s/nginx-default.conf"])
def test_nginx_never_serves_uploaded_import_files(config):
    """Import uploads hold salaries and voucher codes; only reward images are public."""
    text = (DEPLOY / config).read_text()
    refused = text.index("location /media/imports/ {")
    served = text.index("location /media/ {")
    assert "return 404;" in text[refused:served]
