"""deploy/: the Dockerfile's entrypoint, compose.yaml and the Kubernetes manifests are consistent with the code.

No Docker or cluster is needed: YAML is parsed, cross-references are checked, every factory the
manifests choose is imported, every AUTOCIRC_* variable is a real settings field, and the Kubernetes
objects are validated against the published schemas (kubernetes-validate) and rendered with
``kubectl kustomize`` when kubectl is installed.
"""
from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from autocirc_gateway.settings import SERVICES, GatewaySettings
from autocirc_shared.settings import CommonSettings

from tests.support.infra import unavailable

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
PROCESSES = (*SERVICES, "gateway")
HPA_TARGETS = {"gateway"}  # HTTP only; the queue consumers scale through KEDA (keda.yaml)
KEDA_KINDS = {"ScaledObject"}  # validated against KEDA's CRD schema, not Kubernetes' own
SCHEMAS = Path(__file__).parents[1] / "support" / "schemas"
# Read by deploy/entrypoint.sh (which process to start), not by a settings class.
ENTRYPOINT_VARS = {"AUTOCIRC_SERVICE"}
K8S_VERSION = "1.30.0"


def _package(process: str) -> str:
    return f"autocirc_{process.replace('-', '_')}"


def _settings_classes() -> list[type]:
    classes = [CommonSettings, GatewaySettings]
    for service in SERVICES:
        module = importlib.import_module(f"{_package(service)}.settings")
        classes += [obj for obj in vars(module).values()
                    if isinstance(obj, type) and issubclass(obj, CommonSettings) and obj is not CommonSettings]
    return classes


SETTINGS_VARS = {f"AUTOCIRC_{name.upper()}" for cls in _settings_classes() for name in cls.model_fields}


def _k8s_docs() -> list[tuple[str, dict]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        docs += [(path.name, doc) for doc in yaml.safe_load_all(path.read_text()) if doc is not None]
    return docs


def _of_kind(kind: str) -> list[dict]:
    return [doc for _, doc in _k8s_docs() if doc["kind"] == kind]


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _factory_of(service_var: str) -> str:
    """What deploy/entrypoint.sh starts for an AUTOCIRC_SERVICE value."""
    assert service_var in PROCESSES, service_var
    return f"{_package(service_var)}.main:create_app"


def _assert_factory(target: str) -> None:
    module, _, attr = target.partition(":")
    assert callable(getattr(importlib.import_module(module), attr)), target


# --- image ------------------------------------------------------------------------------------

def test_dockerfile_installs_every_package_and_runs_the_entrypoint():
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.MULTILINE)
    assert "pip install -c constraints.txt ./shared ./services/* ./gateway" in text
    assert re.search(r"^USER 10001", text, re.MULTILINE), "runs as a non-root user"
    assert "deploy/entrypoint.sh" in text and 'ENTRYPOINT ["/usr/local/bin/autocirc-entrypoint"]' in text
    for copied in re.findall(r"^COPY (?:--\S+ )*(\S+)", text, re.MULTILINE):
        assert (ROOT / copied).exists(), copied
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert "**/.venv" in ignored and "var" in ignored


@pytest.mark.parametrize("process", PROCESSES)
def test_entrypoint_maps_each_service_to_its_factory(process, tmp_path):
    """Run the real entrypoint with a fake `python` that echoes what it would exec."""
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\necho "$@"\n')
    fake.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "AUTOCIRC_SERVICE": process, "PORT": "8123"}
    out = subprocess.run(["sh", str(DEPLOY / "entrypoint.sh")], env=env, capture_output=True, text=True, check=True)
    args = out.stdout.split()
    assert args[:3] == ["-m", "uvicorn", "--factory"] and args[4:8] == ["--host", "0.0.0.0", "--port", "8123"]
    assert args[3] == _factory_of(process)
    _assert_factory(args[3])


def test_entrypoint_rejects_unknown_services_and_runs_given_commands():
    bad = subprocess.run(["sh", str(DEPLOY / "entrypoint.sh")], env={"PATH": "/usr/bin:/bin", "AUTOCIRC_SERVICE": "nope"},
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 64 and "unknown AUTOCIRC_SERVICE" in bad.stderr
    ran = subprocess.run(["sh", str(DEPLOY / "entrypoint.sh"), "echo", "one-off"], env={"PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "one-off"


# --- compose ----------------------------------------------------------------------------------

def test_compose_services_are_complete_and_consistent():
    compose = _compose()
    services = compose["services"]
    assert {"postgres", "rabbitmq", "minio", "keys", *PROCESSES} <= set(services)
    assert services["rabbitmq"]["image"].startswith("rabbitmq:3.12-management")
    assert services["postgres"]["image"].startswith("postgres:15")
    volumes = set(compose.get("volumes") or {})
    for name, svc in services.items():
        assert svc.get("image") or svc.get("build"), name
        if "build" in svc:
            assert (ROOT / "deploy" / svc["build"]["context"] / svc["build"]["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
        if name != "keys":
            assert svc.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
        deps = svc.get("depends_on") or {}
        for dep in deps:
            assert dep in services, f"{name} depends on unknown {dep}"
            if isinstance(deps, dict):
                cond = deps[dep]["condition"]
                assert cond in ("service_healthy", "service_completed_successfully"), (name, dep)
                if cond == "service_healthy":
                    assert "healthcheck" in services[dep], f"{name} waits for {dep}'s health, which has none"
        for vol in svc.get("volumes") or []:
            source = vol.split(":")[0]
            assert source.startswith((".", "/")) or source in volumes, (name, source)


def test_compose_processes_choose_real_factories_and_read_keys():
    services = _compose()["services"]
    for process in PROCESSES:
        env = services[process]["environment"]
        _assert_factory(_factory_of(env["AUTOCIRC_SERVICE"]))
        assert env["AUTOCIRC_SERVICE"] == process
        assert env["AUTOCIRC_JWT_PUBLIC_KEY_FILE"].startswith("/keys/")
        assert "/readyz" in " ".join(services[process]["healthcheck"]["test"])
        deps = services[process]["depends_on"]
        assert deps["keys"]["condition"] == "service_completed_successfully"
        assert any(v.startswith("jwt-keys:/keys") for v in services[process]["volumes"])
    assert services["identity"]["environment"]["AUTOCIRC_JWT_PRIVATE_KEY_FILE"].startswith("/keys/")
    gateway_env = services["gateway"]["environment"]
    for service in SERVICES:
        host = re.match(r"http://([^:/]+)", gateway_env[f"AUTOCIRC_{service.upper().replace('-', '_')}_URL"]).group(1)
        assert host == service and host in services
    keygen = " ".join(services["keys"]["command"])
    compile(services["keys"]["command"][-1], "keys", "exec")
    assert "ensure_keypair" in keygen and "/keys/jwt_public.pem" in keygen


def _compose_vars() -> set[str]:
    found = set()
    for svc in _compose()["services"].values():
        env = svc.get("environment") or {}
        names = env if isinstance(env, dict) else [e.split("=", 1)[0] for e in env]
        found |= {n for n in names if n.startswith("AUTOCIRC_")}
    return found


def _k8s_vars() -> set[str]:
    found = set()
    for _, doc in _k8s_docs():
        if doc["kind"] in ("ConfigMap", "Secret"):
            found |= {k for k in (doc.get("data") or {}) | (doc.get("stringData") or {}) if k.startswith("AUTOCIRC_")}
        if doc["kind"] in ("Deployment", "Job"):
            for container in doc["spec"]["template"]["spec"]["containers"]:
                found |= {e["name"] for e in container.get("env") or [] if e["name"].startswith("AUTOCIRC_")}
    return found


@pytest.mark.parametrize("source", ["compose", "k8s"])
def test_every_autocirc_variable_is_a_settings_field(source):
    used = _compose_vars() if source == "compose" else _k8s_vars()
    assert used, source
    unknown = used - SETTINGS_VARS - ENTRYPOINT_VARS
    assert not unknown, f"{source} sets variables no settings class reads: {sorted(unknown)}"
    assert "AUTOCIRC_SERVICE" in (DEPLOY / "entrypoint.sh").read_text()


# --- Kubernetes -------------------------------------------------------------------------------

def test_every_object_has_api_version_kind_and_name():
    docs = _k8s_docs()
    assert docs
    for filename, doc in docs:
        assert doc.get("apiVersion") and doc.get("kind") and doc.get("metadata", {}).get("name"), filename
    names = [(doc["kind"], doc["metadata"]["name"]) for _, doc in docs]
    assert len(names) == len(set(names)), "duplicate objects"


def test_kustomization_lists_every_manifest():
    kust = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kust["resources"])
    present = {p.name for p in K8S.iterdir() if p.is_file() and p.name != "kustomization.yaml"}
    assert listed == present


def _container(deployment: dict) -> dict:
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, deployment["metadata"]["name"]
    return containers[0]


def test_deployments_probe_limit_and_run_a_real_factory():
    deployments = {d["metadata"]["name"]: d for d in _of_kind("Deployment") if d["metadata"]["name"] != "pgbouncer"}
    assert set(deployments) == set(PROCESSES)
    secrets = {s["metadata"]["name"]: s for s in _of_kind("Secret")}
    configmaps = {c["metadata"]["name"] for c in _of_kind("ConfigMap")}
    for name, dep in deployments.items():
        spec = dep["spec"]
        labels = spec["template"]["metadata"]["labels"]
        assert spec["selector"]["matchLabels"].items() <= labels.items(), name
        c = _container(dep)
        port_names = {p.get("name") for p in c["ports"]} | {p["containerPort"] for p in c["ports"]}
        for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            get = c[probe]["httpGet"]
            assert get["path"] == path and get["port"] in port_names, (name, probe)
        assert c["resources"]["requests"]["cpu"] and c["resources"]["requests"]["memory"], name
        assert c["resources"]["limits"]["memory"], name
        annotations = spec["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true" and annotations["prometheus.io/path"] == "/metrics"
        assert int(annotations["prometheus.io/port"]) in port_names
        env = {e["name"]: e for e in c.get("env") or []}
        assert env["AUTOCIRC_SERVICE"]["value"] == name
        assert "command" not in c and "args" not in c, "the entrypoint chooses the factory"
        _assert_factory(_factory_of(env["AUTOCIRC_SERVICE"]["value"]))
        for ref in c.get("envFrom") or []:
            if "configMapRef" in ref:
                assert ref["configMapRef"]["name"] in configmaps
            if "secretRef" in ref:
                assert ref["secretRef"]["name"] in secrets
        for e in env.values():
            key_ref = e.get("valueFrom", {}).get("secretKeyRef")
            if key_ref:
                assert key_ref["key"] in secrets[key_ref["name"]]["stringData"], (name, key_ref)
        volumes = {v["name"]: v for v in spec["template"]["spec"]["volumes"]}
        mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
        keys = volumes[mounts["/keys"]["name"]]["secret"]
        assert keys["secretName"] == "autocirc-jwt"
        if name == "identity":
            assert "items" not in keys and env["AUTOCIRC_JWT_PRIVATE_KEY_FILE"]["value"] == "/keys/jwt_private.pem"
        else:
            assert [i["key"] for i in keys["items"]] == ["jwt_public.pem"], f"{name} must not see the private key"
            assert "AUTOCIRC_JWT_PRIVATE_KEY_FILE" not in env
    gateway_env = {e["name"]: e["value"] for e in _container(deployments["gateway"]).get("env") if "value" in e}
    services = {s["metadata"]["name"] for s in _of_kind("Service")}
    for service in SERVICES:
        assert gateway_env[f"AUTOCIRC_{service.upper().replace('-', '_')}_URL"] == f"http://{service}"
        assert service in services


def test_services_reach_postgresql_through_pgbouncer_in_transaction_pooling():
    bouncer = next(d for d in _of_kind("Deployment") if d["metadata"]["name"] == "pgbouncer")
    c = _container(bouncer)
    env = {e["name"]: e.get("value") for e in c["env"]}
    assert env["POOL_MODE"] == "transaction" and int(env["MAX_USER_CONNECTIONS"]) < 100  # default max_connections
    assert c["readinessProbe"]["tcpSocket"] and c["resources"]["limits"]["memory"]
    config = next(c for c in _of_kind("ConfigMap") if c["metadata"]["name"] == "autocirc-common")["data"]
    secret = next(s for s in _of_kind("Secret") if s["metadata"]["name"] == "autocirc-secrets")["stringData"]
    assert config["AUTOCIRC_DATABASE_PGBOUNCER"] == "true"
    assert "@pgbouncer." in secret["AUTOCIRC_DATABASE_URL"] and "@pgbouncer" not in secret["AUTOCIRC_DATABASE_DIRECT_URL"]
    compose = _compose()
    env = compose["services"]["transactions"]["environment"]
    assert "@pgbouncer:" in env["AUTOCIRC_DATABASE_URL"] and "@postgres:" in env["AUTOCIRC_DATABASE_DIRECT_URL"]
    assert compose["services"]["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"


def test_services_select_deployments():
    deployments = {d["metadata"]["name"]: d for d in _of_kind("Deployment")}
    for svc in _of_kind("Service"):
        selector = svc["spec"]["selector"]
        matches = [d for d in deployments.values()
                   if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert len(matches) == 1, svc["metadata"]["name"]
        container_ports = {p["name"] for p in _container(matches[0])["ports"]} | \
                          {p["containerPort"] for p in _container(matches[0])["ports"]}
        for port in svc["spec"]["ports"]:
            assert port["targetPort"] in container_ports


def test_hpas_target_existing_deployments_for_exactly_the_scaled_services():
    deployments = {d["metadata"]["name"]: d for d in _of_kind("Deployment")}
    hpas = _of_kind("HorizontalPodAutoscaler")
    assert all(h["apiVersion"] == "autoscaling/v2" for h in hpas)
    targets = [h["spec"]["scaleTargetRef"] for h in hpas]
    assert sorted(t["name"] for t in targets) == sorted(HPA_TARGETS)
    for hpa, ref in zip(hpas, targets):
        assert ref["kind"] == "Deployment" and ref["apiVersion"] == "apps/v1" and ref["name"] in deployments
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        assert "replicas" not in deployments[ref["name"]]["spec"], "the HPA owns the replica count"


def test_jwt_keygen_job_script_compiles_and_has_rbac():
    job = _of_kind("Job")[0]
    pod = job["spec"]["template"]["spec"]
    command = pod["containers"][0]["command"]
    assert command[:2] == ["python", "-c"]
    compile(command[2], "jwt-keygen", "exec")
    assert "ensure_keypair" in command[2]
    accounts = {a["metadata"]["name"] for a in _of_kind("ServiceAccount")}
    assert pod["serviceAccountName"] in accounts
    binding = _of_kind("RoleBinding")[0]
    assert binding["roleRef"]["name"] in {r["metadata"]["name"] for r in _of_kind("Role")}
    assert binding["subjects"][0]["name"] == pod["serviceAccountName"]


def test_secrets_are_marked_placeholders():
    text = (K8S / "secrets.yaml").read_text()
    assert "PLACEHOLDER" in text
    for secret in _of_kind("Secret"):
        for value in secret["stringData"].values():
            assert "CHANGE-ME" in value, secret["metadata"]["name"]


def test_objects_match_the_kubernetes_schemas():
    import kubernetes_validate  # a dev requirement: its absence is an install error, not a skip

    for _filename, doc in _k8s_docs():
        if doc["kind"] not in KEDA_KINDS:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def _scaled_object_schema() -> dict:
    crd = next(d for d in yaml.safe_load_all((SCHEMAS / "keda.sh_scaledobjects.yaml").read_text()) if d)
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1alpha1")
    return version["schema"]["openAPIV3Schema"]


def _strict(schema: dict) -> dict:
    """The CRD schema with unknown fields refused, as the API server prunes and kubectl --validate=strict warns."""
    schema = dict(schema)
    if schema.get("type") == "object" and "properties" in schema and "additionalProperties" not in schema:
        schema["additionalProperties"] = False
    for key in ("properties",):
        if key in schema:
            schema[key] = {k: _strict(v) for k, v in schema[key].items()}
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            schema[key] = _strict(schema[key])
    return schema


def test_each_queue_consumer_scales_on_its_queue_by_a_valid_keda_scaled_object():
    from autocirc_shared.messaging.topology import SUBSCRIBERS

    validator = jsonschema.Draft7Validator(_strict(_scaled_object_schema()))
    deployments = {d["metadata"]["name"]: d for d in _of_kind("Deployment")}
    scaled = {s["spec"]["scaleTargetRef"]["name"]: s for s in _of_kind("ScaledObject")}
    assert set(scaled) == set(SUBSCRIBERS), "one ScaledObject for each service that consumes a queue"
    namespace = CommonSettings.model_fields["bus_namespace"].default
    for name, obj in scaled.items():
        errors = [e.message for e in validator.iter_errors(obj)]
        assert not errors, (name, errors)
        assert obj["apiVersion"] == "keda.sh/v1alpha1" and obj["spec"]["scaleTargetRef"]["kind"] == "Deployment"
        assert "replicas" not in deployments[name]["spec"], "KEDA owns the replica count"
        assert name not in HPA_TARGETS, "a second HPA on one Deployment would fight KEDA's"
        triggers = {t["type"]: t for t in obj["spec"]["triggers"]}
        queue = triggers["rabbitmq"]["metadata"]
        assert queue["queueName"] == f"{namespace}.{name}" and queue["mode"] == "QueueLength", name
        assert int(queue["value"]) > 0
        env_from = [ref["secretRef"]["name"] for ref in _container(deployments[name]).get("envFrom") or []
                    if "secretRef" in ref]
        secrets = {s["metadata"]["name"]: s for s in _of_kind("Secret")}
        assert any(queue["hostFromEnv"] in secrets[ref]["stringData"] for ref in env_from), name
        assert triggers["cpu"]["metricType"] == "Utilization", "the HTTP side still scales on CPU"
        assert 1 <= obj["spec"]["minReplicaCount"] <= obj["spec"]["maxReplicaCount"]
    broken = {**next(iter(scaled.values())), "spec": {"triggers": [{"type": "rabbitmq"}], "maxReplicaCount": "8"}}
    assert len(list(validator.iter_errors(broken))) >= 3, "the schema does catch a malformed ScaledObject"


def test_kustomization_renders():
    if shutil.which("kubectl") is None:
        unavailable("kubectl is not installed")
    out = subprocess.run(["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    rendered = [d for d in yaml.safe_load_all(out.stdout) if d]
    assert len(rendered) == len(_k8s_docs())
    assert all(d["metadata"].get("namespace") == "autocirc" for d in rendered if d["kind"] != "Namespace")


def test_compose_file_matches_the_compose_specification_schema():
    schema = json.loads((Path(__file__).parents[1] / "support" / "schemas" / "compose_spec.json").read_text())
    validator = jsonschema.Draft201909Validator(schema)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(_compose())]
    assert not errors, errors
    broken = {**_compose(), "services": {"gateway": {"image": "x", "ports": [{"bogus": 1}]}}}
    assert list(validator.iter_errors(broken)), "the schema does catch a malformed service"
