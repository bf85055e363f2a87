"""A TLS cluster (certificates made by ``farm-scheduler --make-certs``): it renders, a client
or a worker without a certificate of the farm's CA is refused, and a TLS farm on a
non-loopback address (a network namespace joined by a veth pair) accepts a signed client and
refuses the others."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from distributed.security import Security
from support.farm import Cluster, start_cluster, wait_for_workers
from support.media import all_frames_rgb

from hyperframes_desktop.render import RenderOptions
from hyperframes_desktop.render.farm import FarmBackend, FarmError, FarmSettings, farm_status
from hyperframes_desktop.render.farm.certs import make_certs

from .conftest import decoded_index, make_frame_index_project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tls(tmp_path_factory) -> Iterator[tuple[Cluster, dict[str, Path], Path]]:
    root = tmp_path_factory.mktemp("tls")
    certs = make_certs(root / "certs")
    files = {"ca": certs.ca, "cert": certs.node[0], "key": certs.node[1]}
    farm = start_cluster(root / "farm", tls=files)
    try:
        security = Security(
            tls_ca_file=str(certs.ca),
            tls_client_cert=str(certs.client[0]),
            tls_client_key=str(certs.client[1]),
            require_encryption=True,
        )
        wait_for_workers(farm, 2, security=security)
        yield farm, files, root
    finally:
        farm.stop()


def test_a_tls_farm_renders(tls, tmp_path: Path):
    farm, files, _ = tls
    assert farm.address.startswith("tls://")
    project = make_frame_index_project(tmp_path / "p", duration=1.0)
    out = tmp_path / "out.mp4"
    client = files["ca"].parent / "client.pem", files["ca"].parent / "client.key"
    settings = FarmSettings(
        farm.address,
        ca_file=files["ca"],
        cert_file=client[0],
        key_file=client[1],
        chunk_frames=15,
    )
    FarmBackend(settings).render(RenderOptions(project=project, output=out))
    assert [decoded_index(f) for f in all_frames_rgb(out)] == list(range(30))
    workers = farm_status(farm.address, (files["ca"], files["cert"], files["key"]))
    assert len(workers) == 2 and all(w["versions"]["app"] for w in workers)
    assert all(w["differences"] == [] for w in workers)


def test_a_client_without_the_farms_certificate_is_refused(tls, tmp_path: Path):
    farm, files, root = tls
    stranger = make_certs(root / "stranger").client
    project = make_frame_index_project(tmp_path / "p", duration=1.0)
    attempts = [
        # a certificate the farm's CA did not sign
        FarmSettings(
            farm.address,
            ca_file=files["ca"],
            cert_file=stranger[0],
            key_file=stranger[1],
            connect_timeout_s=5,
        ),
        # no certificate at all: plain TCP to the TLS scheduler
        FarmSettings(farm.address.replace("tls://", "tcp://"), connect_timeout_s=5),
    ]
    for settings in attempts:
        out = tmp_path / "refused.mp4"
        with pytest.raises(FarmError) as refused:
            FarmBackend(settings).render(RenderOptions(project=project, output=out))
        assert str(refused.value).startswith("Could not connect to the render farm")
        assert "127.0.0.1" not in str(refused.value)
        assert not out.exists()


def _app(*args: str) -> list[str]:
    return [sys.executable, "-m", "hyperframes_desktop.cli", *args]


def test_a_worker_without_a_certificate_of_the_farms_ca_is_refused_both_ways(tls):
    farm, files, root = tls
    stranger = make_certs(root / "stranger-worker")
    env = {**farm.env("intruder"), "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"}
    env.pop("DASK_DISTRIBUTED__WORKER__DAEMON", None)
    for ca, (cert, key) in (
        (files["ca"], stranger.node),  # the farm does not trust it
        (stranger.ca, stranger.node),  # nor does it trust the farm
    ):
        joined = subprocess.run(
            _app("farm-worker", farm.address, "--farm-ca", str(ca), "--farm-cert", str(cert),
                 "--farm-key", str(key), "--local-directory", str(root / "intruder")),
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert joined.returncode == 1, joined.stdout + joined.stderr
        assert "could not start or reach the scheduler" in joined.stderr
        assert "Traceback" not in joined.stderr
    assert len(farm_status(farm.address, (files["ca"], *_client(files)))) == 2


def _client(files: dict[str, Path]) -> tuple[Path, Path]:
    return files["ca"].parent / "client.pem", files["ca"].parent / "client.key"


def _listeners(proc: subprocess.Popen) -> list[tuple[str, int]]:
    found = []
    root = psutil.Process(proc.pid)
    for p in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            found += [(c.laddr.ip, c.laddr.port) for c in p.net_connections(kind="inet")
                      if c.status == psutil.CONN_LISTEN]  # fmt: skip
    return found


def _namespace_listeners(name: str) -> list[tuple[str, int]]:
    """``ss -ltn`` in the namespace (only the scheduler runs there)."""
    out = subprocess.run(["ip", "netns", "exec", name, "ss", "-ltnH"], capture_output=True,
                         text=True, check=True, timeout=30).stdout  # fmt: skip
    found = []
    for line in out.splitlines():
        local = line.split()[3]
        host, _, port = local.rpartition(":")
        found.append((host.strip("[]"), int(port)))
    return found


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture
def namespace() -> Iterator[tuple[str, str, str]]:
    """A network namespace joined to this one by a veth pair: (name, its address, ours).
    Needs root and ``ip netns``; removed afterwards."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("a network namespace needs root and iproute2 (ip netns)")
    tag = uuid.uuid4().hex[:6]
    name, ours, theirs = f"hf-farm-{tag}", f"hfa{tag}", f"hfb{tag}"
    octet = int(tag[:2], 16) % 250 + 1
    here, there = f"10.213.{octet}.1", f"10.213.{octet}.2"
    try:
        _ip("netns", "add", name)
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"ip netns does not work here: {exc.stderr!r}")
    try:
        _ip("link", "add", ours, "type", "veth", "peer", "name", theirs)
        _ip("link", "set", theirs, "netns", name)
        _ip("addr", "add", f"{here}/30", "dev", ours)
        _ip("link", "set", ours, "up")
        _ip("netns", "exec", name, "ip", "addr", "add", f"{there}/30", "dev", theirs)
        _ip("netns", "exec", name, "ip", "link", "set", theirs, "up")
        _ip("netns", "exec", name, "ip", "link", "set", "lo", "up")
        yield name, there, here
    finally:
        subprocess.run(["ip", "link", "del", ours], capture_output=True, timeout=30)
        subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=30)


def test_a_tls_farm_on_a_network_address_accepts_a_signed_client_only(namespace, tmp_path: Path):
    """The scheduler listens on a non-loopback address (inside the namespace); a worker
    here follows it (its default address is the one that reaches the scheduler)."""
    name, there, here = namespace
    certs = make_certs(tmp_path / "certs")
    node = ["--farm-ca", str(certs.ca), "--farm-cert", str(certs.node[0]),
            "--farm-key", str(certs.node[1])]  # fmt: skip
    address = f"tls://{there}:8786"
    cluster = Cluster(tmp_path, None, address)  # type: ignore[arg-type]
    logs = {n: open(tmp_path / f"{n}.log", "wb") for n in ("scheduler", "worker")}  # noqa: SIM115
    env = cluster.env("netns")
    env.pop("DASK_DISTRIBUTED__WORKER__DAEMON", None)
    try:
        plain = subprocess.run(
            ["ip", "netns", "exec", name, *_app("farm-scheduler", "--host", there)],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert plain.returncode == 2 and "Refusing to start the farm scheduler" in plain.stderr
        cluster.scheduler = subprocess.Popen(
            ["ip", "netns", "exec", name, *_app("farm-scheduler", "--host", there, *node)],
            env=env, stdout=logs["scheduler"], stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        cluster.workers.append(subprocess.Popen(
            _app("farm-worker", address, *node, "--local-directory", str(tmp_path / "w")),
            env=env, stdout=logs["worker"], stderr=subprocess.STDOUT, start_new_session=True,
        ))  # fmt: skip
        signed = (certs.ca, *certs.client)
        deadline = time.monotonic() + 90
        while True:
            try:
                workers = farm_status(address, signed, timeout_s=5)
                if workers:
                    break
            except FarmError:
                pass
            log = (tmp_path / "scheduler.log").read_text() + (tmp_path / "worker.log").read_text()
            assert time.monotonic() < deadline, log
            time.sleep(0.5)
        assert workers[0]["address"].startswith(f"tls://{here}:"), workers
        # what the network sees: the farm ports on the farm addresses, HTTP on loopback only
        for listening, farm_ip in ((_namespace_listeners(name), there),
                                   (_listeners(cluster.workers[0]), here)):  # fmt: skip
            assert {ip for ip, _ in listening} == {farm_ip, "127.0.0.1"}, listening
            assert ("127.0.0.1", 8787) in listening or farm_ip == here
            assert (farm_ip, 8787) not in listening
        stranger = make_certs(tmp_path / "stranger")
        with pytest.raises(FarmError):
            farm_status(address, (certs.ca, *stranger.client), timeout_s=5)
        with pytest.raises(FarmError):
            farm_status(address.replace("tls://", "tcp://"), None, timeout_s=5)
    finally:
        cluster.stop()
        for handle in logs.values():
            handle.close()
