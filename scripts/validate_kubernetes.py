#!/usr/bin/env python3
"""Validates deploy/kubernetes against the Kubernetes schemas, offline.

Installs `kubernetes-validate` from PyPI when missing (it ships the schemas of every Kubernetes version it
supports, so validation needs no network). Every file listed in kustomization.yaml is validated with
`kubernetes-validate --strict` against one pinned Kubernetes version; when `kubectl` (or `kustomize`) is
on PATH the kustomization is also rendered and the result validated. Then Kefu's own rules: every
Deployment probes `/health` and `/ready` on its HTTP port, gives pods longer to stop than the services'
shutdown deadline, takes its settings from a ConfigMap and a Secret, and has a PodDisruptionBudget.

Prints one line per check and `kubernetes: N passed, M failed`; exits 1 on any failure.
Usage: scripts/validate_kubernetes.py [DIR]   (default deploy/kubernetes; KEFU_KUBERNETES_VERSION=1.31.0)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KUBERNETES_VERSION = os.environ.get("KEFU_KUBERNETES_VERSION", "1.31.0")
VALIDATOR_PACKAGE = "kubernetes-validate==1.37.0"
SERVICE_PORTS = {"gateway": 8080, "routing": 8081, "store": 8082, "knowledge": 8083, "reporting": 8084}

passed = 0
failed = 0


def check(ok, message):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {message}")
    else:
        failed += 1
        print(f"FAIL  {message}")


def ensure_validator():
    """Installs kubernetes-validate (and with it PyYAML) unless it is importable already."""
    try:
        import kubernetes_validate  # noqa: F401
        import yaml  # noqa: F401
        return
    except ImportError:
        pass
    pip = [sys.executable, "-m", "pip", "install", "-q", VALIDATOR_PACKAGE]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if subprocess.run(pip, **quiet).returncode != 0 and \
            subprocess.run(pip + ["--break-system-packages"], stdout=subprocess.DEVNULL).returncode != 0:
        sys.exit("cannot install kubernetes-validate")


def validate(path, label):
    """Runs kubernetes-validate --strict on one file; one check per resource it reports."""
    result = subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "--strict", "-k", KUBERNETES_VERSION, path],
        capture_output=True, text=True)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    resources = bad = 0
    for line in lines:
        found = re.search(r"(passed|did not validate) for resource (\S+)", line)
        if found:
            resources += 1
            ok = found.group(1) == "passed"
            bad += not ok
            check(ok, f"{label}: {found.group(2)}" + ("" if ok else " — " + line.split(": ", 1)[-1]))
        elif line.startswith(("ERROR", "FATAL", "Traceback")):
            bad += 1
            check(False, f"{label}: {line}")
    if result.returncode != 0 and bad == 0:
        check(False, f"{label}: kubernetes-validate exited {result.returncode}")
    if resources == 0:
        check(False, f"{label}: no resource validated")


def render(directory):
    """The kustomization rendered by kubectl or kustomize, or None when neither is installed."""
    for command in (["kubectl", "kustomize", directory], ["kustomize", "build", directory]):
        if shutil.which(command[0]):
            result = subprocess.run(command, capture_output=True, text=True)
            check(result.returncode == 0, f"{' '.join(command[:2])} renders the kustomization"
                  + ("" if result.returncode == 0 else " — " + result.stderr.strip()))
            return result.stdout if result.returncode == 0 else ""
    print("note  neither kubectl nor kustomize is installed: validated the listed files only")
    return None


def kefu_rules(documents):
    """Kefu's own rules on the Deployments, PodDisruptionBudgets and ConfigMap."""
    by_kind = {}
    for document in documents:
        if isinstance(document, dict) and "kind" in document:
            by_kind.setdefault(document["kind"], []).append(document)
    deadline_ms = 10_000
    for config in by_kind.get("ConfigMap", []):
        deadline_ms = int(config.get("data", {}).get("KEFU_SHUTDOWN_TIMEOUT_MS", deadline_ms))
    deployments = {d["metadata"]["name"]: d for d in by_kind.get("Deployment", [])}
    check(sorted(deployments) == sorted(f"kefu-{s}" for s in SERVICE_PORTS),
          f"one Deployment per service: {', '.join(sorted(deployments))}")
    budgets = [b["spec"].get("selector", {}).get("matchLabels", {}) for b in by_kind.get("PodDisruptionBudget", [])]
    for service, port in SERVICE_PORTS.items():
        deployment = deployments.get(f"kefu-{service}")
        if deployment is None:
            continue
        pod = deployment["spec"]["template"]["spec"]
        labels = deployment["spec"]["template"]["metadata"].get("labels", {})
        container = pod["containers"][0]
        ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        sources = [next(iter(s)) for s in container.get("envFrom", [])]

        def probe(kind, path):
            get = container.get(kind, {}).get("httpGet", {})
            target = ports.get(get.get("port"), get.get("port"))
            return get.get("path") == path and target == port

        check(container.get("command") == [f"/app/kefu-{service}"], f"kefu-{service} runs /app/kefu-{service}")
        check(env.get("HTTP_PORT") == str(port) and port in ports.values(),
              f"kefu-{service} listens on HTTP_PORT {port}")
        check(probe("livenessProbe", "/health") and probe("readinessProbe", "/ready"),
              f"kefu-{service} probes /health (liveness) and /ready (readiness) on {port}")
        grace = pod.get("terminationGracePeriodSeconds", 30)
        check(grace * 1000 > deadline_ms, f"kefu-{service} grace period {grace} s > shutdown deadline {deadline_ms} ms")
        check("configMapRef" in sources and "secretRef" in sources, f"kefu-{service} reads a ConfigMap and a Secret")
        check("resources" in container and "requests" in container["resources"], f"kefu-{service} states its resources")
        check(any(b and all(labels.get(k) == v for k, v in b.items()) for b in budgets),
              f"kefu-{service} has a PodDisruptionBudget")


def main():
    directory = os.path.join(ROOT, sys.argv[1] if len(sys.argv) > 1 else "deploy/kubernetes")
    ensure_validator()
    import yaml

    with open(os.path.join(directory, "kustomization.yaml")) as handle:
        kustomization = yaml.safe_load(handle)
    listed = kustomization.get("resources", [])
    present = sorted(f for f in os.listdir(directory) if f.endswith((".yaml", ".yml")) and f != "kustomization.yaml")
    check(sorted(listed) == present, f"kustomization.yaml lists every manifest ({len(listed)} files)")
    documents = []
    for name in listed:
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            check(False, f"{name}: listed in kustomization.yaml but missing")
            continue
        validate(path, name)
        with open(path) as handle:
            documents.extend(yaml.safe_load_all(handle))

    rendered = render(directory)
    if rendered:
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
            handle.write(rendered)
        try:
            validate(handle.name, "rendered")
        finally:
            os.unlink(handle.name)
        documents = list(yaml.safe_load_all(rendered))
    kefu_rules(documents)

    print(f"kubernetes (schemas of {KUBERNETES_VERSION}): {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
