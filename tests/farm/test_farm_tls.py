"""A TLS cluster (certificates made here with openssl): it renders, and a client without
the farm's certificate is refused."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed.security import Security
from support.farm import Cluster, start_cluster, wait_for_workers
from support.media import all_frames_rgb

from hyperframes_desktop.render import RenderOptions
from hyperframes_desktop.render.farm import FarmBackend, FarmError, FarmSettings, farm_status

from .conftest import decoded_index, make_frame_index_project

pytestmark = pytest.mark.slow


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


def make_ca(folder: Path, name: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    key, cert = folder / f"{name}-ca.key", folder / f"{name}-ca.pem"
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        f"/CN={name} test CA",
        "-keyout",
        str(key),
        "-out",
        str(cert),
    )
    return cert, key


def make_cert(folder: Path, name: str, ca: tuple[Path, Path]) -> tuple[Path, Path]:
    key, csr, cert = folder / f"{name}.key", folder / f"{name}.csr", folder / f"{name}.pem"
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        f"/CN={name}",
        "-keyout",
        str(key),
        "-out",
        str(csr),
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        str(csr),
        "-CA",
        str(ca[0]),
        "-CAkey",
        str(ca[1]),
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        str(cert),
    )
    return cert, key


@pytest.fixture(scope="module")
def tls(tmp_path_factory) -> Iterator[tuple[Cluster, dict[str, Path], Path]]:
    root = tmp_path_factory.mktemp("tls")
    ca = make_ca(root / "certs", "farm")
    node = make_cert(root / "certs", "node", ca)
    files = {"ca": ca[0], "cert": node[0], "key": node[1]}
    farm = start_cluster(root / "farm", tls=files)
    try:
        security = Security(
            tls_ca_file=str(ca[0]),
            tls_client_cert=str(node[0]),
            tls_client_key=str(node[1]),
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
    settings = FarmSettings(
        farm.address,
        ca_file=files["ca"],
        cert_file=files["cert"],
        key_file=files["key"],
        chunk_frames=15,
    )
    FarmBackend(settings).render(RenderOptions(project=project, output=out))
    assert [decoded_index(f) for f in all_frames_rgb(out)] == list(range(30))
    workers = farm_status(farm.address, (files["ca"], files["cert"], files["key"]))
    assert len(workers) == 2 and all(w["versions"]["app"] for w in workers)
    assert all(w["differences"] == [] for w in workers)


def test_a_client_without_the_farms_certificate_is_refused(tls, tmp_path: Path):
    farm, files, root = tls
    stranger_ca = make_ca(root / "stranger", "stranger")
    stranger = make_cert(root / "stranger", "laptop", stranger_ca)
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
